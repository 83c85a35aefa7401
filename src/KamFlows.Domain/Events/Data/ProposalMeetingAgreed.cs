namespace KamFlows.Domain.Events.Data;

/// <summary><c>kam.proposal.meeting_agreed</c>: a call or meeting to discuss the proposal is set for <see cref="MeetingAt"/>.</summary>
public sealed record ProposalMeetingAgreed : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.ProposalMeetingAgreed;

    public required string ProposalId { get; init; }

    public required string AccountId { get; init; }

    public required OffsetDateTime MeetingAt { get; init; }

    public ValueList<string> ContactIds { get; init; } = ValueList.Empty<string>();

    internal static ProposalMeetingAgreed Read(JsonFieldReader r) => new()
    {
        ProposalId = r.RequiredId("proposal_id"),
        AccountId = r.RequiredId("account_id"),
        MeetingAt = r.RequiredTimestamp("meeting_at"),
        ContactIds = r.OptionalIdSet("contact_ids"),
    };

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("proposal_id", ProposalId);
        w.String("account_id", AccountId);
        w.Timestamp("meeting_at", MeetingAt);
        w.Strings("contact_ids", ContactIds);
    }
}
