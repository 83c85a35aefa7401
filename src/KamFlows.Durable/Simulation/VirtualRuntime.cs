// The durable runtime in memory, on a clock moved by hand: for simulations that run years of many instances in
// seconds. It uses the same step planner and replay engine as the storage-backed runtime, so orchestrators behave
// exactly as they do in production; only persistence, queues and the passing of time are simulated. Invariants:
// - single-threaded: one instance step at a time, activities run inline right after the step that scheduled them;
// - time moves only in AdvanceToAsync, from one due timer to the next, and every instance due at a moment runs
//   (to quiescence) before time moves on;
// - client calls (schedule, raise event with signal-with-start, terminate) have the storage client's semantics.
using KamFlows.Durable.History;
using KamFlows.Durable.Replay;
using KamFlows.Durable.Storage;
using KamFlows.Durable.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KamFlows.Durable.Simulation;

/// <summary>A <see cref="TimeProvider"/> that only moves when told to.</summary>
public sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock forward (never back).</summary>
    public void MoveTo(DateTimeOffset time)
    {
        if (time > _now)
        {
            _now = time;
        }
    }
}

/// <summary>Runs orchestrations in memory on a <see cref="VirtualClock"/>.</summary>
public sealed class VirtualRuntime
{
    private const string HostId = "virtual";
    private readonly Dictionary<string, InstanceState> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _eventIds = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _timers = new();
    private readonly HashSet<string> _armed = new(StringComparer.Ordinal);
    private readonly Queue<string> _runnable = new();
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);
    private readonly DurableTaskRegistry _registry;
    private readonly IServiceProvider _services;
    private readonly DurableOptions _options;
    private readonly StepPlanner _planner;
    private readonly OrchestrationSessions _sessions = new(); // Every step commits here, so sessions stay valid: no replays.
    private readonly VirtualClock _clock;
    private long _order;
    private long _steps;
    private long _activities;

    /// <summary>Creates a runtime; activities are created from <paramref name="services"/> (one scope each).</summary>
    public VirtualRuntime(DurableTaskRegistry registry, IServiceProvider services, VirtualClock clock, DurableOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _options = options ?? new DurableOptions();
        _planner = new StepPlanner(registry, services, _options, loggerFactory ?? NullLoggerFactory.Instance, _sessions);
    }

    /// <summary>The simulated clock.</summary>
    public VirtualClock Clock => _clock;

    /// <summary>Steps committed so far.</summary>
    public long Steps => _steps;

    /// <summary>Activities run so far.</summary>
    public long ActivityExecutions => _activities;

    /// <summary>
    /// Keeps memory flat for large simulations: a finished instance's history is dropped (its status and output stay), and
    /// a running instance whose state lives on in its session keeps only its open calls and timers (all the step planner
    /// needs). <see cref="GetHistory"/> then returns what is kept, not the whole history.
    /// </summary>
    public bool LowMemory { get; set; }

    /// <summary>Ids of every instance.</summary>
    public IReadOnlyCollection<string> InstanceIds => _instances.Keys;

    /// <summary>Starts an instance (same semantics as <see cref="DurableTaskClient.ScheduleNewOrchestrationInstanceAsync"/>).</summary>
    public string Schedule(string orchestratorName, object? input, string? instanceId = null, string? version = null, DateTimeOffset? startAt = null)
    {
        var id = instanceId ?? Guid.NewGuid().ToString("N");
        if (_instances.TryGetValue(id, out var existing) && !existing.Record.IsTerminal)
        {
            throw new OrchestrationAlreadyExistsException(id, existing.Record.Status);
        }

        _instances[id] = NewInstance(orchestratorName, id, version, _options.DataConverter.Serialize(input), startAt);
        MarkRunnable(id);
        return id;
    }

    /// <summary>Delivers an event (same semantics as <see cref="DurableTaskClient.RaiseEventAsync"/>, signal-with-start included).</summary>
    public RaiseEventResult RaiseEvent(string instanceId, string eventName, object? eventData = null, RaiseEventOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        if (options?.EventId is { } eventId && !SeenEventIds(instanceId).Add(eventId))
        {
            return RaiseEventResult.Duplicate;
        }

        var message = new InboxMessage
        {
            RowKey = InboxMessage.NewRowKey(++_order),
            Kind = InboxKind.EventRaised,
            Name = eventName,
            Payload = _options.DataConverter.Serialize(eventData),
            Order = _order,
        };
        var result = RaiseEventResult.Delivered;
        if (!_instances.TryGetValue(instanceId, out var state) || (state.Record.IsTerminal && options?.RestartIfCompleted == true && options.StartOrchestratorName is not null))
        {
            if (options?.StartOrchestratorName is not { } start)
            {
                return RaiseEventResult.InstanceNotFound;
            }

            var fresh = NewInstance(start, instanceId, null, _options.DataConverter.Serialize(options.StartInput), null);
            if (state is not null)
            {
                fresh.Inbox.AddRange(state.Inbox);
            }

            _instances[instanceId] = state = fresh;
            result = RaiseEventResult.Started;
        }

        state.Inbox.Add(message);
        MarkRunnable(instanceId);
        return result;
    }

    /// <summary>Stops an instance; false if unknown.</summary>
    public bool Terminate(string instanceId, string? reason = null)
    {
        if (!_instances.TryGetValue(instanceId, out var state))
        {
            return false;
        }

        state.Inbox.Add(new InboxMessage { RowKey = InboxMessage.NewRowKey(++_order), Kind = InboxKind.Terminate, Reason = reason, Order = _order });
        MarkRunnable(instanceId);
        return true;
    }

    /// <summary>What a client would see of the instance (inputs, outputs and custom status included); null if unknown.</summary>
    public OrchestrationMetadata? GetInstance(string instanceId)
    {
        if (!_instances.TryGetValue(instanceId, out var s))
        {
            return null;
        }

        var r = s.Record;
        return new OrchestrationMetadata
        {
            InstanceId = r.InstanceId, Name = r.Name, Version = r.Version, ExecutionId = r.ExecutionId, RuntimeStatus = r.Status,
            CreatedAt = r.CreatedAt, LastUpdatedAt = r.LastUpdatedAt, CompletedAt = r.CompletedAt, ScheduledStartAt = r.ScheduledStartAt,
            ParentInstanceId = r.ParentInstanceId, FailureDetails = r.Failure, SerializedInput = s.PendingInput ?? r.Input,
            SerializedOutput = r.Output, SerializedCustomStatus = r.CustomStatus, Converter = _options.DataConverter,
        };
    }

    /// <summary>The current execution's history.</summary>
    public IReadOnlyList<HistoryEvent> GetHistory(string instanceId) =>
        _instances.TryGetValue(instanceId, out var s) ? [.. s.Events] : [];

    /// <summary>When the next timer is due, or null if none is pending.</summary>
    public DateTimeOffset? NextTimer => _timers.TryPeek(out _, out var at) ? at : null;

    /// <summary>Runs every instance that has work now, until none has.</summary>
    public async Task RunUntilIdleAsync(CancellationToken cancellationToken = default)
    {
        while (_runnable.TryDequeue(out var id))
        {
            _queued.Remove(id);
            cancellationToken.ThrowIfCancellationRequested();
            await RunInstanceAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Moves time to <paramref name="target"/>, stopping at every due timer on the way and running what is due there.</summary>
    public async Task AdvanceToAsync(DateTimeOffset target, CancellationToken cancellationToken = default)
    {
        await RunUntilIdleAsync(cancellationToken).ConfigureAwait(false);
        while (_timers.TryPeek(out _, out var due) && due <= target)
        {
            _clock.MoveTo(due);
            while (_timers.TryPeek(out var key, out var at) && at <= due)
            {
                _timers.Dequeue();
                _armed.Remove(key);
                MarkRunnable(key[..key.IndexOf('\n', StringComparison.Ordinal)]);
            }

            await RunUntilIdleAsync(cancellationToken).ConfigureAwait(false);
        }

        _clock.MoveTo(target);
        await RunUntilIdleAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunInstanceAsync(string id, CancellationToken cancellationToken)
    {
        var results = new Dictionary<int, ActivityResult>();
        var childFailures = new Dictionary<int, TaskFailureDetails>();
        var noneRunning = new HashSet<int>();
        while (true)
        {
            var state = _instances[id];
            var now = _clock.GetUtcNow();
            var plan = _planner.Plan(state, results, childFailures, noneRunning, HostId, now, now, failMissingVersion: true);
            foreach (var row in plan.TimerRows)
            {
                Arm(row);
            }

            if (plan.Commit is not { } commit)
            {
                return;
            }

            foreach (var child in plan.Children)
            {
                StartChild(state, child, childFailures);
            }

            if (plan.Parent is { } parent && _instances.TryGetValue(parent.ParentInstanceId, out var parentState))
            {
                parentState.Inbox.Add(parent.Message with { Order = ++_order });
                MarkRunnable(parent.ParentInstanceId);
            }

            _instances[id] = state = new InstanceState
            {
                InstanceId = id,
                PartitionKey = state.PartitionKey,
                Record = commit.Record,
                Chunks = LowMemory ? Compact(id, commit.Record, plan.ChunksAfter) : plan.ChunksAfter,
                Inbox = [.. state.Inbox.Where(m => !commit.InboxDeletes.Contains(m.RowKey))],
            };
            _steps++;
            foreach (var t in plan.ConsumedResults)
            {
                results.Remove(t);
            }

            foreach (var t in plan.ConsumedChildFailures)
            {
                childFailures.Remove(t);
            }

            foreach (var activity in plan.ActivitiesToStart)
            {
                results[activity.TaskId!.Value] = await RunActivityAsync(state, activity, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Low-memory mode: what of a history the planner still needs once the session holds the orchestrator's state.</summary>
    private List<HistoryChunk> Compact(string id, InstanceRecord record, List<HistoryChunk> chunks)
    {
        if (record.IsTerminal)
        {
            return [];
        }

        if (chunks.Count == 0 || !chunks[^1].Ran || !_sessions.HasLiveSession(id, record.ExecutionId))
        {
            return chunks;
        }

        var done = new HashSet<int>();
        foreach (var e in chunks.SelectMany(c => c.Events))
        {
            if (e.Kind is HistoryEventKind.TaskCompleted or HistoryEventKind.TaskFailed or HistoryEventKind.TimerFired
                or HistoryEventKind.SubOrchestrationCompleted or HistoryEventKind.SubOrchestrationFailed)
            {
                done.Add(e.TaskId!.Value);
            }
        }

        List<HistoryEvent> open = [.. chunks.SelectMany(c => c.Events).Where(e =>
            e.Kind is HistoryEventKind.TaskScheduled or HistoryEventKind.TimerCreated or HistoryEventKind.SubOrchestrationCreated && !done.Contains(e.TaskId!.Value))];
        _sessions.Rebase(id, open.Count);
        return [new HistoryChunk(chunks[^1].RowKey, chunks[^1].Step, Ran: true, open)];
    }

    private async Task<ActivityResult> RunActivityAsync(InstanceState state, HistoryEvent scheduled, CancellationToken cancellationToken)
    {
        _activities++;
        var taskId = scheduled.TaskId!.Value;
        await using var scope = _services.CreateAsyncScope();
        if (!_registry.TryCreateActivity(scheduled.Name!, scope.ServiceProvider, out var activity))
        {
            return new ActivityResult(taskId, null, new TaskFailureDetails("ActivityNotRegistered", $"Activity '{scheduled.Name}' is not registered."));
        }

        try
        {
            var input = _options.DataConverter.Deserialize(scheduled.Payload, activity.InputType);
            var output = await activity.RunAsync(new TaskActivityContext(scheduled.Name!, state.InstanceId, state.Record.ExecutionId, taskId, cancellationToken), input).ConfigureAwait(false);
            return new ActivityResult(taskId, _options.DataConverter.Serialize(output), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new ActivityResult(taskId, null, TaskFailureDetails.FromException(ex));
        }
    }

    private void StartChild(InstanceState parent, ChildStart child, Dictionary<int, TaskFailureDetails> childFailures)
    {
        var id = child.Record.InstanceId;
        if (_instances.TryGetValue(id, out var existing) && !(existing.Record.ParentInstanceId == parent.InstanceId && existing.Record.ParentTaskId == child.ParentTaskId))
        {
            childFailures[child.ParentTaskId] = new TaskFailureDetails("InstanceIdInUse", $"Instance id '{id}' is already used by another instance.");
            return;
        }

        if (existing is null)
        {
            _instances[id] = new InstanceState { InstanceId = id, PartitionKey = id, Record = child.Record, PendingInput = child.Record.Input };
            MarkRunnable(id);
        }
    }

    private void Arm(TimerRow row)
    {
        var key = row.InstanceId + "\n" + row.RowKey;
        if (_armed.Add(key))
        {
            _timers.Enqueue(key, row.FireAt);
        }
    }

    private void MarkRunnable(string id)
    {
        if (_queued.Add(id))
        {
            _runnable.Enqueue(id);
        }
    }

    private HashSet<string> SeenEventIds(string instanceId)
    {
        if (!_eventIds.TryGetValue(instanceId, out var ids))
        {
            _eventIds[instanceId] = ids = new HashSet<string>(StringComparer.Ordinal);
        }

        return ids;
    }

    private InstanceState NewInstance(string name, string id, string? version, string? input, DateTimeOffset? startAt)
    {
        var resolved = version ?? _registry.GetDefaultVersion(name)
            ?? throw new ArgumentException($"Orchestrator '{name}' is not registered.", nameof(name));
        var now = _clock.GetUtcNow();
        var record = new InstanceRecord
        {
            InstanceId = id, Name = name, Version = resolved, ExecutionId = StepPlanner.NewExecutionId(), Status = OrchestrationRuntimeStatus.Pending,
            Input = input, CreatedAt = now, LastUpdatedAt = now, ScheduledStartAt = startAt > now ? startAt : null,
        };
        return new InstanceState { InstanceId = id, PartitionKey = id, Record = record, PendingInput = input };
    }
}
