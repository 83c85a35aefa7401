// Runs the real orchestrator and activity classes on virtual time by driving DurableTask.Core's replay
// (TaskOrchestrationExecutor through the SDK's DurableTaskShimFactory, as Durable Functions does), with history events
// stamped by a clock moved by hand: years of many instances in seconds. Only queues and the passing of time are
// simulated; what an orchestrator decides is exactly what it decides on the Azure Storage backend. Invariants:
// - single-threaded: one episode at a time; activities run right after the episode that scheduled them, at the same
//   virtual moment, and their results come back as TaskCompleted/TaskFailed messages, as the dispatcher does;
// - each instance keeps its executor between episodes (extended sessions): new events only, no re-replay;
// - time moves only in AdvanceToAsync, to the next due timer, after every instance has run to quiescence at the
//   current moment; timers fire exactly at their FireAt (the storage backend may fire up to a second early);
// - ContinueAsNew starts a fresh history; messages of the old execution are dropped, raised events are kept.
using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using CoreStatus = DurableTask.Core.OrchestrationStatus;
using OrchestrationMetadata = Microsoft.DurableTask.Client.OrchestrationMetadata;
using OrchestrationRuntimeStatus = Microsoft.DurableTask.Client.OrchestrationRuntimeStatus;

namespace KamFlows.Workflows.Simulation;

/// <summary>A task hub in memory on a <see cref="VirtualClock"/>.</summary>
public sealed class VirtualTaskHub
{
    private readonly Dictionary<string, Func<IServiceProvider, ITaskOrchestrator>> _orchestrators = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Func<IServiceProvider, ITaskActivity>> _activities = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Instance> _instances = new(StringComparer.Ordinal);
    private readonly PriorityQueue<(string InstanceId, string ExecutionId), (DateTimeOffset At, long Seq)> _timers = new();
    private readonly Queue<string> _ready = new();
    private readonly IServiceProvider _services;
    private readonly DurableTaskShimFactory _shims;
    private long _seq;

    /// <param name="registry">The orchestrators and activities (e.g. <see cref="WorkflowsRegistration"/>).</param>
    /// <param name="services">What activities are constructed from.</param>
    /// <param name="clock">The virtual clock; only this hub moves it.</param>
    /// <param name="maximumTimerInterval">The SDK's timer chunking (the Azure Storage backend's limit); default 3 days.</param>
    /// <param name="loggerFactory">For the SDK's replay-safe loggers.</param>
    public VirtualTaskHub(DurableTaskRegistry registry, IServiceProvider services, VirtualClock clock, TimeSpan? maximumTimerInterval = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(clock);
        foreach (var (name, factory) in registry.GetOrchestrators())
        {
            _orchestrators[name.Name] = factory;
        }

        foreach (var (name, factory) in registry.GetActivities())
        {
            _activities[name.Name] = factory;
        }

        _services = services;
        Clock = clock;
        var options = new DurableTaskWorkerOptions { MaximumTimerInterval = maximumTimerInterval ?? TimeSpan.FromDays(3) };
        _shims = new DurableTaskShimFactory(options, loggerFactory ?? NullLoggerFactory.Instance);
    }

    public VirtualClock Clock { get; }

    /// <summary>
    /// Keep each execution's history (tests, replay recordings). Off, only the executor's in-memory state is kept
    /// between episodes (it never re-reads past events): large portfolios fit in far less memory.
    /// </summary>
    public bool KeepHistory { get; init; } = true;

    /// <summary>Episodes run (one per batch of new events for an instance).</summary>
    public long Episodes { get; private set; }

    /// <summary>Activity executions.</summary>
    public long ActivityExecutions { get; private set; }

    public IReadOnlyCollection<string> InstanceIds => _instances.Keys;

    /// <summary>The next time a timer fires, if any.</summary>
    public DateTimeOffset? NextTimer => _timers.TryPeek(out _, out var at) ? at.At : null;

