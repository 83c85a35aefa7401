using KamFlows.Domain.Calendar;
using KamFlows.Domain.Common;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Notifications.Outbox;

/// <summary>
/// The outbox port on Azure Tables: stores a request once per <see cref="NotificationRequest.NotificationId"/> and
/// rejects a request that could never render (missing fields, bad address, unknown zone) when it is stored, not when it is due.
/// </summary>
public sealed class TableNotificationOutbox : INotificationOutbox
{
    private readonly OutboxStore _store;
    private readonly OutboxSignal _signal;
    private readonly TimeProvider _time;

    public TableNotificationOutbox(OutboxStore store, OutboxSignal signal, TimeProvider time)
    {
        _store = store;
        _signal = signal;
        _time = time;
    }

    public async Task<bool> EnqueueAsync(NotificationRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var stored = await _store.InsertAsync(request, cancellationToken).ConfigureAwait(false);
        if (stored && request.SendAt <= _time.GetUtcNow())
        {
            _signal.Pulse();
        }

        return stored;
    }

    public async Task<bool> CancelAsync(string notificationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(notificationId);
        while (true)
        {
            var current = await _store.GetAsync(notificationId, cancellationToken).ConfigureAwait(false);
            if (current is null || current.Status is not (OutboxStatus.Pending or OutboxStatus.Claimed))
            {
                return false; // Unknown, already handed to the provider, or final.
            }

            var cancelled = current with { Status = OutboxStatus.Cancelled, Note = "Cancelled by its workflow.", ClaimedBy = null, LeaseUntil = null, AttemptId = null };
            if (await _store.TryReplaceAsync(current, cancelled, cancellationToken).ConfigureAwait(false) is not null)
            {
                return true;
            }

            // A sender moved it meanwhile: look again (it may now be Sending, which can no longer be withdrawn).
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming what is wrong with the request.</summary>
    public static void Validate(NotificationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.NotificationId) || request.NotificationId.Length > OutboxKeys.MaxIdLength)
        {
            throw new ArgumentException($"NotificationId must be 1–{OutboxKeys.MaxIdLength} characters.", nameof(request));
        }

        if (!Enum.IsDefined(request.Kind))
        {
            throw new ArgumentException($"Unknown notification kind {(int)request.Kind}.", nameof(request));
        }

        var missing = NotificationCatalog.MissingFields(request);
        if (missing.Count > 0)
        {
            throw new ArgumentException($"Notification {request.NotificationId} ({request.Kind}) lacks fields: {string.Join(", ", missing)}.", nameof(request));
        }

        var r = request.Recipient ?? throw new ArgumentException("Recipient is required.", nameof(request));
        if (!EmailAddress.IsValid(r.Email))
        {
            throw new ArgumentException($"Notification {request.NotificationId}: '{r.Email}' is not an email address.", nameof(request));
        }

        if (!Locale.IsValid(r.Locale))
        {
            throw new ArgumentException($"Notification {request.NotificationId}: '{r.Locale}' is not a language tag.", nameof(request));
        }

        _ = BusinessCalendar.ZoneFromId(r.TimeZone);
        if (request.Invite is { } invite)
        {
            _ = BusinessCalendar.ZoneFromId(invite.TimeZone);
            if (string.IsNullOrWhiteSpace(invite.Uid) || invite.Duration <= TimeSpan.Zero)
            {
                throw new ArgumentException($"Notification {request.NotificationId}: an invite needs a Uid and a positive duration.", nameof(request));
            }
        }
    }
}
