// The orchestration context during one replay. Invariants:
// - task ids are handed out in the order the code issues calls; an id present in history must match the
//   recorded kind and name, otherwise the replay stops with a non-determinism failure;
// - results are delivered only in history order, on the replaying thread (ReplaySynchronizationContext);
// - an event nobody waits for is buffered, never dropped, and carried over on ContinueAsNew.
using System.Security.Cryptography;
using System.Text;
using KamFlows.Durable.History;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KamFlows.Durable.Replay;

internal sealed class ReplayContext : TaskOrchestrationContext
{
    private readonly DataConverter _converter;
    private readonly ILoggerFactory _loggerFactory;
    private readonly Dictionary<int, HistoryEvent> _recordedSchedules;
    private readonly Dictionary<int, OpenTask> _open = [];
    private readonly HashSet<int> _issued = [];
    private readonly List<HistoryEvent> _newActions = [];
    private readonly HashSet<int> _cancelledNewTimers = [];
    private readonly Dictionary<string, LinkedList<IEventWaiter>> _waiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<HistoryEvent> _buffered = [];
    private int _nextTaskId;
    private int _guidCounter;

    public ReplayContext(string instanceId, string executionId, string name, string version,
        IReadOnlyDictionary<int, HistoryEvent> recordedSchedules, DataConverter converter, ILoggerFactory? loggerFactory)
    {
        InstanceId = instanceId;
        ExecutionId = executionId;
        Name = name;
        Version = version;
        _recordedSchedules = new Dictionary<int, HistoryEvent>(recordedSchedules);
        _converter = converter;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    public override string InstanceId { get; }
    public override string ExecutionId { get; }
    public override string Name { get; }
    public override string Version { get; }
    public override DateTimeOffset CurrentUtcDateTime => Now;
    public override bool IsReplaying => Replaying;

    internal DateTimeOffset Now { get; set; }
    internal bool Replaying { get; set; }
    internal NonDeterministicOrchestrationException? Fatal { get; private set; }
    internal string? CustomStatusJson { get; private set; }
    internal bool ContinueAsNewRequested { get; private set; }
    internal string? ContinueAsNewInput { get; private set; }
    internal string? ContinueAsNewVersion { get; private set; }
    internal IReadOnlyList<HistoryEvent> NewActions => _newActions;

    /// <summary>The actions issued since the last call, forgetting them (a kept session reports each once).</summary>
    internal List<HistoryEvent> TakeNewActions()
    {
        var taken = new List<HistoryEvent>(_newActions);
        _newActions.Clear();
        _cancelledNewTimers.Clear();
        return taken;
    }
    internal IReadOnlySet<int> CancelledNewTimers => _cancelledNewTimers;
    internal IReadOnlyList<HistoryEvent> BufferedEvents => _buffered;

    public override async Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var inputJson = _converter.Serialize(input);
        var json = await WithRetry(options?.Retry, _ => ScheduleActivity(name, inputJson)).ConfigureAwait(true);
        return _converter.Deserialize<TResult>(json);
    }

