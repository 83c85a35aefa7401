using System.Collections.Concurrent;
using KamFlows.Workflows.Ports;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>The workflows' plan projection, in memory: each source key's plan replaces the previous one.</summary>
public sealed class InMemoryUpcomingActions : IUpcomingActions
{
    private readonly ConcurrentDictionary<string, (string AccountId, string KamEmail, IReadOnlyList<PlannedAction> Actions)> _plans = new(StringComparer.Ordinal);

    public Task ReplacePlanAsync(string sourceKey, string accountId, string kamEmail, IReadOnlyList<PlannedAction> actions, CancellationToken cancellationToken)
    {
        _plans[sourceKey] = (accountId, kamEmail, actions);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<(string SourceKey, PlannedAction Action)>> ForAccountAsync(string accountId, DateTimeOffset fromTime, DateTimeOffset untilTime, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(string, PlannedAction)>>([.. _plans.Where(p => p.Value.AccountId == accountId)
            .SelectMany(p => p.Value.Actions.Where(a => a.DueAt >= fromTime && a.DueAt < untilTime).Select(a => (p.Key, a)))]);

    public Task<IReadOnlyList<(string AccountId, string SourceKey, PlannedAction Action)>> ForKamAsync(string kamEmail, DateTimeOffset fromTime, DateTimeOffset untilTime, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(string, string, PlannedAction)>>([.. _plans.Where(p => string.Equals(p.Value.KamEmail, kamEmail, StringComparison.OrdinalIgnoreCase))
            .SelectMany(p => p.Value.Actions.Where(a => a.DueAt >= fromTime && a.DueAt < untilTime).Select(a => (p.Value.AccountId, p.Key, a)))]);
}
