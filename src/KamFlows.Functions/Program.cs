// KamFlows as an Azure Functions isolated worker with ASP.NET Core integration: HTTP triggers receive the real HttpContext.
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
await builder.Build().RunAsync();
