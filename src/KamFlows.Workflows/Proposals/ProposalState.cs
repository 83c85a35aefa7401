using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.Proposals;

/// <summary>What the proposal follow-up knows about the current version of one proposal.</summary>
public sealed class ProposalState : WorkflowState
{
    public int Version { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public DateOnly ValidUntil { get; set; }

    public decimal Total { get; set; }

    public string Currency { get; set; } = string.Empty;

    public decimal? DiscountPercent { get; set; }

    /// <summary>DMU roles (wire names) the proposal speaks to.</summary>
    public List<string> AddressedRoles { get; set; } = [];

    public DateTimeOffset? AcknowledgedAt { get; set; }

    /// <summary>The agreed call or meeting to discuss the proposal.</summary>
    public DateTimeOffset? MeetingAt { get; set; }

    /// <summary>How many times a meeting time was agreed (the calendar invite's sequence).</summary>
    public int MeetingChanges { get; set; }

    /// <summary>A meeting about the proposal took place (kam.meeting.logged).</summary>
    public DateTimeOffset? MeetingHeldAt { get; set; }

    /// <summary><c>sent</c>, <c>acknowledged</c>, <c>meeting_agreed</c>, <c>accepted</c>, <c>rejected</c>, <c>expired</c> or <c>lost</c> (its deal lost).</summary>
    public string Status { get; set; } = "none";

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>The deal this proposal belongs to (from sent or drafted): its won or lost closes the proposal.</summary>
    public string? OpportunityId { get; set; }

    /// <summary>The latest drafted version not superseded by a sent one (kam.proposal.drafted), with its price.</summary>
    public int DraftVersion { get; set; }

    public DateTimeOffset? DraftedAt { get; set; }

    public decimal DraftTotal { get; set; }

    public string DraftCurrency { get; set; } = string.Empty;

    public decimal? DraftDiscountPercent { get; set; }

    /// <summary>The head's price decisions by version: <c>approved</c> or <c>declined</c>.</summary>
    public Dictionary<int, string> PriceDecisions { get; set; } = [];

    /// <summary>
    /// Meetings of this proposal the CRM reported as kam.meeting.scheduled (seed rules): each is prepared by its own
    /// meeting workflow, so this workflow sends no meeting preparation of its own.
    /// </summary>
    public List<string> ScheduledMeetingIds { get; set; } = [];

    /// <summary>Recent steps for the meeting preparation, e.g. "2026-03-20 proposal sent (v1)".</summary>
    public List<string> Interactions { get; set; } = [];

    internal bool IsClosed => Status is ProposalStatuses.Accepted or ProposalStatuses.Rejected or ProposalStatuses.Expired or ProposalStatuses.Lost;

    internal bool PriceApproved(int version) => PriceDecisions.GetValueOrDefault(version) == ProposalStatuses.PriceApproved;

    internal void Remember(string interaction)
    {
        Interactions.Add(interaction);
        if (Interactions.Count > 6)
        {
            Interactions.RemoveAt(0);
        }
    }
}

internal static class ProposalStatuses
{
    public const string Sent = "sent";
    public const string Acknowledged = "acknowledged";
    public const string MeetingAgreed = "meeting_agreed";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Expired = "expired";

    /// <summary>The deal the proposal belongs to was lost (the client may never have answered this proposal itself).</summary>
    public const string Lost = "lost";

    public const string PriceApproved = "approved";
    public const string PriceDeclined = "declined";
}
