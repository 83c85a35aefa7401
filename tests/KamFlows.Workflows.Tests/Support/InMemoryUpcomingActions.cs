using System.Collections.Concurrent;
using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Tests.Support;

/// <summary>The upcoming-actions projection in memory: one plan per source key.</summary>
public sealed class InMemoryUpcomingActions : IUpcomingActions
{
    private readonly ConcurrentDictionary<string, (string AccountId, string KamEmail, IReadOnlyList<PlannedAction> Actions)> _plans = new(StringComparer.Ordinal);

    private int _replacements;

    public int Replacements => Volatile.Read(ref _replacements);

    public IReadOnlyList<PlannedAction> PlanOf(string sourceKey) => _plans.TryGetValue(sourceKey, out var p) ? p.Actions : [];

    public Task ReplacePlanAsync(string sourceKey, string accountId, string kamEmail, IReadOnlyList<PlannedAction> actions, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _replacements);
        _plans[sourceKey] = (accountId, kamEmail, actions);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<(string SourceKey, PlannedAction Action)>> ForAccountAsync(string accountId, DateTimeOffset fromTime, DateTimeOffset untilTime, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(string, PlannedAction)>>([.. _plans.Where(p => p.Value.AccountId == accountId)
            .SelectMany(p => p.Value.Actions.Select(a => (p.Key, a))).Where(x => x.a.DueAt >= fromTime && x.a.DueAt < untilTime).OrderBy(x => x.a.DueAt)]);

    public Task<IReadOnlyList<(string AccountId, string SourceKey, PlannedAction Action)>> ForKamAsync(string kamEmail, DateTimeOffset fromTime, DateTimeOffset untilTime, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(string, string, PlannedAction)>>([.. _plans
            .SelectMany(p => p.Value.Actions.Where(a => a.RecipientEmail == kamEmail).Select(a => (p.Value.AccountId, p.Key, a)))
            .Where(x => x.a.DueAt >= fromTime && x.a.DueAt < untilTime).OrderBy(x => x.a.DueAt)]);
}
