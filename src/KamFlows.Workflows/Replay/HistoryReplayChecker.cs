// Replays a recorded history with DurableTask.Core's executor against the current orchestrator code. DurableTask.Core
// checks every TaskScheduled/TimerCreated/SubOrchestration event of the history against what the code asks for (by
// sequence number and name) and fails the replay with a NonDeterministicOrchestrationException on a mismatch: the
// same check a running instance would meet after deploy, so a breaking change fails in CI instead.
using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Workflows.Replay;

/// <summary>The outcome of replaying one history.</summary>
public sealed record ReplayCheckResult(bool IsDeterministic, string? Problem);

/// <summary>Checks that recorded histories still replay on the current code.</summary>
public static class HistoryReplayChecker
{
    public static ReplayCheckResult Check(DurableTaskRegistry registry, RecordedHistory history, IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(history);
        var factory = registry.GetOrchestrators().FirstOrDefault(o => string.Equals(o.Key.Name, history.Orchestrator, StringComparison.OrdinalIgnoreCase)).Value;
        if (factory is null)
        {
            return new ReplayCheckResult(false, $"No orchestrator named '{history.Orchestrator}' is registered any more.");
        }

        using var empty = new ServiceCollection().BuildServiceProvider();
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions(), null);
        var orchestration = shims.CreateOrchestration(new TaskName(history.Orchestrator), factory(services ?? empty), parent: null);
        var state = new OrchestrationRuntimeState(history.Events);
        try
        {
            var result = new TaskOrchestrationExecutor(state, orchestration, BehaviorOnContinueAsNew.Carryover, ErrorPropagationMode.UseFailureDetails).Execute();
            var failed = result.Actions?.OfType<OrchestrationCompleteOrchestratorAction>()
                .FirstOrDefault(a => a.OrchestrationStatus == OrchestrationStatus.Failed && a.FailureDetails?.ErrorType?.Contains("NonDeterministic", StringComparison.Ordinal) == true);
            if (failed is not null)
            {
                return new ReplayCheckResult(false, failed.FailureDetails!.ErrorMessage);
            }

            var recordedEnd = history.Events.OfType<ExecutionCompletedEvent>().FirstOrDefault();
            var replayedEnd = result.Actions?.OfType<OrchestrationCompleteOrchestratorAction>().FirstOrDefault();
            if (recordedEnd is not null && replayedEnd is not null && replayedEnd.OrchestrationStatus != recordedEnd.OrchestrationStatus)
            {
                return new ReplayCheckResult(false, $"The recorded execution ended {recordedEnd.OrchestrationStatus}; the replay ends {replayedEnd.OrchestrationStatus} ({replayedEnd.FailureDetails?.ErrorMessage}).");
            }

            return new ReplayCheckResult(true, null);
        }
        catch (NonDeterministicOrchestrationException ex)
        {
            return new ReplayCheckResult(false, ex.Message);
        }
    }
}
