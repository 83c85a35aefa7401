using KamFlows.Durable;
using KamFlows.Durable.Storage;
using KamFlows.Host.Health;
using KamFlows.Host.Management;
using KamFlows.Host.Webhooks;
using KamFlows.Infrastructure.Storage;

namespace KamFlows.Host;

/// <summary>Wires every part of KamFlows into the host's services and routes.</summary>
public static class HostComposition
{
    public static IServiceCollection AddKamFlowsHost(this IServiceCollection services, IConfiguration configuration, bool runLoops)
    {
        services.AddProblemDetails();
        services.AddSingleton<StorageRequestCounter>();
        services.AddSingleton(sp => new StorageClients(sp.GetRequiredService<ResolvedStorage>(), sp.GetRequiredService<StorageRequestCounter>()));
        services.AddDurableTasks(_ => { }, HealthEndpoints.RegisterHealthProbe);
        services.AddOptions<DurableOptions>()
            .Bind(configuration.GetSection("KamFlows:Durable"))
            .Configure<ResolvedStorage>((o, storage) =>
            {
                storage.ApplyTo(o);
                o.RunBackgroundLoops = runLoops;
            });
        Infrastructure.Planning.PlanningServiceCollectionExtensions.AddUpcomingActionsTable(Workflows.WorkflowsServiceCollectionExtensions.AddKamFlowsWorkflows(services, configuration));
        services.AddWebhooks(configuration);
        services.AddManagement(configuration);
        services.AddSingleton<Infrastructure.Notifications.Digests.IPipelineFigures, Infrastructure.Accounts.AccountPipelineFigures>(); // The head's report shows each KAM's open pipeline.
        Email.EmailHostExtensions.AddKamFlowsEmail(services, configuration, runLoops);
        Telemetry.TelemetryExtensions.AddKamFlowsTelemetry(services, configuration);
        return services;
    }

    public static WebApplication MapKamFlowsEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealth();
        app.MapWebhooks();
        app.MapManagement();
        Email.EmailHostExtensions.MapKamFlowsEmail(app);
        return app;
    }
}
