// Everything outside the workflows talks to them through the SDK's DurableTaskClient, here and in Azure alike. This
// adapter speaks DurableTask.Core's message protocol to the Azure Storage service, serializing with the same
// DataConverter as the worker's shims so ReadInputAs/ReadOutputAs read what orchestrators wrote. Starting an id
// that is still live never replaces it: the caller gets an exception instead of a silently terminated instance.
using System.Globalization;
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using CoreFailureDetails = DurableTask.Core.FailureDetails;
using PurgeResult = Microsoft.DurableTask.Client.PurgeResult;
using CorePurgeInstanceFilter = DurableTask.Core.PurgeInstanceFilter;
using CoreQuery = DurableTask.Core.Query.OrchestrationQuery;
using CoreState = DurableTask.Core.OrchestrationState;
using CoreStatus = DurableTask.Core.OrchestrationStatus;

namespace KamFlows.TaskHub;

/// <summary>
/// A <see cref="DurableTaskClient"/> over DurableTask.Core and the Azure Storage orchestration service: start, signal,
/// query, suspend, resume, terminate, restart and purge instances of the local task hub, and read their history.
/// </summary>
public sealed class TaskHubDurableClient : DurableTaskClient
{
    private static readonly CoreStatus[] LiveStatuses = [CoreStatus.Pending, CoreStatus.Running, CoreStatus.Suspended];
    private static readonly CoreStatus[] TerminalStatuses = [CoreStatus.Completed, CoreStatus.Failed, CoreStatus.Terminated];
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(1);

    // DurableTask.AzureStorage checks for an existing instance, then writes the instance row without a condition when
    // there was none: two concurrent starts of one id both "succeed". Starts of the same id are serialized in this
    // process (striped locks); across processes the race remains.
    private readonly SemaphoreSlim[] _startLocks = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    private readonly AzureStorageOrchestrationService _service;
    private readonly DataConverter _converter;
    private readonly string _defaultVersion;