    /// <summary>
    /// Starts an instance; an existing one in a terminal state is replaced, a running one throws
    /// <see cref="global::DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException"/> (the Azure Storage client's behaviour).
    /// </summary>
    public void Schedule(string orchestratorName, string instanceId, string? serializedInput, string version = "")
    {
        if (_instances.TryGetValue(instanceId, out var existing) && !existing.IsFinished)
        {
            throw new global::DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException($"An orchestration with instance ID '{instanceId}' is {existing.Status}.");
        }

        if (!_orchestrators.ContainsKey(orchestratorName))
        {
            throw new ArgumentException($"No orchestrator named '{orchestratorName}' is registered.", nameof(orchestratorName));
        }

        var instance = new Instance(instanceId, orchestratorName);
        _instances[instanceId] = instance;
        instance.Begin(serializedInput, version, Clock.GetUtcNow());
        Enqueue(instance);
    }

    /// <summary>Raises an event; an unknown or finished instance discards it (as DurableTask.AzureStorage does).</summary>
    public bool RaiseEvent(string instanceId, string eventName, string? serializedData)
    {
        if (!_instances.TryGetValue(instanceId, out var instance) || instance.IsFinished)
        {
            return false;
        }

        instance.Inbox.Add(new EventRaisedEvent(-1, serializedData) { Name = eventName });
        Enqueue(instance);
        return true;
    }

    /// <summary>The instance as a client sees it, or null.</summary>
    public OrchestrationMetadata? GetInstance(string instanceId) =>
        _instances.TryGetValue(instanceId, out var i) ? i.Metadata(Microsoft.DurableTask.Converters.JsonDataConverter.Default) : null;

    /// <summary>The current execution's history (DurableTask.Core events, virtual timestamps).</summary>
    public IReadOnlyList<HistoryEvent> GetHistory(string instanceId) =>
        _instances.TryGetValue(instanceId, out var i) ? [.. i.State.Events] : [];

