using KamFlows.Host.Health;
using KamFlows.Host.Management;
using KamFlows.Host.Webhooks;
using KamFlows.Infrastructure.Storage;
using KamFlows.TaskHub;
using KamFlows.Workflows;
using Microsoft.DurableTask;

namespace KamFlows.Host;

/// <summary>Wires every part of KamFlows into the local host's services and routes.</summary>
public static class HostComposition
{
    /// <summary>Settings of the local task hub (partitions, polling, concurrency); storage comes from <c>KamFlows:Storage</c>.</summary>
    public const string TaskHubSection = "KamFlows:TaskHub";

    /// <summary>Everything the local host runs; <paramref name="workflows"/> is what the task hub runs besides the health probe (default: the KAM workflows; tests stand them in).</summary>
    public static IServiceCollection AddKamFlowsHost(this IServiceCollection services, IConfiguration configuration, ResolvedStorage storage,
        Action<DurableTaskRegistry>? workflows = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        services.AddProblemDetails();
        services.AddSingleton(storage);
        var counter = new StorageRequestCounter();
        services.AddSingleton(counter);
        services.AddSingleton(sp => new StorageClients(sp.GetRequiredService<ResolvedStorage>(), sp.GetRequiredService<StorageRequestCounter>()));
        services.AddKamFlowsTaskHub(
            settings =>
            {
                configuration.GetSection(TaskHubSection).Bind(settings);
                settings.TaskHubName = storage.TaskHub;
                settings.ConnectionString = storage.ConnectionString;
                settings.TableServiceUri = storage.TableServiceUri;
                settings.QueueServiceUri = storage.QueueServiceUri;
                settings.BlobServiceUri = storage.BlobServiceUri;
                settings.TokenCredential = storage.Credential;
                settings.StoragePipelinePolicies.Add(counter.TaskHubPolicy);
            },
            registry =>
            {
                (workflows ?? (r => WorkflowsRegistration.Register(r)))(registry);
                HealthEndpoints.RegisterHealthProbe(registry);
            });
        Infrastructure.Planning.PlanningServiceCollectionExtensions.AddUpcomingActionsTable(Workflows.WorkflowsServiceCollectionExtensions.AddKamFlowsWorkflows(services, configuration));
        services.AddWebhooks(configuration);
        services.AddManagement(configuration);
        services.AddSingleton<Infrastructure.Notifications.Digests.IPipelineFigures, Infrastructure.Accounts.AccountPipelineFigures>(); // The head's report shows each KAM's open pipeline.
        Email.EmailHostExtensions.AddKamFlowsEmail(services, configuration, runLoops: true);
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
