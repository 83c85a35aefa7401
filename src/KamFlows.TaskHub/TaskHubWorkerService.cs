// The worker is started only after the task hub exists, and stopped gracefully (leases released, in-flight work
// finished) within a bounded time, so a restart or a second process takes over partitions at once instead of
// waiting for leases to expire.
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Settings;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KamFlows.TaskHub;

/// <summary>
/// Runs DurableTask.Core's <see cref="TaskHubWorker"/> on the Azure Storage task hub with every orchestrator and
/// activity of the <see cref="DurableTaskRegistry"/> built by <c>AddKamFlowsTaskHub</c> (through the SDK's shims).
/// Does nothing when <see cref="TaskHubSettings.WorkerEnabled"/> is false.
/// </summary>
public sealed partial class TaskHubWorkerService : IHostedService, IDisposable
{
    private readonly AzureStorageOrchestrationService _service;
    private readonly TaskHubSettings _settings;
    private readonly DurableTaskRegistry _registry;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private TaskHubWorker? _worker;

    /// <summary>Created by DI; see <c>AddKamFlowsTaskHub</c>.</summary>
    public TaskHubWorkerService(
        AzureStorageOrchestrationService service,
        IOptions<TaskHubSettings> settings,
        IOptionsMonitor<DurableTaskRegistry> registries,
        IServiceProvider services,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(registries);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _service = service;
        _settings = settings.Value;
        _registry = registries.Get(TaskHubServiceCollectionExtensions.RegistryName);
        _services = services;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<TaskHubWorkerService>();
    }

    /// <summary>Whether the worker is running (started and not stopped).</summary>
    public bool IsRunning => _worker is not null;

    /// <summary>Creates the task hub if needed and starts the worker.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_settings.WorkerEnabled)
        {
            LogWorkerDisabled(_logger, _settings.TaskHubName);
            return;
        }

        await _service.CreateIfNotExistsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var worker = CreateWorker(_service, _settings, _registry, _services, _loggerFactory);
        await worker.StartAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        _worker = worker;
        var orchestrators = _registry.GetOrchestrators().Count();
        var activities = _registry.GetActivities().Count();
        LogWorkerStarted(_logger, _settings.TaskHubName, _settings.WorkerId ?? Environment.MachineName, orchestrators, activities);
    }

    /// <summary>Stops the worker gracefully; forcibly after <see cref="TaskHubSettings.ShutdownTimeout"/> or when the host gives up.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var worker = Interlocked.Exchange(ref _worker, null);
        if (worker is null)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.ShutdownTimeout);
        var graceful = worker.StopAsync(isForced: false);
        try
        {
            await graceful.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogForcedStop(_logger, _settings.TaskHubName, _settings.ShutdownTimeout);
            await worker.StopAsync(isForced: true).ConfigureAwait(false);
        }
        finally
        {
            worker.Dispose();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Interlocked.Exchange(ref _worker, null)?.Dispose();
    }

    /// <summary>
    /// A <see cref="TaskHubWorker"/> for <paramref name="registry"/> on <paramref name="service"/>, not yet started:
    /// failure details propagated, DurableTask.Core's version check from the settings, the SDK's shims for every task.
    /// </summary>
    public static TaskHubWorker CreateWorker(
        IOrchestrationService service,
        TaskHubSettings settings,
        DurableTaskRegistry registry,
        IServiceProvider services,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(services);
        var shims = new DurableTaskShimFactory(
            new DurableTaskWorkerOptions
            {
                MaximumTimerInterval = settings.MaximumTimerInterval,
                DataConverter = settings.DataConverter,
                // Sub-orchestrations started without a version get the default one, like top-level instances.
                Versioning = new DurableTaskWorkerOptions.VersioningOptions { Version = settings.DefaultVersion, DefaultVersion = settings.DefaultVersion },
            },
            loggerFactory);
        var versioning = new VersioningSettings
        {
            Version = settings.DefaultVersion,
            MatchStrategy = settings.VersionMatchStrategy,
            FailureStrategy = settings.VersionFailureStrategy,
        };
        var worker = new TaskHubWorker(service, new NameOnlyObjectManager<TaskOrchestration>(), new NameOnlyObjectManager<TaskActivity>(), versioning, loggerFactory)
        {
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };
        TaskHubMetrics.AddTo(worker);
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        worker.AddTaskOrchestrations(registry.GetOrchestrators()
            .Select(o => (ObjectCreator<TaskOrchestration>)new ShimOrchestrationCreator(o.Key, o.Value, services, shims)).ToArray());
        worker.AddTaskActivities(registry.GetActivities()
            .Select(a => (ObjectCreator<TaskActivity>)new ShimActivityCreator(a.Key, a.Value, scopes, shims)).ToArray());
        return worker;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task hub {TaskHub}: worker disabled in this process (client only).")]
    private static partial void LogWorkerDisabled(ILogger logger, string taskHub);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task hub {TaskHub}: worker {WorkerId} started with {Orchestrators} orchestrators and {Activities} activities.")]
    private static partial void LogWorkerStarted(ILogger logger, string taskHub, string workerId, int orchestrators, int activities);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task hub {TaskHub}: the worker did not stop within {Timeout}; stopping it forcibly.")]
    private static partial void LogForcedStop(ILogger logger, string taskHub, TimeSpan timeout);
}