    /// <summary>Runs every instance that has messages until none has (activities included), without moving time.</summary>
    public async Task RunUntilIdleAsync(CancellationToken cancellationToken = default)
    {
        while (_ready.TryDequeue(out var id))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var instance = _instances[id];
            instance.Queued = false;
            if (instance.Inbox.Count > 0 && !instance.IsFinished)
            {
                await RunEpisodeAsync(instance).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Moves the clock to <paramref name="target"/>, firing every timer due on the way at its own time.</summary>
    public async Task AdvanceToAsync(DateTimeOffset target, CancellationToken cancellationToken = default)
    {
        await RunUntilIdleAsync(cancellationToken).ConfigureAwait(false);
        while (_timers.TryPeek(out _, out var next) && next.At <= target)
        {
            Clock.MoveTo(next.At);
            while (_timers.TryPeek(out var due, out var at) && at.At <= Clock.GetUtcNow())
            {
                _timers.Dequeue();
                if (_instances.TryGetValue(due.InstanceId, out var instance) && instance.TryFireTimers(due.ExecutionId, Clock.GetUtcNow()))
                {
                    Enqueue(instance);
                }
            }

            await RunUntilIdleAsync(cancellationToken).ConfigureAwait(false);
        }

        Clock.MoveTo(target);
    }

    private void Enqueue(Instance instance)
    {
        if (!instance.Queued)
        {
            instance.Queued = true;
            _ready.Enqueue(instance.Id);
        }
    }

    private async Task RunEpisodeAsync(Instance instance)
    {
        Episodes++;
        var now = Clock.GetUtcNow().UtcDateTime;
        var state = instance.State;
        state.NewEvents.Clear();
        state.AddEvent(new OrchestratorStartedEvent(-1) { Timestamp = now });
        foreach (var e in instance.Inbox)
        {
            e.Timestamp = now;
            state.AddEvent(e);
        }

        instance.Inbox.Clear();
        OrchestratorExecutionResult result;
        if (instance.Executor is null)
        {
            var orchestrator = _orchestrators[instance.Name](_services);
            var orchestration = _shims.CreateOrchestration(new TaskName(instance.Name), orchestrator, parent: null);
            instance.Executor = new TaskOrchestrationExecutor(state, orchestration, BehaviorOnContinueAsNew.Carryover, ErrorPropagationMode.UseFailureDetails);
            result = instance.Executor.Execute();
        }
        else
        {
            result = instance.Executor.ExecuteNewEvents();
        }

        state.Status = result.CustomStatus;
        var activities = new List<ScheduleTaskOrchestratorAction>();
        OrchestrationCompleteOrchestratorAction? completion = null;
        foreach (var action in result.Actions ?? [])
        {
            switch (action)
            {
                case ScheduleTaskOrchestratorAction a:
                    state.AddEvent(new TaskScheduledEvent(a.Id, a.Name ?? string.Empty, a.Version, a.Input) { Timestamp = now });
                    activities.Add(a);
                    break;
                case CreateTimerOrchestratorAction t:
                    state.AddEvent(new TimerCreatedEvent(t.Id) { FireAt = t.FireAt, Timestamp = now });
                    instance.Timers.Add(new TimerFiredEvent(-1) { TimerId = t.Id, FireAt = t.FireAt });
                    _timers.Enqueue((instance.Id, instance.ExecutionId), (new DateTimeOffset(DateTime.SpecifyKind(t.FireAt, DateTimeKind.Utc)), _seq++));
                    break;
                case SendEventOrchestratorAction s:
                    state.AddEvent(new EventSentEvent(s.Id) { InstanceId = s.Instance?.InstanceId, Name = s.EventName, Input = s.EventData, Timestamp = now });
                    instance.Forwarded.Add((s.Instance?.InstanceId ?? instance.Id, s.EventName ?? string.Empty, s.EventData));
                    break;
                case OrchestrationCompleteOrchestratorAction c:
                    completion = c;
                    break;
                default:
                    throw new NotSupportedException($"{instance.Id}: the simulator does not run {action.OrchestratorActionType} (no KAM workflow uses it).");
            }
        }

        if (completion is not null)
        {
            Complete(instance, completion, now);
            return;
        }

        state.AddEvent(new OrchestratorCompletedEvent(-1) { Timestamp = now });
        if (!KeepHistory)
        {
            state.Events.Clear();
            state.PastEvents.Clear();
            state.NewEvents.Clear();
        }

        DeliverForwarded(instance);
        foreach (var a in activities)
        {
            instance.Inbox.Add(await RunActivityAsync(instance, a).ConfigureAwait(false));
        }

        if (instance.Inbox.Count > 0)
        {
            Enqueue(instance);
        }
    }

    private void Complete(Instance instance, OrchestrationCompleteOrchestratorAction completion, DateTime now)
    {
        if (completion.OrchestrationStatus == CoreStatus.ContinuedAsNew)
        {
            // A new execution: a new history and executor; raised events not yet applied follow it (carry-over).
            var pending = instance.Inbox.OfType<EventRaisedEvent>().ToList();
            var forwarded = instance.Forwarded.Where(f => f.InstanceId == instance.Id).ToList();
            instance.Forwarded.RemoveAll(f => f.InstanceId == instance.Id);
            DeliverForwarded(instance);
            instance.Begin(completion.Result, completion.NewVersion ?? instance.State.Version, Clock.GetUtcNow());
            instance.Inbox.AddRange(forwarded.Select(f => new EventRaisedEvent(-1, f.Data) { Name = f.Name }));
            instance.Inbox.AddRange(pending);
            Enqueue(instance);
            return;
        }

        instance.State.AddEvent(new ExecutionCompletedEvent(completion.Id, completion.Result, completion.OrchestrationStatus, completion.FailureDetails) { Timestamp = now });
        instance.State.AddEvent(new OrchestratorCompletedEvent(-1) { Timestamp = now });
        instance.Finish(completion, now);
        DeliverForwarded(instance);
    }

    private void DeliverForwarded(Instance from)
    {
        foreach (var (target, name, data) in from.Forwarded)
        {
            RaiseEvent(target, name, data);
        }

        from.Forwarded.Clear();
    }

    private async Task<HistoryEvent> RunActivityAsync(Instance instance, ScheduleTaskOrchestratorAction action)
    {
        ActivityExecutions++;
        if (!_activities.TryGetValue(action.Name ?? string.Empty, out var factory))
        {
            return new TaskFailedEvent(-1, action.Id, null, null, new FailureDetails("ActivityNotFound", $"No activity named '{action.Name}' is registered.", null, null, true));
        }

        try
        {
            var activity = _shims.CreateActivity(new TaskName(action.Name!), factory(_services));
            var output = await activity.RunAsync(new TaskContext(instance.State.OrchestrationInstance!), action.Input).ConfigureAwait(false);
            return new TaskCompletedEvent(-1, action.Id, output);
        }
#pragma warning disable CA1031 // An activity's failure of any kind goes back to the orchestrator, as the dispatcher does.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new TaskFailedEvent(-1, action.Id, null, null, new FailureDetails(ex));
        }
    }

    /// <summary>One instance: its current execution's history, executor and pending messages.</summary>
    private sealed class Instance(string id, string name)
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public string ExecutionId { get; private set; } = string.Empty;

        public OrchestrationRuntimeState State { get; private set; } = new();

        public TaskOrchestrationExecutor? Executor { get; set; }

        /// <summary>Messages to apply in the next episode, in arrival order.</summary>
        public List<HistoryEvent> Inbox { get; } = [];

        /// <summary>Timers of the current execution not fired yet.</summary>
        public List<TimerFiredEvent> Timers { get; } = [];

        /// <summary>Events the last episode sent (SendEvent), delivered after it.</summary>
        public List<(string InstanceId, string Name, string? Data)> Forwarded { get; } = [];

        public bool Queued { get; set; }

        public CoreStatus Status { get; private set; } = CoreStatus.Pending;

        public DateTimeOffset CreatedAt { get; private set; }

        public DateTimeOffset LastUpdatedAt { get; private set; }

        public string? Input { get; private set; }

        public string? Output { get; private set; }

        public FailureDetails? Failure { get; private set; }

        public bool IsFinished => Status is CoreStatus.Completed or CoreStatus.Failed or CoreStatus.Terminated;

        public void Begin(string? input, string version, DateTimeOffset now)
        {
            ExecutionId = Guid.NewGuid().ToString("N");
            var instance = new OrchestrationInstance { InstanceId = Id, ExecutionId = ExecutionId };
            State = new OrchestrationRuntimeState();
            Executor = null;
            Timers.Clear();
            Inbox.Clear();
            Inbox.Add(new ExecutionStartedEvent(-1, input) { Name = Name, Version = version, OrchestrationInstance = instance, Timestamp = now.UtcDateTime });
            Input = input;
            Status = CoreStatus.Running;
            CreatedAt = CreatedAt == default ? now : CreatedAt; // ContinueAsNew keeps the instance's creation time.
            LastUpdatedAt = now;
        }

        public bool TryFireTimers(string executionId, DateTimeOffset now)
        {
            if (executionId != ExecutionId || IsFinished)
            {
                return false; // A timer of an earlier execution: its history is gone.
            }

            var due = Timers.Where(t => t.FireAt <= now.UtcDateTime).ToList();
            Timers.RemoveAll(due.Contains);
            Inbox.AddRange(due);
            return due.Count > 0;
        }

        public void Finish(OrchestrationCompleteOrchestratorAction completion, DateTime now)
        {
            Status = completion.OrchestrationStatus;
            Output = completion.Result;
            Failure = completion.FailureDetails;
            LastUpdatedAt = new DateTimeOffset(now, TimeSpan.Zero);
            Executor = null;
            Timers.Clear();
            Inbox.Clear();
        }

        public OrchestrationMetadata Metadata(DataConverter converter) => new(Name, Id)
        {
            DataConverter = converter,
            RuntimeStatus = (OrchestrationRuntimeStatus)(int)Status,
            CreatedAt = CreatedAt,
            LastUpdatedAt = LastUpdatedAt,
            SerializedInput = Input,
            SerializedOutput = Output,
            SerializedCustomStatus = State.Status,
            FailureDetails = Failure is null ? null : new TaskFailureDetails(Failure.ErrorType, Failure.ErrorMessage, Failure.StackTrace, null, null),
        };
    }
}

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
