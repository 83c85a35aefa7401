using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Simulation;

/// <summary>The outbox of a simulation: keeps every request by id (a second enqueue of an id changes nothing, as in production).</summary>
public sealed class SimulatedOutbox : INotificationOutbox
{
    private readonly Dictionary<string, NotificationRequest> _requests = new(StringComparer.Ordinal);
    private readonly HashSet<string> _cancelled = new(StringComparer.Ordinal);

    /// <summary>Requests stored and not withdrawn, in the order of their send time.</summary>
    public IReadOnlyList<NotificationRequest> Requests =>
        [.. _requests.Values.Where(r => !_cancelled.Contains(r.NotificationId)).OrderBy(r => r.SendAt).ThenBy(r => r.NotificationId, StringComparer.Ordinal)];

    public Task<bool> EnqueueAsync(NotificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(_requests.TryAdd(request.NotificationId, request));
    }

    public Task<bool> CancelAsync(string notificationId, CancellationToken cancellationToken) =>
        Task.FromResult(_requests.ContainsKey(notificationId) && _cancelled.Add(notificationId));
}

/// <summary>The upcoming-actions projection of a simulation, in memory.</summary>
public sealed class SimulatedUpcomingActions : IUpcomingActions
{
    private readonly Dictionary<string, (string AccountId, string KamEmail, IReadOnlyList<PlannedAction> Actions)> _plans = new(StringComparer.Ordinal);

    public Task ReplacePlanAsync(string sourceKey, string accountId, string kamEmail, IReadOnlyList<PlannedAction> actions, CancellationToken cancellationToken)
    {
        _plans[sourceKey] = (accountId, kamEmail, actions);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<(string SourceKey, PlannedAction Action)>> ForAccountAsync(string accountId, DateTimeOffset fromTime, DateTimeOffset untilTime, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(string, PlannedAction)>>([.. _plans.Where(p => p.Value.AccountId == accountId)
            .SelectMany(p => p.Value.Actions.Where(a => a.DueAt >= fromTime && a.DueAt < untilTime).Select(a => (p.Key, a))).OrderBy(x => x.a.DueAt)]);

    public Task<IReadOnlyList<(string AccountId, string SourceKey, PlannedAction Action)>> ForKamAsync(string kamEmail, DateTimeOffset fromTime, DateTimeOffset untilTime, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(string, string, PlannedAction)>>([.. _plans
            .SelectMany(p => p.Value.Actions.Where(a => string.Equals(a.RecipientEmail, kamEmail, StringComparison.OrdinalIgnoreCase) && a.DueAt >= fromTime && a.DueAt < untilTime)
                .Select(a => (p.Value.AccountId, p.Key, a))).OrderBy(x => x.a.DueAt)]);
}