    public override Task CreateTimer(DateTimeOffset fireAt, CancellationToken cancellationToken)
    {
        var id = NextTaskId();
        var tcs = new TaskCompletionSource<string?>();
        var isNew = Issue(new HistoryEvent { Kind = HistoryEventKind.TimerCreated, TaskId = id, FireAt = fireAt.ToUniversalTime(), Timestamp = Now });
        _open[id] = new OpenTask(HistoryEventKind.TimerCreated, "timer", tcs);
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() =>
            {
                if (tcs.TrySetCanceled() && isNew)
                {
                    _cancelledNewTimers.Add(id);
                }
            });
        }

        return tcs.Task;
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        var index = _buffered.FindIndex(b => string.Equals(b.Name, eventName, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            var e = _buffered[index];
            _buffered.RemoveAt(index);
            return Task.FromResult(_converter.Deserialize<T>(e.Payload));
        }

        // A typed completion source completed on delivery: a cancelled wait (the timer won) throws nothing.
        var waiter = new EventWaiter<T>(_converter);
        if (!_waiters.TryGetValue(eventName, out var list))
        {
            _waiters[eventName] = list = new LinkedList<IEventWaiter>();
        }

        var node = list.AddLast(waiter);
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() =>
            {
                if (node.List is not null)
                {
                    list.Remove(node);
                }

                waiter.Cancel();
            });
        }

        return waiter.Task;
    }

    public override async Task<TResult> CallSubOrchestratorAsync<TResult>(string orchestratorName, object? input = null, SubOrchestrationOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        var inputJson = _converter.Serialize(input);
        var json = await WithRetry(options?.Retry, attempt => ScheduleSubOrchestration(orchestratorName, inputJson, options, attempt)).ConfigureAwait(true);
        return _converter.Deserialize<TResult>(json);
    }

    public override void ContinueAsNew(object? newInput, string? newVersion = null)
    {
        ContinueAsNewRequested = true;
        ContinueAsNewInput = _converter.Serialize(newInput);
        ContinueAsNewVersion = newVersion;
    }

    public override void SetCustomStatus(object? customStatus) => CustomStatusJson = _converter.Serialize(customStatus);

    public override Guid NewGuid()
    {
        // Name-based (SHA-256, RFC 4122 v5 bit layout): same instance, execution and counter give the same GUID on replay.
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{InstanceId}|{ExecutionId}|{_guidCounter++}"));
        var g = bytes.AsSpan(0, 16).ToArray();
        g[6] = (byte)((g[6] & 0x0F) | 0x50);
        g[8] = (byte)((g[8] & 0x3F) | 0x80);
        return new Guid(g, bigEndian: true);
    }

    public override ILogger CreateReplaySafeLogger(string categoryName) =>
        new ReplaySafeLogger(_loggerFactory.CreateLogger(categoryName), this);

    /// <summary>Delivers one history event to the code. Returns false if the replay must stop.</summary>
    internal void Apply(HistoryEvent e)
    {
        switch (e.Kind)
        {
            case HistoryEventKind.StepStarted:
                Now = e.Timestamp;
                break;
            case HistoryEventKind.TaskCompleted:
            case HistoryEventKind.TimerFired:
            case HistoryEventKind.SubOrchestrationCompleted:
                Complete(e, result: e.Payload, failure: null);
                break;
            case HistoryEventKind.TaskFailed:
            case HistoryEventKind.SubOrchestrationFailed:
                Complete(e, result: null, failure: e.Failure ?? new TaskFailureDetails("Unknown", "No failure details recorded."));
                break;
            case HistoryEventKind.EventRaised:
                Deliver(e);
                break;
            default:
                break; // Schedules are checked when the code issues them; the rest carries no result.
        }
    }

    /// <summary>Scheduling events in history the code never issued: the code lost a call.</summary>
    internal IEnumerable<HistoryEvent> UnissuedSchedules() =>
        _recordedSchedules.Where(kv => !_issued.Contains(kv.Key)).OrderBy(kv => kv.Key).Select(kv => kv.Value);

    private async Task<string?> WithRetry(RetryPolicy? policy, Func<int, Task<string?>> attemptOnce)
    {
        if (policy is null)
        {
            return await attemptOnce(1).ConfigureAwait(true);
        }

        var firstAttemptAt = CurrentUtcDateTime;
        for (var attempt = 1; ; attempt++)
        {
            TaskFailureDetails failure;
            Exception error;
            try
            {
                return await attemptOnce(attempt).ConfigureAwait(true);
            }
            catch (TaskFailedException ex)
            {
                (failure, error) = (ex.FailureDetails, ex);
            }
            catch (SubOrchestrationFailedException ex)
            {
                (failure, error) = (ex.FailureDetails, ex);
            }

            var delay = policy.DelayAfterAttempt(attempt);
            var retryAt = CurrentUtcDateTime + delay;
            if (attempt >= policy.MaxNumberOfAttempts || !policy.Handle(failure) || retryAt - firstAttemptAt > policy.RetryTimeout)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
            }

            await CreateTimer(retryAt, CancellationToken.None).ConfigureAwait(true);
        }
    }

    private Task<string?> ScheduleActivity(string name, string? inputJson)
    {
        var id = NextTaskId();
        var tcs = new TaskCompletionSource<string?>();
        Issue(new HistoryEvent { Kind = HistoryEventKind.TaskScheduled, TaskId = id, Name = name, Payload = inputJson, Timestamp = Now });
        _open[id] = new OpenTask(HistoryEventKind.TaskScheduled, name, tcs);
        return tcs.Task;
    }

    private Task<string?> ScheduleSubOrchestration(string name, string? inputJson, SubOrchestrationOptions? options, int attempt)
    {
        var id = NextTaskId();
        var childId = options?.InstanceId ?? $"{InstanceId}:{ExecutionId[..Math.Min(8, ExecutionId.Length)]}:{id}";
        if (attempt > 1)
        {
            childId += $":{attempt}"; // Each retry is a new child instance.
        }

        var tcs = new TaskCompletionSource<string?>();
        Issue(new HistoryEvent
        {
            Kind = HistoryEventKind.SubOrchestrationCreated, TaskId = id, Name = name, InstanceId = childId,
            Version = options?.Version, Payload = inputJson, Timestamp = Now,
        });
        _open[id] = new OpenTask(HistoryEventKind.SubOrchestrationCreated, name, tcs) { ChildInstanceId = childId };
        return tcs.Task;
    }

    private int NextTaskId()
    {
        var id = _nextTaskId++;
        _issued.Add(id);
        return id;
    }

    /// <summary>Checks an issued action against history; returns true if it is new (not yet recorded).</summary>
    private bool Issue(HistoryEvent action)
    {
        var id = action.TaskId!.Value;
        if (_recordedSchedules.TryGetValue(id, out var recorded))
        {
            if (recorded.Kind != action.Kind || !string.Equals(recorded.Name, action.Name, StringComparison.Ordinal))
            {
                Stop($"task {id}: history has {Describe(recorded)}, but the orchestrator code now does {Describe(action)}.");
            }

            return false;
        }

        _newActions.Add(action);
        return true;
    }

    private void Complete(HistoryEvent e, string? result, TaskFailureDetails? failure)
    {
        var id = e.TaskId ?? -1;
        if (!_open.TryGetValue(id, out var open))
        {
            if (_recordedSchedules.TryGetValue(id, out var recorded) && !_issued.Contains(id))
            {
                Stop($"history has a result for task {id} ({Describe(recorded)}), but the orchestrator code did not make that call.");
            }

            return; // A late result for a task already resolved (e.g. a cancelled timer): nothing waits for it.
        }

        var expected = e.Kind switch
        {
            HistoryEventKind.TaskCompleted or HistoryEventKind.TaskFailed => HistoryEventKind.TaskScheduled,
            HistoryEventKind.TimerFired => HistoryEventKind.TimerCreated,
            _ => HistoryEventKind.SubOrchestrationCreated,
        };
        if (open.Kind != expected)
        {
            Stop($"history has {e.Kind} for task {id}, but the orchestrator code made task {id} a {open.Kind} '{open.Name}'.");
            return;
        }

        _open.Remove(id);
        if (failure is null)
        {
            open.Completion.TrySetResult(result);
        }
        else if (open.Kind == HistoryEventKind.SubOrchestrationCreated)
        {
            open.Completion.TrySetException(new SubOrchestrationFailedException(open.Name, open.ChildInstanceId ?? "?", failure));
        }
        else
        {
            open.Completion.TrySetException(new TaskFailedException(open.Name, id, failure));
        }
    }

    private void Deliver(HistoryEvent e)
    {
        if (e.Name is not null && _waiters.TryGetValue(e.Name, out var list) && list.First is { } first)
        {
            list.RemoveFirst();
            first.Value.Complete(e.Payload);
            return;
        }

        _buffered.Add(e);
    }

    private void Stop(string detail)
    {
        Fatal ??= new NonDeterministicOrchestrationException(
            $"Non-deterministic orchestration '{Name}' (version {Version}), instance '{InstanceId}': {detail} " +
            "The code changed in a way that does not match running instances; register the old version for them.");
        throw Fatal;
    }

    private static string Describe(HistoryEvent e) => e.Kind switch
    {
        HistoryEventKind.TaskScheduled => $"activity call '{e.Name}'",
        HistoryEventKind.TimerCreated => "a timer",
        HistoryEventKind.SubOrchestrationCreated => $"sub-orchestration '{e.Name}'",
        _ => e.Kind.ToString(),
    };

    private interface IEventWaiter
    {
        void Complete(string? json);

        void Cancel();
    }

    private sealed class EventWaiter<T>(DataConverter converter) : IEventWaiter
    {
        private readonly TaskCompletionSource<T> _completion = new();

        public Task<T> Task => _completion.Task;

        public void Complete(string? json)
        {
            try
            {
                _completion.TrySetResult(converter.Deserialize<T>(json));
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException)
            {
                _completion.TrySetException(ex); // The code sees the bad event data where it awaited it.
            }
        }

        public void Cancel() => _completion.TrySetCanceled();
    }

    private sealed record OpenTask(HistoryEventKind Kind, string Name, TaskCompletionSource<string?> Completion)
    {
        public string? ChildInstanceId { get; init; }
    }

    private sealed class ReplaySafeLogger(ILogger inner, ReplayContext context) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => !context.IsReplaying && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!context.IsReplaying)
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
