using KamFlows.Workflows.Notifications;

namespace KamFlows.Workflows.Common;

/// <summary>
/// One thing a workflow will do at <see cref="DueAt"/>: send a notification (the engine enqueues it when due) or run
/// an internal step (<see cref="Internal"/>, e.g. the birthday sweep). Plans are recomputed from state after every
/// event and timer, so a moved date moves every item that depends on it, and an item's <see cref="Id"/> (the
/// notification id) is what makes it happen once.
/// </summary>
public sealed record PlanItem
{
    /// <summary>Deterministic id: <c>{business key}|{kind}|{occurrence}</c>; the notification id when one is sent.</summary>
    public required string Id { get; init; }

    /// <summary>When it is due, already placed on the recipient's business day and reminder time.</summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>One line for upcoming actions and escalations, e.g. "Call to confirm receipt of proposal P-1".</summary>
    public required string Title { get; init; }

    /// <summary>The notification sent (or, for an internal step, the kind shown in upcoming actions).</summary>
    public NotificationKind? Kind { get; init; }

    public RecipientRole Audience { get; init; } = RecipientRole.Kam;

    /// <summary>Set for steps the workflow runs itself instead of sending a notification.</summary>
    public string? Internal { get; init; }

    /// <summary>Template fields the workflow knows (no personal data); the send activity adds names, DMU and the like.</summary>
    public IReadOnlyDictionary<string, TemplateValue> Fields { get; init; } = new Dictionary<string, TemplateValue>(StringComparer.Ordinal);

    public CalendarInvite? Invite { get; init; }

    /// <summary>A task stays in upcoming actions until the workflow sees it done, and may escalate to the head.</summary>
    public bool IsTask { get; init; }

    /// <summary>Null: sent late at the recipient's next business moment. Otherwise skipped when found later than this.</summary>
    public TimeSpan? SkipWhenLateAfter { get; init; }

    /// <summary>DMU roles the proposal addresses (the send activity lists the others).</summary>
    public IReadOnlyList<string>? AddressedRoles { get; init; }

    /// <summary>Contact ids of the client's people at a meeting (the send activity reads their names, roles and attitudes).</summary>
    public IReadOnlyList<string>? Attendees { get; init; }

    /// <summary>Shown in upcoming actions (internal steps usually are not).</summary>
    public bool Projected { get; init; } = true;
}

/// <summary>What happened to a plan item: when, and the result.</summary>
public sealed class FiredAction
{
    /// <summary>When it was sent (its send time) or decided.</summary>
    public DateTimeOffset At { get; set; }

    public string? Kind { get; set; }

    public string Title { get; set; } = string.Empty;

    public bool IsTask { get; set; }

    public RecipientRole Audience { get; set; }

    /// <summary><c>enqueued</c>, <c>duplicate</c>, <c>skipped-late</c>, <c>missed</c>, <c>no-recipient</c>, <c>no-profile</c>, <c>failed</c>, <c>done</c>.</summary>
    public string Outcome { get; set; } = FiredOutcomes.Enqueued;
}

public static class FiredOutcomes
{
    public const string Enqueued = "enqueued";
    public const string Duplicate = "duplicate";
    public const string SkippedLate = "skipped-late";

    /// <summary>Found due while catching up, past its grace (or before a backfill): recorded and reported in the next digest, never sent.</summary>
    public const string Missed = "missed";
    public const string NoRecipient = "no-recipient";
    public const string NoProfile = "no-profile";
    public const string Failed = "failed";
    public const string Done = "done";

    /// <summary>Whether the message went to the outbox (now or by an earlier run).</summary>
    public static bool Delivered(string outcome) => outcome is Enqueued or Duplicate;
}
