using KamFlows.Api;
using KamFlows.Infrastructure.Storage;
using KamFlows.WebConsole;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Functions;

/// <summary>
/// The Functions app's services: the registration both hosts share (KamFlows.Api), with storage from configuration
/// (identity-based in Azure) and the background work left to the timer triggers. The durable engine is the Durable
/// Functions extension; its clients arrive through [DurableClient] bindings.
/// </summary>
public static class FunctionsComposition
{
    public static IServiceCollection AddKamFlowsFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddKamFlows(configuration, KamFlowsServices.ConfiguredStorage(configuration), new StorageRequestCounter(), BackgroundWork.Triggered);
        Api.Telemetry.TelemetryExtensions.AddKamFlowsTelemetry(services, configuration); // SendGrid calls and KamFlows' metrics, as locally.
        services.AddKamFlowsConsole(configuration, localSignInByDefault: false); // Entra ID through App Service Authentication (infra/).
        return services;
    }
}
