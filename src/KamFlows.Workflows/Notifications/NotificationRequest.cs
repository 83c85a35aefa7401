using System.Text.Json.Serialization;

namespace KamFlows.Workflows.Notifications;

/// <summary>Who receives a notification, in which role.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RecipientRole>))]
public enum RecipientRole
{
    /// <summary>The key account manager.</summary>
    Kam,

    /// <summary>The head of the key-account department.</summary>
    Head,

    /// <summary>A person at the client (client-facing messages count against the contact's touch budget).</summary>
    ClientContact,
}

/// <summary>A recipient with what rendering needs: locale (en, ru, fi, bg; others fall back to en) and IANA time zone.</summary>
public sealed record NotificationRecipient(string Email, string? Name, string Locale, string TimeZone, RecipientRole Role, string? ContactId = null);

/// <summary>An optional calendar item sent as an .ics attachment; the same <see cref="Uid"/> updates an earlier invite.</summary>
public sealed record CalendarInvite(string Uid, string Summary, DateTimeOffset Start, TimeSpan Duration, string TimeZone, string? Description = null, string? Location = null, int Sequence = 0, bool Cancelled = false);

/// <summary>
/// What a workflow asks to be sent. Activities write it to the outbox; nothing talks to SendGrid directly.
/// <see cref="NotificationId"/> is deterministic (same workflow step → same id), so a re-run activity or a repeated
/// event never sends twice.
/// </summary>
public sealed record NotificationRequest
{
    /// <summary>Deterministic id, e.g. <c>proposal:P-1|ProposalExpiryReminder|7d</c>.</summary>
    public required string NotificationId { get; init; }

    public required NotificationKind Kind { get; init; }

    public required NotificationRecipient Recipient { get; init; }

    /// <summary>When to send (already moved into the recipient's business hours by the workflow).</summary>
    public required DateTimeOffset SendAt { get; init; }

    public required string AccountId { get; init; }

    /// <summary>The workflow instance that asked (business key such as <c>proposal:P-1</c>).</summary>
    public required string SourceKey { get; init; }

    /// <summary>Template values; every field the catalog lists for the kind must be present.</summary>
    public required IReadOnlyDictionary<string, TemplateValue> Fields { get; init; }

    public CalendarInvite? Invite { get; init; }

    /// <summary>Essential messages (tasks, escalations, approvals) carry no unsubscribe link and ignore digest preferences.</summary>
    public bool Essential { get; init; }
}

/// <summary>The outbox port: stores a request (idempotent by id) for the sender to deliver at <see cref="NotificationRequest.SendAt"/>.</summary>
public interface INotificationOutbox
{
    /// <summary>Stores the request; returns false if a request with the same id was already stored (nothing changes).</summary>
    Task<bool> EnqueueAsync(NotificationRequest request, CancellationToken cancellationToken);

    /// <summary>Withdraws a not-yet-sent request (the reminder became moot); false if already sent or unknown.</summary>
    Task<bool> CancelAsync(string notificationId, CancellationToken cancellationToken);
}
