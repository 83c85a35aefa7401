using System.Collections.Concurrent;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Workflows.Tests.Support;

/// <summary>An outbox that keeps every request in memory, idempotent by id like the real one, and counts every attempt.</summary>
public sealed class RecordingOutbox(TimeProvider clock) : INotificationOutbox
{
    private readonly ConcurrentDictionary<string, NotificationRequest> _stored = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(NotificationRequest Request, DateTimeOffset EnqueuedAt)> _order = new();
    private readonly ConcurrentBag<string> _cancelled = [];
    private int _attempts;

    /// <summary>Every enqueue call, including refused repeats.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Stored requests in the order they were enqueued, with the (virtual) time of enqueueing.</summary>
    public IReadOnlyList<(NotificationRequest Request, DateTimeOffset EnqueuedAt)> Stored => [.. _order];

    public IReadOnlyList<NotificationRequest> All => [.. _order.Select(o => o.Request)];

    public IReadOnlyCollection<string> Cancelled => [.. _cancelled];

    public IReadOnlyList<NotificationRequest> Of(NotificationKind kind) => [.. All.Where(r => r.Kind == kind)];

    public NotificationRequest One(NotificationKind kind)
    {
        var found = Of(kind);
        return found.Count == 1 ? found[0] : throw new Xunit.Sdk.XunitException(
            $"Expected exactly one {kind}, found {found.Count}. Outbox:\n{Describe()}");
    }

    public string Describe() => string.Join("\n", _order.Select(o => $"  {o.Request.NotificationId} → {o.Request.Recipient.Email} at {Local(o.Request)} (enqueued {o.EnqueuedAt:O})"));

    /// <summary>The send time as the recipient's wall clock with offset, e.g. 2026-03-30T09:00:00+03:00.</summary>
    public static string Local(NotificationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var zone = NodaTime.DateTimeZoneProviders.Tzdb[request.Recipient.TimeZone];
        return NodaTime.Instant.FromDateTimeOffset(request.SendAt).InZone(zone).ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<bool> EnqueueAsync(NotificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Interlocked.Increment(ref _attempts);
        var missing = NotificationCatalog.MissingFields(request);
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"{request.NotificationId} lacks {string.Join(", ", missing)}");
        }

        if (!_stored.TryAdd(request.NotificationId, request))
        {
            return Task.FromResult(false);
        }

        _order.Enqueue((request, clock.GetUtcNow()));
        return Task.FromResult(true);
    }

    public Task<bool> CancelAsync(string notificationId, CancellationToken cancellationToken)
    {
        if (_stored.ContainsKey(notificationId))
        {
            _cancelled.Add(notificationId);
            return Task.FromResult(true);
        }

        return Task.FromResult(false);
    }
}