    /// <summary>A client of the task hub that <paramref name="service"/> serves.</summary>
    /// <param name="name">Client name (the task hub name is a good one).</param>
    /// <param name="service">The Azure Storage orchestration service of the task hub.</param>
    /// <param name="settings">Supplies the <see cref="TaskHubSettings.DataConverter"/> and <see cref="TaskHubSettings.DefaultVersion"/>.</param>
    public TaskHubDurableClient(string name, AzureStorageOrchestrationService service, TaskHubSettings settings)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(settings);
        _service = service;
        _converter = settings.DataConverter;
        _defaultVersion = settings.DefaultVersion;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The instance gets <see cref="StartOrchestrationOptions.Version"/> or else <see cref="TaskHubSettings.DefaultVersion"/>.
    /// An existing instance with the same id is replaced only when it is finished (Completed, Failed, Terminated) and
    /// its status is not listed in <see cref="StartOrchestrationOptions.DedupeStatuses"/>; otherwise
    /// <see cref="OrchestrationInstanceExistsException"/> is thrown. <see cref="StartOrchestrationOptions.StartAt"/> may be
    /// at most 6 days ahead (a queue message's visibility delay).
    /// </remarks>
    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(orchestratorName.Name, nameof(orchestratorName));
        cancellation.ThrowIfCancellationRequested();
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId, nameof(options));
        if (options?.StartAt is { } startAt && startAt - DateTimeOffset.UtcNow > TaskHubSettings.MaximumAllowedTimerInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(options), startAt, "StartAt may be at most 6 days ahead (Azure Queues delay a message by 7 days at most); start now and wait on a durable timer instead.");
        }

        var dedupe = LiveStatuses.Concat(ParseDedupeStatuses(options?.DedupeStatuses)).Distinct().ToArray();
        var version = options?.Version is { } v && !string.IsNullOrEmpty(v.Version) ? v.Version : _defaultVersion;
        var tags = options?.Tags?.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal) ?? new Dictionary<string, string>(StringComparer.Ordinal);
        await CreateAsync(instanceId, orchestratorName.Name, version, _converter.Serialize(input), tags, options?.StartAt, dedupe).ConfigureAwait(false);
        return instanceId;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Delivered to the instance's latest execution (no execution id). An instance that has not started yet is waited
    /// for (see <see cref="StartWaitLimit"/>): DurableTask.AzureStorage drops a message that reaches an instance before
    /// its start has been processed. Throws <see cref="InvalidOperationException"/> for an unknown instance or one
    /// scheduled to start later.
    /// </remarks>
    public override async Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        await WaitUntilStartedAsync(instanceId, cancellation).ConfigureAwait(false);
        await SendAsync(instanceId, new EventRaisedEvent(-1, _converter.Serialize(eventPayload)) { Name = eventName }, cancellation).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>Like <see cref="RaiseEventAsync"/>, waits for an instance that has not started yet.</remarks>
    public override async Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
    {
        await WaitUntilStartedAsync(instanceId, cancellation).ConfigureAwait(false);
        await SendAsync(instanceId, new ExecutionSuspendedEvent(-1, reason), cancellation).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionResumedEvent(-1, reason), cancellation);

    /// <summary>How long <see cref="RaiseEventAsync"/> and <see cref="SuspendInstanceAsync"/> wait for a Pending instance to start.</summary>
    public TimeSpan StartWaitLimit { get; init; } = TimeSpan.FromMinutes(2);

    /// <inheritdoc/>
    /// <remarks><see cref="TerminateInstanceOptions.Output"/> becomes the instance's output; recursive termination is not supported.</remarks>
    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        cancellation.ThrowIfCancellationRequested();
        if (options?.Recursive == true)
        {
            throw new NotSupportedException("Recursive termination is not supported by the local task hub: terminate sub-orchestrations by their ids.");
        }

        return _service.ForceTerminateTaskOrchestrationAsync(instanceId, _converter.Serialize(options?.Output));
    }

    /// <inheritdoc/>
    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        var state = await GetStateAsync(instanceId, getInputsAndOutputs, cancellation).ConfigureAwait(false);
        return state is null ? null : ToMetadata(await WithFailureDetailsAsync(state).ConfigureAwait(false), getInputsAndOutputs);
    }

    /// <inheritdoc/>
    /// <remarks>Pages come from the instances table (status, created from/to, instance id prefix, page size, continuation token).</remarks>
    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) =>
        Pageable.Create(async (continuation, pageSize, cancellation) =>
        {
            var query = new CoreQuery
            {
                RuntimeStatus = filter?.Statuses?.Select(ToCore).ToList(),
                CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime,
                CreatedTimeTo = filter?.CreatedTo?.UtcDateTime,
                InstanceIdPrefix = filter?.InstanceIdPrefix,
                PageSize = pageSize ?? filter?.PageSize ?? OrchestrationQuery.DefaultPageSize,
                ContinuationToken = continuation ?? filter?.ContinuationToken,
                FetchInputsAndOutputs = filter?.FetchInputsAndOutputs ?? false,
            };
            var result = await _service.GetOrchestrationWithQueryAsync(query, cancellation).ConfigureAwait(false);
            var page = new List<OrchestrationMetadata>(result.OrchestrationState.Count);
            foreach (var state in result.OrchestrationState)
            {
                page.Add(ToMetadata(await WithFailureDetailsAsync(state).ConfigureAwait(false), query.FetchInputsAndOutputs));
            }

            return new Page<OrchestrationMetadata>(page, string.IsNullOrEmpty(result.ContinuationToken) ? null : result.ContinuationToken);
        });

    /// <inheritdoc/>
    /// <remarks>Polls with back-off (50 ms doubling to 1 s). Throws <see cref="InvalidOperationException"/> for an unknown instance.</remarks>
    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        PollAsync(instanceId, getInputsAndOutputs, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellation);

    /// <inheritdoc/>
    /// <remarks>Polls with back-off (50 ms doubling to 1 s) until Completed, Failed or Terminated. Throws <see cref="InvalidOperationException"/> for an unknown instance.</remarks>
    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        PollAsync(instanceId, getInputsAndOutputs, m => m.IsCompleted, cancellation);

    /// <inheritdoc/>
    /// <remarks>Only a finished instance can be purged (<see cref="InvalidOperationException"/> otherwise); an unknown one purges nothing.</remarks>
    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ThrowIfRecursive(options);
        var state = await GetStateAsync(instanceId, false, cancellation).ConfigureAwait(false);
        if (state is null)
        {
            return new PurgeResult(0);
        }

        if (!TerminalStatuses.Contains(state.OrchestrationStatus))
        {
            throw new InvalidOperationException($"Instance '{instanceId}' is {state.OrchestrationStatus}: only a Completed, Failed or Terminated instance can be purged.");
        }

        var result = await _service.PurgeInstanceHistoryAsync(instanceId).ConfigureAwait(false);
        return new PurgeResult(result.InstancesDeleted);
    }

    /// <inheritdoc/>
    /// <remarks>Without statuses, purges Completed, Failed and Terminated instances in the creation-time range; live statuses are refused.</remarks>
    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ThrowIfRecursive(options);
        cancellation.ThrowIfCancellationRequested();
        var statuses = filter.Statuses?.Select(ToCore).Distinct().ToList() is { Count: > 0 } s ? s : TerminalStatuses.ToList();
        var refused = statuses.Where(st => !TerminalStatuses.Contains(st)).ToList();
        if (refused.Count > 0)
        {
            throw new ArgumentException($"Instances that are {string.Join(" or ", refused)} cannot be purged: only Completed, Failed or Terminated ones.", nameof(filter));
        }

        var core = new CorePurgeInstanceFilter(filter.CreatedFrom?.UtcDateTime ?? DateTime.MinValue, filter.CreatedTo?.UtcDateTime, statuses) { Timeout = filter.Timeout };
        var result = await ((IOrchestrationServicePurgeClient)_service).PurgeInstanceStateAsync(core).ConfigureAwait(false);
        return new PurgeResult(result.DeletedInstanceCount, result.IsComplete);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Starts the instance again with its original name, version, input and tags. With the same id the old instance
    /// must be finished (<see cref="OrchestrationInstanceExistsException"/> otherwise); an unknown id throws <see cref="ArgumentException"/>.
    /// </remarks>
    public override async Task<string> RestartAsync(string instanceId, bool restartWithNewInstanceId = false, CancellationToken cancellation = default)
    {
        var state = await GetStateAsync(instanceId, true, cancellation).ConfigureAwait(false)
                    ?? throw new ArgumentException($"An orchestration with the instance ID '{instanceId}' was not found.", nameof(instanceId));
        var newId = restartWithNewInstanceId ? Guid.NewGuid().ToString("N") : instanceId;
        var tags = state.Tags is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(state.Tags, StringComparer.Ordinal);
        await CreateAsync(newId, state.Name, string.IsNullOrEmpty(state.Version) ? _defaultVersion : state.Version, state.Input, tags, null, LiveStatuses).ConfigureAwait(false);
        return newId;
    }

    /// <inheritdoc/>
    /// <remarks>The history of the latest execution; an unknown id throws <see cref="ArgumentException"/>.</remarks>
    public override async Task<IList<HistoryEvent>> GetOrchestrationHistoryAsync(string instanceId, CancellationToken cancellation = default)
    {
        var state = await GetStateAsync(instanceId, false, cancellation).ConfigureAwait(false)
                    ?? throw new ArgumentException($"An orchestration with the instance ID '{instanceId}' was not found.", nameof(instanceId));
        var json = await _service.GetOrchestrationHistoryAsync(instanceId, state.OrchestrationInstance.ExecutionId).ConfigureAwait(false);
        return HistoryEventJson.Deserialize(json);
    }

    /// <inheritdoc/>
    public override ValueTask DisposeAsync()
    {
        // The service belongs to the DI container; only the start locks are this client's.
        foreach (var gate in _startLocks)
        {
            gate.Dispose();
        }

        return default;
    }

    private async Task CreateAsync(string instanceId, string name, string version, string? serializedInput, Dictionary<string, string> tags, DateTimeOffset? startAt, CoreStatus[] dedupe)
    {
        var gate = _startLocks[(StringComparer.Ordinal.GetHashCode(instanceId) & int.MaxValue) % _startLocks.Length];
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await CreateUnderLockAsync(instanceId, name, version, serializedInput, tags, startAt, dedupe).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task CreateUnderLockAsync(string instanceId, string name, string version, string? serializedInput, Dictionary<string, string> tags, DateTimeOffset? startAt, CoreStatus[] dedupe)
    {
        var instance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = Guid.NewGuid().ToString("N") };
        tags[OrchestrationTags.CreateTraceForNewOrchestration] = "true";
        tags[OrchestrationTags.RequestTime] = DateTimeOffset.UtcNow.ToString(CultureInfo.InvariantCulture);
        var message = new TaskMessage
        {
            OrchestrationInstance = instance,
            Event = new ExecutionStartedEvent(-1, serializedInput)
            {
                Name = name,
                Version = version,
                OrchestrationInstance = instance,
                ScheduledStartTime = startAt?.UtcDateTime,
                Tags = tags,
            },
        };
        try
        {
            await _service.CreateTaskOrchestrationAsync(message, dedupe).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OrchestrationAlreadyExistsException and not OrchestrationInstanceExistsException || IsWriteConflict(e))
        {
            // A write conflict: another start of the same id wrote the instance row between the check and the write.
            var existing = await GetStateAsync(instanceId, false, CancellationToken.None).ConfigureAwait(false);
            throw new OrchestrationInstanceExistsException(instanceId, existing is null ? null : FromCore(existing.OrchestrationStatus), e);
        }
    }

    /// <summary>
    /// DurableTask.AzureStorage defers a start message until the client has written the instance row (it is queued
    /// first), and drops any other message that reaches an instance whose start has not been processed ("No such
    /// instance"). A message sent right after a start can overtake it, so wait for the instance to leave Pending. A Pending
    /// row with a custom status belongs to an instance that has run (a process killed between the start message and the
    /// instance row can leave it so): a message to it is kept, so it does not wait.
    /// </summary>
    private async Task WaitUntilStartedAsync(string instanceId, CancellationToken cancellation)
    {
        var state = await GetStateAsync(instanceId, false, cancellation).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Orchestration instance '{instanceId}' does not exist: nothing to deliver the message to.");
        if (!AwaitsStart(state))
        {
            return;
        }

        if (state.ScheduledStartTime is { } start && start > DateTime.UtcNow.AddSeconds(1))
        {
            throw new InvalidOperationException($"Orchestration instance '{instanceId}' starts at {start:O}; a message sent before it starts would be dropped.");
        }

        var until = DateTime.UtcNow + StartWaitLimit;
        var delay = TimeSpan.FromMilliseconds(50);
        while (AwaitsStart(state))
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Orchestration instance '{instanceId}' did not start within {StartWaitLimit}: is a worker running for task hub '{Name}'?");
            }

            await Task.Delay(delay, cancellation).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollInterval.Ticks));
            state = await GetStateAsync(instanceId, false, cancellation).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Orchestration instance '{instanceId}' was purged while waiting for it to start.");
        }
    }

    private static bool AwaitsStart(CoreState state) => state is { OrchestrationStatus: CoreStatus.Pending, Status: null };

    private static bool IsWriteConflict(Exception e) => e switch
    {
        Azure.RequestFailedException { Status: 409 or 412 } => true,
        _ => e.InnerException is { } inner && IsWriteConflict(inner), // DurableTask.AzureStorage wraps storage errors.
    };

    private async Task SendAsync(string instanceId, HistoryEvent historyEvent, CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        cancellation.ThrowIfCancellationRequested();
        await _service.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = historyEvent,
        }).ConfigureAwait(false);
    }

    private async Task<CoreState?> GetStateAsync(string instanceId, bool fetchInput, CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        cancellation.ThrowIfCancellationRequested();
        var states = await _service.GetOrchestrationStateAsync(instanceId, allExecutions: false, fetchInput).WaitAsync(cancellation).ConfigureAwait(false);
        return states?.FirstOrDefault(s => s is not null);
    }

    /// <summary>
    /// The instances table keeps only "type: message" of a failure; the full details (inner failure, stack) are on the
    /// history's ExecutionCompleted event, read for failed instances only.
    /// </summary>
    private async Task<CoreState> WithFailureDetailsAsync(CoreState state)
    {
        if (state.OrchestrationStatus != CoreStatus.Failed || state.FailureDetails is not null)
        {
            return state;
        }

        var json = await _service.GetOrchestrationHistoryAsync(state.OrchestrationInstance.InstanceId, state.OrchestrationInstance.ExecutionId).ConfigureAwait(false);
        state.FailureDetails = HistoryEventJson.Deserialize(json).OfType<ExecutionCompletedEvent>().LastOrDefault()?.FailureDetails;
        return state;
    }

    private async Task<OrchestrationMetadata> PollAsync(string instanceId, bool getInputsAndOutputs, Func<OrchestrationMetadata, bool> done, CancellationToken cancellation)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var metadata = await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation).ConfigureAwait(false)
                           ?? throw new InvalidOperationException($"Orchestration instance '{instanceId}' does not exist.");
            if (done(metadata))
            {
                return metadata;
            }

            await Task.Delay(delay, cancellation).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollInterval.Ticks));
        }
    }

    private OrchestrationMetadata ToMetadata(CoreState state, bool withPayloads) =>
        new(state.Name, state.OrchestrationInstance.InstanceId)
        {
            DataConverter = withPayloads ? _converter : null,
            RuntimeStatus = FromCore(state.OrchestrationStatus),
            CreatedAt = DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc),
            LastUpdatedAt = DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc),
            SerializedInput = withPayloads ? state.Input : null,
            SerializedOutput = withPayloads ? state.Output : null,
            SerializedCustomStatus = state.Status,
            Tags = state.Tags is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(state.Tags, StringComparer.Ordinal),
            FailureDetails = ToFailureDetails(state),
        };

    private static TaskFailureDetails? ToFailureDetails(CoreState state)
    {
        if (state.FailureDetails is { } details)
        {
            return ToTaskFailureDetails(details);
        }

        // Instances failed without failure details (e.g. by an older worker) carry the reason in their output.
        return state.OrchestrationStatus == CoreStatus.Failed
            ? new TaskFailureDetails("OrchestrationFailed", state.Output ?? "The orchestration failed without details.", null, null, null)
            : null;
    }

    private static TaskFailureDetails ToTaskFailureDetails(CoreFailureDetails d) =>
        new(d.ErrorType, d.ErrorMessage, d.StackTrace, d.InnerFailure is null ? null : ToTaskFailureDetails(d.InnerFailure), d.Properties);

    private static IEnumerable<CoreStatus> ParseDedupeStatuses(IReadOnlyList<string>? statuses) =>
        statuses?.Select(s => Enum.TryParse<OrchestrationRuntimeStatus>(s, ignoreCase: true, out var status)
            ? ToCore(status)
            : throw new ArgumentException($"'{s}' is not an orchestration runtime status (DedupeStatuses).", nameof(statuses))) ?? [];

    private static void ThrowIfRecursive(PurgeInstanceOptions? options)
    {
        if (options?.Recursive == true)
        {
            throw new NotSupportedException("Recursive purge is not supported by the local task hub: purge sub-orchestrations by their ids.");
        }
    }

    // The two enums share names and values (DurableTask.Core's is the SDK's source).
    private static CoreStatus ToCore(OrchestrationRuntimeStatus status) => (CoreStatus)(int)status;

    private static OrchestrationRuntimeStatus FromCore(CoreStatus status) => (OrchestrationRuntimeStatus)(int)status;
}
