// KamFlows as an Azure Functions isolated worker with ASP.NET Core integration: HTTP triggers receive the real HttpContext
// (and the raw body webhook signatures are computed over). Start-up validates every KamFlows options class.
using KamFlows.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddKamFlowsFunctions(builder.Configuration);
await builder.Build().RunAsync();
