// Runs an orchestrator over its history: the already-run events (replaying) then the new ones.
// Invariants: the result depends only on (code, history, new events); no clock, no I/O; a replay that
// diverges from history ends in Failed with a NonDeterministicOrchestrationException, never in new actions.
// A session may be kept alive between steps (extended session) and fed only the next step's events: the code then
// runs exactly as it would after a full replay of the same history, without re-running what it already ran.
using KamFlows.Durable.History;
using Microsoft.Extensions.Logging;

namespace KamFlows.Durable.Replay;

internal static class OrchestrationReplayer
{
    /// <summary>One full replay (what every storage-backed step does).</summary>
    public static ReplayResult Run(
        ITaskOrchestrator orchestrator,
        string instanceId,
        string executionId,
        string name,
        string version,
        IReadOnlyList<HistoryEvent> past,
        IReadOnlyList<HistoryEvent> fresh,
        DataConverter converter,
        ILoggerFactory? loggerFactory) =>
        new OrchestrationSession(orchestrator, instanceId, executionId, name, version, past.Concat(fresh), converter, loggerFactory).Apply(past, fresh);
}

/// <summary>An orchestrator's execution held in memory across steps.</summary>
internal sealed class OrchestrationSession
{
    private readonly ITaskOrchestrator _orchestrator;
    private readonly string _instanceId;
    private readonly string _name;
    private readonly string _version;
    private readonly DataConverter _converter;
    private readonly ReplayContext _context;
    private readonly ReplaySynchronizationContext _sync = new();
    private Task<object?>? _run;
    private Exception? _inputError;
    private bool _ended;

    public OrchestrationSession(ITaskOrchestrator orchestrator, string instanceId, string executionId, string name, string version,
        IEnumerable<HistoryEvent> knownHistory, DataConverter converter, ILoggerFactory? loggerFactory)
    {
        _orchestrator = orchestrator;
        _instanceId = instanceId;
        _name = name;
        _version = version;
        _converter = converter;
        var recorded = new Dictionary<int, HistoryEvent>();
        foreach (var e in knownHistory)
        {
            if (e.Kind is HistoryEventKind.TaskScheduled or HistoryEventKind.TimerCreated or HistoryEventKind.SubOrchestrationCreated)
            {
                recorded[e.TaskId!.Value] = e;
            }
        }

        _context = new ReplayContext(instanceId, executionId, name, version, recorded, converter, loggerFactory);
    }

    /// <summary>History events this session has applied so far.</summary>
    public int EventsApplied { get; private set; }

    /// <summary>False once the execution ended (completed, failed, continued as new): it cannot take more events.</summary>
    public bool CanContinue => !_ended;

    /// <summary>Applies <paramref name="past"/> (replaying) then <paramref name="fresh"/>, and reports what the code did.</summary>
    public ReplayResult Apply(IReadOnlyList<HistoryEvent> past, IReadOnlyList<HistoryEvent> fresh)
    {
        if (_ended)
        {
            throw new InvalidOperationException("The orchestration session has ended.");
        }

        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_sync);
        _sync.BeginPumping();
        try
        {
            var index = 0;
            foreach (var e in past.Concat(fresh))
            {
                _context.Replaying = index++ < past.Count;
                EventsApplied++;
                if (e.Kind == HistoryEventKind.ExecutionStarted)
                {
                    if (_run is not null)
                    {
                        throw new InvalidOperationException("History has two ExecutionStarted events.");
                    }

                    _context.Now = _context.Now == default ? e.Timestamp : _context.Now;
                    object? input;
                    try
                    {
                        input = _converter.Deserialize(e.Payload, _orchestrator.InputType);
                    }
                    catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException)
                    {
                        _inputError = ex;
                        break;
                    }

                    _run = _orchestrator.RunAsync(_context, input);
                }
                else
                {
                    _context.Apply(e);
                }

                _sync.RunPending();
                if (_context.Fatal is not null)
                {
                    break;
                }
            }
        }
        catch (NonDeterministicOrchestrationException)
        {
            // Recorded in the context's Fatal; handled below.
        }
        finally
        {
            _sync.EndPumping();
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        var result = Outcome();
        _ended = result.Outcome != ReplayOutcome.Running;
        return result;
    }

    private ReplayResult Outcome()
    {
        if (_inputError is not null)
        {
            return Failed(new TaskFailureDetails(_inputError.GetType().FullName!,
                $"The input of '{_name}' cannot be read as {_orchestrator.InputType.Name}: {_inputError.Message}"));
        }

        if (_run is null)
        {
            return Failed(new TaskFailureDetails(typeof(InvalidOperationException).FullName!, "History has no ExecutionStarted event."));
        }

        if (_context.Fatal is null && _sync.ForeignPostDetected)
        {
            return Failed(TaskFailureDetails.FromException(new NonDeterministicOrchestrationException(
                $"Orchestration '{_name}' awaited a task that is not durable (Task.Delay, Task.Run, I/O...). " +
                "Use the context's timers, activities and events only.")));
        }

        var lost = _context.Fatal is null && !_context.ContinueAsNewRequested ? _context.UnissuedSchedules().FirstOrDefault() : null;
        if (_context.Fatal is not null || lost is not null)
        {
            var fatal = _context.Fatal ?? new NonDeterministicOrchestrationException(
                $"Non-deterministic orchestration '{_name}' (version {_version}), instance '{_instanceId}': history has task {lost!.TaskId} " +
                $"({lost.Kind} '{lost.Name}') that the orchestrator code no longer makes.");
            return Failed(TaskFailureDetails.FromException(fatal));
        }

        var cancelled = new HashSet<int>(_context.CancelledNewTimers);
        var newActions = _context.TakeNewActions();
        if (_context.ContinueAsNewRequested && !_run.IsFaulted)
        {
            return new ReplayResult
            {
                Outcome = ReplayOutcome.ContinuedAsNew,
                NewActions = [],
                CustomStatus = _context.CustomStatusJson,
                ContinueAsNewInput = _context.ContinueAsNewInput,
                ContinueAsNewVersion = _context.ContinueAsNewVersion,
                UnconsumedEvents = [.. _context.BufferedEvents],
            };
        }

        if (_run.IsCompletedSuccessfully)
        {
            return new ReplayResult
            {
                Outcome = ReplayOutcome.Completed,
                Output = _converter.Serialize(_run.Result),
                NewActions = newActions,
                TimersCancelledInStep = cancelled,
                CustomStatus = _context.CustomStatusJson,
            };
        }

        if (_run.IsFaulted || _run.IsCanceled)
        {
            var error = _run.Exception?.InnerException ?? new OperationCanceledException("The orchestrator was cancelled.");
            return Failed(TaskFailureDetails.FromException(error));
        }

        return new ReplayResult
        {
            Outcome = ReplayOutcome.Running,
            NewActions = newActions,
            TimersCancelledInStep = cancelled,
            CustomStatus = _context.CustomStatusJson,
        };
    }

    private ReplayResult Failed(TaskFailureDetails failure) => new()
    {
        Outcome = ReplayOutcome.Failed,
        Failure = failure,
        CustomStatus = _context.CustomStatusJson,
    };
}
