using KamFlows.Durable.Storage;
using KamFlows.Durable.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KamFlows.Durable;

/// <summary>Registers the durable runtime.</summary>
public static class DurableServiceCollectionExtensions
{
    /// <summary>
    /// Adds the runtime: client, worker (queue poller and timer scheduler as a hosted service unless
    /// <see cref="DurableOptions.RunBackgroundLoops"/> is false) and the orchestrators and activities registered by
    /// <paramref name="register"/>. Options are validated at start-up. Time comes from the registered
    /// <see cref="TimeProvider"/> (the system clock if none).
    /// </summary>
    public static IServiceCollection AddDurableTasks(this IServiceCollection services, Action<DurableOptions> configure, Action<DurableTaskRegistry> register)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(register);
        var registry = new DurableTaskRegistry();
        register(registry);
        services.AddSingleton(registry);
        services.AddOptions<DurableOptions>().Configure(configure).Validate(
            o => o.Validate().Count == 0,
            "Durable options are invalid.");
        services.AddSingleton<IValidateOptions<DurableOptions>, DurableOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new DurableHostIdentity());
        services.TryAddSingleton<StorageRequestCounter>();
        services.TryAddSingleton<WorkSignal>();
        services.TryAddSingleton<InstanceEvents>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<DurableOptions>>().Value);
        services.TryAddSingleton(sp => new DurableStorage(sp.GetRequiredService<DurableOptions>(), sp.GetRequiredService<StorageRequestCounter>()));
        services.TryAddSingleton(sp => new PayloadStore(sp.GetRequiredService<DurableStorage>().Payloads, sp.GetRequiredService<DurableOptions>().MaxInlinePayloadChars));
        services.TryAddSingleton(sp => new InstanceStore(sp.GetRequiredService<DurableStorage>(), sp.GetRequiredService<PayloadStore>(),
            sp.GetRequiredService<DurableHostIdentity>().LeaseClock, sp.GetRequiredService<DurableOptions>().EventIdRetention));
        services.TryAddSingleton(sp => new TimerIndex(sp.GetRequiredService<DurableStorage>()));
        services.TryAddSingleton(sp => new WorkQueue(sp.GetRequiredService<DurableStorage>(), sp.GetRequiredService<WorkSignal>()));
        services.TryAddSingleton(sp => new TimerScheduler(sp.GetRequiredService<TimerIndex>(), sp.GetRequiredService<WorkQueue>(),
            sp.GetRequiredService<DurableOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TimerScheduler>>()));
        services.TryAddSingleton(sp => new ActivityRunner(sp.GetRequiredService<DurableTaskRegistry>(), sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<DurableOptions>(), sp.GetRequiredService<ILogger<ActivityRunner>>()));
        services.TryAddSingleton(sp => new StepPlanner(sp.GetRequiredService<DurableTaskRegistry>(), sp, sp.GetRequiredService<DurableOptions>(), sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton(sp => new WorkItemProcessor(sp.GetRequiredService<DurableOptions>(), sp.GetRequiredService<InstanceStore>(),
            sp.GetRequiredService<TimerIndex>(), sp.GetRequiredService<WorkQueue>(), sp.GetRequiredService<TimerScheduler>(),
            sp.GetRequiredService<ActivityRunner>(), sp.GetRequiredService<StepPlanner>(), sp.GetRequiredService<InstanceEvents>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<DurableHostIdentity>(), sp.GetRequiredService<ILogger<WorkItemProcessor>>()));
        services.TryAddSingleton(sp => new WorkMessageHandler(sp.GetRequiredService<WorkItemProcessor>(), sp.GetRequiredService<DurableStorage>(),
            sp.GetRequiredService<WorkQueue>(), sp.GetRequiredService<InstanceStore>(), sp.GetRequiredService<InstanceEvents>(),
            sp.GetRequiredService<DurableOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WorkMessageHandler>>()));
        services.TryAddSingleton(sp => new QueuePoller(sp.GetRequiredService<DurableStorage>(), sp.GetRequiredService<WorkMessageHandler>(),
            sp.GetRequiredService<WorkSignal>(), sp.GetRequiredService<DurableOptions>(), sp.GetRequiredService<DurableHostIdentity>(), sp.GetRequiredService<ILogger<QueuePoller>>()));
        services.TryAddSingleton(sp => new DurableTaskClient(sp.GetRequiredService<InstanceStore>(), sp.GetRequiredService<TimerIndex>(),
            sp.GetRequiredService<WorkQueue>(), sp.GetRequiredService<DurableStorage>(), sp.GetRequiredService<DurableTaskRegistry>(),
            sp.GetRequiredService<DurableOptions>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<DurableHostIdentity>(), sp.GetRequiredService<InstanceEvents>()));
        services.AddHostedService<DurableWorkerService>();
        return services;
    }

    /// <summary>Adds orchestrators and activities to the registry created by <see cref="AddDurableTasks"/> (call it first).</summary>
    public static IServiceCollection AddDurableRegistrations(this IServiceCollection services, Action<DurableTaskRegistry> register)
    {
        ArgumentNullException.ThrowIfNull(register);
        var registry = services.LastOrDefault(d => d.ServiceType == typeof(DurableTaskRegistry))?.ImplementationInstance as DurableTaskRegistry
            ?? throw new InvalidOperationException("Call AddDurableTasks before AddDurableRegistrations.");
        register(registry);
        return services;
    }

    private sealed class DurableOptionsValidator : IValidateOptions<DurableOptions>
    {
        public ValidateOptionsResult Validate(string? name, DurableOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => "KamFlows:Durable: " + e));
        }
    }
}

/// <summary>Creates storage at start-up and, in local mode, runs the queue poller and the timer scheduler.</summary>
internal sealed class DurableWorkerService(DurableOptions options, DurableStorage storage, QueuePoller poller, TimerScheduler scheduler, WorkItemProcessor processor) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync().ConfigureAwait(false); // Fail start-up, not the first request, if storage is unreachable.
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RunBackgroundLoops)
        {
            return;
        }

        await Task.WhenAll(poller.RunAsync(stoppingToken), scheduler.RunAsync(processor, stoppingToken)).ConfigureAwait(false);
    }
}
