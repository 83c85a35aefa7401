namespace KamFlows.Domain.Events.Data;

/// <summary>
/// <c>kam.meeting.logged</c>: a meeting with the client took place at <see cref="HeldAt"/>. Meeting cadence, not call
/// counts, measures a long sale (seed 000).
/// </summary>
public sealed record MeetingLogged : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.MeetingLogged;

    public required string MeetingId { get; init; }

    public required string AccountId { get; init; }

    public required OffsetDateTime HeldAt { get; init; }

    public string? OpportunityId { get; init; }

    public string? ProposalId { get; init; }

    public string? TenderId { get; init; }

    /// <summary>The client's people who took part.</summary>
    public ValueList<string> ContactIds { get; init; } = ValueList.Empty<string>();

    public string? Summary { get; init; }

    /// <summary>The next meaningful step agreed, e.g. "pilot scope review with IT".</summary>
    public string? NextStep { get; init; }

    public LocalDate? NextStepDue { get; init; }

    internal static MeetingLogged Read(JsonFieldReader r)
    {
        var data = new MeetingLogged
        {
            MeetingId = r.RequiredId("meeting_id"),
            AccountId = r.RequiredId("account_id"),
            HeldAt = r.RequiredTimestamp("held_at"),
            OpportunityId = r.OptionalId("opportunity_id"),
            ProposalId = r.OptionalId("proposal_id"),
            TenderId = r.OptionalId("tender_id"),
            ContactIds = r.OptionalIdSet("contact_ids"),
            Summary = r.OptionalText("summary"),
            NextStep = r.OptionalText("next_step"),
            NextStepDue = r.OptionalDate("next_step_due"),
        };
        if (data.NextStepDue < data.HeldAt.Date)
        {
            r.Error("next_step_due", $"must not be before the meeting ({JsonText.Format(data.HeldAt.Date)})");
        }

        return data;
    }

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("meeting_id", MeetingId);
        w.String("account_id", AccountId);
        w.Timestamp("held_at", HeldAt);
        w.String("opportunity_id", OpportunityId);
        w.String("proposal_id", ProposalId);
        w.String("tender_id", TenderId);
        w.Strings("contact_ids", ContactIds);
        w.String("summary", Summary);
        w.String("next_step", NextStep);
        w.Date("next_step_due", NextStepDue);
    }
}
