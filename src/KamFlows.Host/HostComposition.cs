using KamFlows.Api;
using KamFlows.Api.Management;
using KamFlows.DevStorage;
using KamFlows.Infrastructure.Notifications;
using KamFlows.Infrastructure.Storage;
using KamFlows.TaskHub;
using KamFlows.WebConsole;
using Microsoft.DurableTask;

namespace KamFlows.Host;

/// <summary>Wires KamFlows into the local host: the shared services (KamFlows.Api), the local task hub, OpenAPI, telemetry.</summary>
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
        // Local runs keep sent mail in the repository's .kamflows/outbox when started from it (before the shared default, the content root).
        services.PostConfigure<EmailOptions>(o => o.LocalSinkFolder ??= RepositoryOutbox());
        var counter = new StorageRequestCounter();
        services.AddKamFlows(configuration, storage, counter, BackgroundWork.InProcess);
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
            registry => KamFlowsServices.RegisterTasks(registry, workflows));
        services.AddSingleton<ApiKeyFilter>();
        services.AddKamFlowsConsole(configuration, localSignInByDefault: true); // A laptop: the local sign-in is on unless configured off.
        services.AddOpenApi();
        Api.Telemetry.TelemetryExtensions.AddKamFlowsTelemetry(services, configuration, TaskHubMetrics.Name);
        return services;
    }

    private static string? RepositoryOutbox()
    {
        try
        {
            return Path.Combine(RepositoryRoot.Find(), ".kamflows", "outbox");
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
