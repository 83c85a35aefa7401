using System.Text.Json.Serialization;

namespace KamFlows.Infrastructure.Notifications.Outbox;

/// <summary>
/// Where a message is in its life. Persisted by name: never rename.
/// <code>
/// Pending ──claim──▶ Claimed ──▶ Sending ──accepted──▶ Sent
///    ▲  │              │  │          │  └──permanent error──▶ Failed
///    │  │              │  └─lease lapses (crash): claimable again
///    │  │              │             └──lease lapses (crash): resent if the sender is idempotent, else OutcomeUnknown
///    └──┴─ retry later (429, 5xx), postponed (touch budget, quiet hours)
/// Pending/Claimed ──cancel──▶ Cancelled;  Pending ──recipient opted out──▶ Suppressed
/// </code>
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutboxStatus>))]
public enum OutboxStatus
{
    /// <summary>Waiting for its due time.</summary>
    Pending,

    /// <summary>A sender owns it (lease) and is preparing it; nothing has left yet, so a lapsed claim is safe to retry.</summary>
    Claimed,

    /// <summary>Handed to the provider; if the sender died here, whether it arrived is known only to the provider.</summary>
    Sending,

    /// <summary>The provider accepted it.</summary>
    Sent,

    /// <summary>Given up: a permanent error or too many attempts; the reason is in the row.</summary>
    Failed,

    /// <summary>Withdrawn by its workflow before it was sent.</summary>
    Cancelled,

    /// <summary>Not sent because the recipient opted out of non-essential mail or digests.</summary>
    Suppressed,

    /// <summary>The sender died while the provider handled it; it may or may not have arrived (see <see cref="EmailOptions.ResendWhenOutcomeUnknown"/>).</summary>
    OutcomeUnknown,
}

public static class OutboxStatusExtensions
{
    /// <summary>No sender will touch the message again.</summary>
    public static bool IsFinal(this OutboxStatus status) =>
        status is OutboxStatus.Sent or OutboxStatus.Failed or OutboxStatus.Cancelled or OutboxStatus.Suppressed or OutboxStatus.OutcomeUnknown;
}
