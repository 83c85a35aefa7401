using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Notifications.Outbox;

/// <summary>
/// One outbox row: the request a workflow stored and what has happened to it since. <see cref="DueAt"/> is when a
/// sender must look at it next (the send time, a retry time, or the end of a claim's lease).
/// </summary>
public sealed record OutboxMessage
{
    public required NotificationRequest Request { get; init; }

    public required OutboxStatus Status { get; init; }

    public required DateTimeOffset DueAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public int Attempts { get; init; }

    public string? LastError { get; init; }

    /// <summary>What the sender decided without sending (postponed for the touch budget or quiet hours, suppressed, recovered).</summary>
    public string? Note { get; init; }

    /// <summary>SendGrid's X-Message-Id, or the local sink's file name.</summary>
    public string? ProviderMessageId { get; init; }

    /// <summary>"SendGrid" or "LocalSink": who delivered (or tried).</summary>
    public string? Provider { get; init; }

    public DateTimeOffset? SentAt { get; init; }

    public string? ClaimedBy { get; init; }

    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>Identifies the attempt that holds the claim, so a lapsed claim is told apart from a live one.</summary>
    public string? AttemptId { get; init; }

    /// <summary>The storage version; every transition is conditional on it.</summary>
    public Azure.ETag ETag { get; init; }

    public string NotificationId => Request.NotificationId;

    /// <summary>Essential when the workflow or the catalog says so: no unsubscribe link, preferences do not apply.</summary>
    public bool IsEssential => Request.Essential || NotificationCatalog.For(Request.Kind).Essential;
}
