using KamFlows.Domain.Events;
using KamFlows.Durable;

namespace KamFlows.Workflows;

/// <summary>
/// How a canonical event reaches workflows, for every deliverer (intake, simulator, tests): each route of
/// <see cref="BusinessKey.RoutesFor(CanonicalEvent)"/> gets signal-with-start, with the event id as idempotency key;
/// an event that starts its object also restarts a finished instance (a proposal revised after it expired).
/// </summary>
public static class WorkflowRouting
{
    public static IEnumerable<(string InstanceId, RaiseEventOptions Options)> Deliveries(CanonicalEvent canonicalEvent)
    {
        ArgumentNullException.ThrowIfNull(canonicalEvent);
        foreach (var route in BusinessKey.RoutesFor(canonicalEvent))
        {
            var key = route.Key.ToString();
            yield return (key, new RaiseEventOptions
            {
                EventId = canonicalEvent.Id,
                StartOrchestratorName = WorkflowCatalog.OrchestratorFor(route.Key.Kind),
                StartInput = key,
                RestartIfCompleted = route.StartsIfAbsent,
            });
        }
    }
}
