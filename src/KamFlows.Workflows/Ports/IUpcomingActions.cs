namespace KamFlows.Workflows.Ports;

/// <summary>One thing a workflow will do: what, when, for whom.</summary>
public sealed record PlannedAction(string Kind, DateTimeOffset DueAt, string RecipientEmail, string Title);

/// <summary>
/// The projection of what will fire, per account and per KAM, served by the management API. Each workflow instance
/// replaces its own plan whenever it changes (idempotent: same source key, same plan → same rows).
/// </summary>
public interface IUpcomingActions
{
    Task ReplacePlanAsync(string sourceKey, string accountId, string kamEmail, IReadOnlyList<PlannedAction> actions, CancellationToken cancellationToken);

    Task<IReadOnlyList<(string SourceKey, PlannedAction Action)>> ForAccountAsync(string accountId, DateTimeOffset fromTime, DateTimeOffset untilTime, CancellationToken cancellationToken);

    Task<IReadOnlyList<(string AccountId, string SourceKey, PlannedAction Action)>> ForKamAsync(string kamEmail, DateTimeOffset fromTime, DateTimeOffset untilTime, CancellationToken cancellationToken);
}
