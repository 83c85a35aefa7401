// KamFlows as an Azure Functions isolated worker with ASP.NET Core integration: HTTP triggers receive the real HttpContext.
using KamFlows.Workflows;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddKamFlowsWorkflows(builder.Configuration);
await builder.Build().RunAsync();
