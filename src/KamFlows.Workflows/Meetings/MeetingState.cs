using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.Meetings;

/// <summary>What the meeting workflow knows about one meeting: when it is, who attends, and whether it was cancelled or its outcome recorded.</summary>
public sealed class MeetingState : WorkflowState
{
    /// <summary>When the meeting was first scheduled (the event's time): the preparation never goes out before it.</summary>
    public DateTimeOffset? ScheduledAt { get; set; }

    /// <summary>The time of the kam.meeting.scheduled now in force: an older one arriving late does not move the meeting back.</summary>
    public DateTimeOffset? ScheduleEventTime { get; set; }

    public DateTimeOffset? StartsAt { get; set; }

    public DateTimeOffset? EndsAt { get; set; }

    public string? Subject { get; set; }

    public string? Location { get; set; }

    public string? OpportunityId { get; set; }

    public string? ProposalId { get; set; }

    public string? TenderId { get; set; }

    /// <summary>The client's people expected to attend (contact ids only; names are read when the preparation goes out).</summary>
    public List<string> ContactIds { get; set; } = [];

    /// <summary>How many times the meeting was moved (each moved notice's id carries it).</summary>
    public int Moves { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>When this instance heard of the cancellation (orchestration time; later than <see cref="CancelledAt"/> when the event came late).</summary>
    public DateTimeOffset? CancellationHeardAt { get; set; }

    /// <summary>Why the CRM says the meeting was cancelled (its own text; null when it gave none).</summary>
    public string? CancellationReason { get; set; }

    /// <summary>The sequence of the last invite that went out with a preparation (null: none did, so there is nothing to withdraw).</summary>
    public int? InviteSequenceSent { get; set; }

    /// <summary>The invite sequence of the meeting's current version (time-derived; above every earlier version's, see MeetingPreparation.SequenceFor).</summary>
    public int? InviteSequence { get; set; }

    /// <summary>When this instance heard of the latest move (orchestration time): a moved invite's notice goes then.</summary>
    public DateTimeOffset? MovedHeardAt { get; set; }

    /// <summary>The start the last invite sent put in the KAM's calendar (null: none went out).</summary>
    public DateTimeOffset? InvitedStartsAt { get; set; }

    /// <summary>The end the last invite sent put in the KAM's calendar.</summary>
    public DateTimeOffset? InvitedEndsAt { get; set; }

    /// <summary>Its outcome was recorded (kam.meeting.logged with this meeting_id).</summary>
    public DateTimeOffset? LoggedAt { get; set; }
}
