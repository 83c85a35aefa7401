using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Notifications.Senders;

/// <summary>A rendered email, ready for a provider.</summary>
public sealed record EmailMessage
{
    public required string NotificationId { get; init; }

    public required NotificationKind Kind { get; init; }

    public required string ToEmail { get; init; }

    public string? ToName { get; init; }

    public required string Subject { get; init; }

    public required string Html { get; init; }

    public required string Text { get; init; }

    public IReadOnlyList<EmailAttachment> Attachments { get; init; } = [];

    /// <summary>One-click unsubscribe address (RFC 8058) for non-essential mail; null for essential mail.</summary>
    public Uri? UnsubscribeUrl { get; init; }

    /// <summary>Ids that travel with the message (SendGrid custom args), so an event or a duplicate can be traced to its row.</summary>
    public IReadOnlyDictionary<string, string> TraceIds { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Categories { get; init; } = [];
}

/// <summary>A file sent with the message (the .ics of a calendar invite).</summary>
public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>What the provider said.</summary>
public abstract record SendOutcome
{
    /// <summary>Accepted for delivery; <paramref name="ProviderMessageId"/> identifies it at the provider.</summary>
    public sealed record Accepted(string? ProviderMessageId) : SendOutcome;

    /// <summary>Not accepted now, nothing was delivered; try again after <paramref name="After"/> (null: back off).</summary>
    public sealed record RetryLater(TimeSpan? After, string Reason) : SendOutcome;

    /// <summary>Refused for good (e.g. 400 with the provider's reason); sending again would fail the same way.</summary>
    public sealed record Rejected(string Reason) : SendOutcome;

    /// <summary>The request may have been accepted (timeout, connection lost mid-request).</summary>
    public sealed record Unknown(string Reason) : SendOutcome;
}

/// <summary>Delivers rendered email.</summary>
public interface IEmailSender
{
    /// <summary>"SendGrid" or "LocalSink", recorded on the row.</summary>
    string Name { get; }

    /// <summary>
    /// True when sending the same notification id twice delivers it once (the local sink checks for its file), so a
    /// send whose outcome is unknown can safely be repeated.
    /// </summary>
    bool DeduplicatesByNotificationId { get; }

    Task<SendOutcome> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
