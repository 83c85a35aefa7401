using KamFlows.Durable;
using KamFlows.Durable.Storage;
using KamFlows.Durable.Worker;
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
        services.AddDurableTasks(
            _ => { },
            _ => { });
        services.AddOptions<DurableOptions>()
            .Bind(configuration.GetSection("KamFlows:Durable"))
            .Configure<ResolvedStorage>((o, storage) =>
            {
                storage.ApplyTo(o);
                o.RunBackgroundLoops = runLoops;
            });
        return services;
    }

    public static WebApplication MapKamFlowsEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapGet("/health", (ResolvedStorage storage, WorkItemProcessor processor, TimerScheduler timers, QueuePoller poller, StorageRequestCounter requests) => Results.Ok(new
        {
            status = "ok",
            storage = storage.Description,
            runtime = new
            {
                commits = processor.Commits,
                conflicts = processor.Conflicts,
                activityExecutions = processor.ActivityExecutions,
                timersFired = timers.Fired,
                timersInMemory = timers.Pending,
                messagesInFlight = poller.InFlight,
                storageRequests = requests.Total,
            },
        }));
        return app;
    }
}
