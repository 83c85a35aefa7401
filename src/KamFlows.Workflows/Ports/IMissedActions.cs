using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.Ports;

/// <summary>
/// Where plan items recorded as missed while catching up go: each is shown on its account's timeline and summarized once
/// in its recipient's next digest. Idempotent by item id (an activity may run more than once).
/// </summary>
public interface IMissedActions
{
    /// <summary>Records the items; returns how many were new.</summary>
    Task<int> RecordAsync(MissedActionsRecord record, CancellationToken cancellationToken);
}
