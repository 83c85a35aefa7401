// Signal-with-start on the Durable Task client, for every deliverer (intake, tests): the Durable Task Framework has no
// such call, and DurableTask.AzureStorage discards an event raised to an instance that has not started yet. Invariants:
// - an event that may create its object starts the instance with the event in its input, so nothing can overtake it;
// - an event is raised only to an instance whose start has been processed (not Pending), so it is never discarded; a
//   Pending row with a custom status counts as started (a host killed inside DurableTask.AzureStorage's start can leave
//   the row Pending under an instance that already runs; waiting for it would hold its account's events for ever);
// - a concurrent start by another deliverer is not an error: the event is raised to the instance that won;
// - delivery is at least once (a crash after raising raises again): the workflow drops an event id it has seen;
// - several events for one instance go in one message (the start's input, or one raised array), in the order given.
using KamFlows.Domain.Events;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace KamFlows.Workflows;

/// <summary>Where a canonical event goes: the instance (business key), its orchestrator, and whether the event may start it.</summary>
public sealed record WorkflowDeliveryRoute(string InstanceId, string Orchestrator, bool StartsIfAbsent, bool OnlyIfExists = false);

/// <summary>What happened to one delivery.</summary>
public enum WorkflowDeliveryOutcome
{
    /// <summary>A new instance (or a restart of a finished one) got the event in its input.</summary>
    Started,

    /// <summary>Raised on a running or suspended instance.</summary>
    Raised,

    /// <summary>The instance is finished (or absent, for a route that only reaches existing instances) and the event does not start it: nothing to do.</summary>
    Ignored,
}

/// <summary>Delivers canonical events to their workflows through a <see cref="DurableTaskClient"/>.</summary>
public static class WorkflowRouting
{
    private static readonly IReadOnlyList<string> RunningStatuses =
    [
        nameof(OrchestrationRuntimeStatus.Pending), nameof(OrchestrationRuntimeStatus.Running), nameof(OrchestrationRuntimeStatus.Suspended),
    ];

    /// <summary>The instances an event goes to (<see cref="BusinessKey.RoutesFor(CanonicalEvent)"/>), primary first.</summary>
    public static IEnumerable<WorkflowDeliveryRoute> Routes(CanonicalEvent canonicalEvent)
    {
        ArgumentNullException.ThrowIfNull(canonicalEvent);
        foreach (var route in BusinessKey.RoutesFor(canonicalEvent))
        {
            yield return new WorkflowDeliveryRoute(route.Key.ToString(), WorkflowCatalog.OrchestratorFor(route.Key.Kind), route.StartsIfAbsent, route.OnlyIfExists);
        }
    }

    /// <summary>
    /// Delivers <paramref name="canonicalEventJson"/> to one instance (signal-with-start). Waits up to
    /// <paramref name="startWait"/> for a Pending instance to start; throws <see cref="TimeoutException"/> after that,
    /// so the caller retries later instead of losing the event.
    /// </summary>
    public static Task<WorkflowDeliveryOutcome> DeliverAsync(DurableTaskClient client, WorkflowDeliveryRoute route, string canonicalEventJson,
        TimeSpan startWait, CancellationToken cancellationToken = default) =>
        DeliverManyAsync(client, route, [canonicalEventJson], startWait, cancellationToken);

    /// <summary>
    /// Delivers several events to one instance in one message, in order: the start's input when the instance starts, else
    /// one raised event carrying a JSON array of the events (a single event is raised as itself, as
    /// <see cref="DeliverAsync"/> does). Waits for a Pending instance as <see cref="DeliverAsync"/> does.
    /// </summary>
    public static async Task<WorkflowDeliveryOutcome> DeliverManyAsync(DurableTaskClient client, WorkflowDeliveryRoute route, IReadOnlyList<string> canonicalEventsJson,
        TimeSpan startWait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(canonicalEventsJson);
        if (canonicalEventsJson.Count == 0)
        {
            throw new ArgumentException("No events to deliver.", nameof(canonicalEventsJson));
        }

        object payload = canonicalEventsJson.Count == 1 ? canonicalEventsJson[0] : canonicalEventsJson.ToArray();
        var deadline = DateTime.UtcNow + startWait;
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var instance = await client.GetInstanceAsync(route.InstanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
            var finished = instance is { RuntimeStatus: OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated };
            if (instance is null && route.OnlyIfExists)
            {
                return WorkflowDeliveryOutcome.Ignored;
            }

            if (instance is null || (finished && route.StartsIfAbsent))
            {
                if (await TryStartAsync(client, route, canonicalEventsJson, cancellationToken).ConfigureAwait(false))
                {
                    return WorkflowDeliveryOutcome.Started;
                }

                continue; // Another deliverer started it meanwhile: raise to that instance.
            }

            if (finished)
            {
                return WorkflowDeliveryOutcome.Ignored;
            }

            if (!await AwaitsStartAsync(client, instance!, cancellationToken).ConfigureAwait(false))
            {
                await client.RaiseEventAsync(route.InstanceId, WorkflowCatalog.CanonicalEventName, payload, cancellationToken).ConfigureAwait(false);
                return WorkflowDeliveryOutcome.Raised;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Workflow instance {route.InstanceId} has not started within {startWait}; the event is delivered on a later attempt.");
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 1000));
        }
    }

    /// <summary>
    /// Whether the instance has not run yet: Pending and without a custom status. Only an episode of the workflow sets a
    /// custom status, and a start over a finished instance replaces the row without one, so a Pending row that has one
    /// belongs to an instance that runs. The provider may leave such a row Pending while the instance runs (it writes the
    /// status only when the orchestration's changes), so every delivery to it takes this second read.
    /// </summary>
    public static async Task<bool> AwaitsStartAsync(DurableTaskClient client, OrchestrationMetadata instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.RuntimeStatus != OrchestrationRuntimeStatus.Pending)
        {
            return false;
        }

        // Not every client returns the custom status without inputs and outputs: read it with them.
        var full = await client.GetInstanceAsync(instance.InstanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        return full is { RuntimeStatus: OrchestrationRuntimeStatus.Pending, SerializedCustomStatus: null };
    }

    private static async Task<bool> TryStartAsync(DurableTaskClient client, WorkflowDeliveryRoute route, IReadOnlyList<string> canonicalEventsJson, CancellationToken cancellationToken)
    {
        var options = new StartOrchestrationOptions(route.InstanceId) { DedupeStatuses = RunningStatuses };
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(route.Orchestrator, new WorkflowStart(route.InstanceId, canonicalEventsJson), options, cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (global::DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }

    /// <summary>The start input: read by every workflow as a <see cref="Common.WorkflowInput{TState}"/> without state.</summary>
    private sealed record WorkflowStart(string Key, IReadOnlyList<string> Events);
}
