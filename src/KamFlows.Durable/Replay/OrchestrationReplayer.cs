// Runs an orchestrator over its history: the already-run events (replaying) then the new ones.
// Invariants: the result depends only on (code, history, new events); no clock, no I/O; a replay that
// diverges from history ends in Failed with a NonDeterministicOrchestrationException, never in new actions.
using KamFlows.Durable.History;
using Microsoft.Extensions.Logging;

namespace KamFlows.Durable.Replay;

internal static class OrchestrationReplayer
{
    public static ReplayResult Run(
        ITaskOrchestrator orchestrator,
        string instanceId,
        string executionId,
        string name,
        string version,
        IReadOnlyList<HistoryEvent> past,
        IReadOnlyList<HistoryEvent> fresh,
        DataConverter converter,
        ILoggerFactory? loggerFactory)
    {
        var recorded = new Dictionary<int, HistoryEvent>();
        foreach (var e in past.Concat(fresh))
        {
            if (e.Kind is HistoryEventKind.TaskScheduled or HistoryEventKind.TimerCreated or HistoryEventKind.SubOrchestrationCreated)
            {
                recorded[e.TaskId!.Value] = e;
            }
        }

        var context = new ReplayContext(instanceId, executionId, name, version, recorded, converter, loggerFactory);
        var sync = new ReplaySynchronizationContext();
        var previous = SynchronizationContext.Current;
        Task<object?>? run = null;
        Exception? inputError = null;
        SynchronizationContext.SetSynchronizationContext(sync);
        sync.BeginPumping();
        try
        {
            var index = 0;
            foreach (var e in past.Concat(fresh))
            {
                context.Replaying = index++ < past.Count;
                if (e.Kind == HistoryEventKind.ExecutionStarted)
                {
                    if (run is not null)
                    {
                        throw new InvalidOperationException("History has two ExecutionStarted events.");
                    }

                    context.Now = context.Now == default ? e.Timestamp : context.Now;
                    object? input;
                    try
                    {
                        input = converter.Deserialize(e.Payload, orchestrator.InputType);
                    }
                    catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException)
                    {
                        inputError = ex;
                        break;
                    }

                    run = orchestrator.RunAsync(context, input);
                }
                else
                {
                    context.Apply(e);
                }

                sync.RunPending();
                if (context.Fatal is not null)
                {
                    break;
                }
            }
        }
        catch (NonDeterministicOrchestrationException)
        {
            // Recorded in context.Fatal; handled below.
        }
        finally
        {
            sync.EndPumping();
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        if (inputError is not null)
        {
            return Failed(context, new TaskFailureDetails(inputError.GetType().FullName!,
                $"The input of '{name}' cannot be read as {orchestrator.InputType.Name}: {inputError.Message}"));
        }

        if (run is null)
        {
            return Failed(context, new TaskFailureDetails(typeof(InvalidOperationException).FullName!, "History has no ExecutionStarted event."));
        }

        if (context.Fatal is null && sync.ForeignPostDetected)
        {
            return Failed(context, TaskFailureDetails.FromException(new NonDeterministicOrchestrationException(
                $"Orchestration '{name}' awaited a task that is not durable (Task.Delay, Task.Run, I/O...). " +
                "Use the context's timers, activities and events only.")));
        }

        var lost = context.Fatal is null && !context.ContinueAsNewRequested ? context.UnissuedSchedules().FirstOrDefault() : null;
        if (context.Fatal is not null || lost is not null)
        {
            var fatal = context.Fatal ?? new NonDeterministicOrchestrationException(
                $"Non-deterministic orchestration '{name}' (version {version}), instance '{instanceId}': history has task {lost!.TaskId} " +
                $"({lost.Kind} '{lost.Name}') that the orchestrator code no longer makes.");
            return Failed(context, TaskFailureDetails.FromException(fatal));
        }

        if (context.ContinueAsNewRequested && !run.IsFaulted)
        {
            return new ReplayResult
            {
                Outcome = ReplayOutcome.ContinuedAsNew,
                NewActions = [],
                CustomStatus = context.CustomStatusJson,
                ContinueAsNewInput = context.ContinueAsNewInput,
                ContinueAsNewVersion = context.ContinueAsNewVersion,
                UnconsumedEvents = [.. context.BufferedEvents],
            };
        }

        if (run.IsCompletedSuccessfully)
        {
            return new ReplayResult
            {
                Outcome = ReplayOutcome.Completed,
                Output = converter.Serialize(run.Result),
                NewActions = context.NewActions,
                TimersCancelledInStep = context.CancelledNewTimers,
                CustomStatus = context.CustomStatusJson,
            };
        }

        if (run.IsFaulted || run.IsCanceled)
        {
            var error = run.Exception?.InnerException ?? new OperationCanceledException("The orchestrator was cancelled.");
            return Failed(context, TaskFailureDetails.FromException(error));
        }

        return new ReplayResult
        {
            Outcome = ReplayOutcome.Running,
            NewActions = context.NewActions,
            TimersCancelledInStep = context.CancelledNewTimers,
            CustomStatus = context.CustomStatusJson,
        };
    }

    private static ReplayResult Failed(ReplayContext context, TaskFailureDetails failure) => new()
    {
        Outcome = ReplayOutcome.Failed,
        Failure = failure,
        CustomStatus = context.CustomStatusJson,
    };
}
