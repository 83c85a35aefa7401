using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Common;

/// <summary>Registered names of the workflows' activities (persisted in history: never rename).</summary>
public static class ActivityNames
{
    public const string ReadWorkflowOptions = nameof(ReadWorkflowOptions);
    public const string ReadAccountProfile = nameof(ReadAccountProfile);
    public const string EnqueueNotification = nameof(EnqueueNotification);
    public const string ReplaceUpcomingPlan = nameof(ReplaceUpcomingPlan);
    public const string SweepBirthdays = nameof(SweepBirthdays);
    public const string ReviewQuarter = nameof(ReviewQuarter);
    public const string ReadAccountComplaints = nameof(ReadAccountComplaints);
    public const string RecordMissedActions = nameof(RecordMissedActions);
    public const string BriefHandover = nameof(BriefHandover);
}

/// <summary>
/// A notification as a workflow decides it: the activity adds the recipient (from the current account profile), the
/// names (<c>account_name</c>, <c>recipient_name</c>, <c>kam_name</c> ...), the DMU lists, and checks every field of
/// the kind is present before enqueueing.
/// </summary>
public sealed record NotificationDraft
{
    public required string NotificationId { get; init; }

    public required NotificationKind Kind { get; init; }

    public required RecipientRole Audience { get; init; }

    public required DateTimeOffset SendAt { get; init; }

    public required string AccountId { get; init; }

    public required string SourceKey { get; init; }

    public IReadOnlyDictionary<string, TemplateValue> Fields { get; init; } = new Dictionary<string, TemplateValue>(StringComparer.Ordinal);

    public CalendarInvite? Invite { get; init; }

    /// <summary>DMU roles (wire names) the proposal addresses; the activity lists the DMU's other roles as <c>unaddressed_roles</c>.</summary>
    public IReadOnlyList<string>? AddressedRoles { get; init; }

    /// <summary>Contact ids of the client's people at a meeting; the activity fills <c>attendees</c> with their DMU roles and attitudes.</summary>
    public IReadOnlyList<string>? Attendees { get; init; }

    /// <summary>For client-facing messages: the contact, or null to let the activity pick the best-placed DMU member.</summary>
    public string? ContactId { get; init; }
}

/// <summary>What the enqueue activity did (no personal data: at most the id of the contact written to).</summary>
public sealed record NotificationOutcome(string Outcome, string? ContactId = null);

/// <summary>Input of <see cref="ActivityNames.ReplaceUpcomingPlan"/>.</summary>
public sealed record PlanReplacement(string SourceKey, string AccountId, string KamEmail, IReadOnlyList<PlannedAction> Actions);

/// <summary>A plan item recorded as missed while catching up: what it was, when it was due (recipient's local time), for whom.</summary>
public sealed record MissedAction(string Id, string Kind, string Title, DateTimeOffset DueAt, RecipientRole Audience, string RecipientEmail);

/// <summary>Input of <see cref="ActivityNames.RecordMissedActions"/>: the items one step of one instance recorded as missed.</summary>
public sealed record MissedActionsRecord(string AccountId, string AccountName, string SourceKey, IReadOnlyList<MissedAction> Items);
