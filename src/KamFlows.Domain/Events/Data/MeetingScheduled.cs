namespace KamFlows.Domain.Events.Data;

/// <summary>
/// <c>kam.meeting.scheduled</c>: a meeting with the client is planned from <see cref="StartsAt"/> to <see cref="End"/>
/// (seed 003: no meeting unprepared, none without its outcome recorded). Sending it again with another time moves the meeting.
/// </summary>
public sealed record MeetingScheduled : ICanonicalEventData
{
    /// <summary>How long a meeting lasts when the CRM gives no end.</summary>
    public static readonly Duration DefaultLength = Duration.FromHours(1);

    public string EventType => CanonicalEventTypes.MeetingScheduled;

    public required string MeetingId { get; init; }

    public required string AccountId { get; init; }

    public required OffsetDateTime StartsAt { get; init; }

    /// <summary>As the CRM sent it; <see cref="End"/> is what the workflows use.</summary>
    public OffsetDateTime? EndsAt { get; init; }

    public string? Subject { get; init; }

    public string? Location { get; init; }

    public string? OpportunityId { get; init; }

    /// <summary>A meeting about a proposal: ProposalFollowUp prepares it when the CRM also sent kam.proposal.meeting_agreed.</summary>
    public string? ProposalId { get; init; }

    public string? TenderId { get; init; }

    /// <summary>The client's people expected to attend.</summary>
    public ValueList<string> ContactIds { get; init; } = ValueList.Empty<string>();

    /// <summary>The meeting's end: <see cref="EndsAt"/>, else one hour after the start.</summary>
    public OffsetDateTime End => EndsAt ?? StartsAt.Plus(DefaultLength);

    internal static MeetingScheduled Read(JsonFieldReader r)
    {
        var data = new MeetingScheduled
        {
            MeetingId = r.RequiredId("meeting_id"),
            AccountId = r.RequiredId("account_id"),
            StartsAt = r.RequiredTimestamp("starts_at"),
            EndsAt = r.OptionalTimestamp("ends_at"),
            Subject = r.OptionalText("subject"),
            Location = r.OptionalText("location"),
            OpportunityId = r.OptionalId("opportunity_id"),
            ProposalId = r.OptionalId("proposal_id"),
            TenderId = r.OptionalId("tender_id"),
            ContactIds = r.OptionalIdSet("contact_ids"),
        };
        if (data.EndsAt is { } end && data.StartsAt != default && end.ToInstant() < data.StartsAt.ToInstant())
        {
            r.Error("ends_at", $"must not be before starts_at ({JsonText.Format(data.StartsAt)})");
        }
        else if (data.EndsAt is null && data.StartsAt != default && !EventDateRange.Contains(data.End))
        {
            r.Error("starts_at", EventDateRange.Problem + " once the default hour is added");
        }

        return data;
    }

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("meeting_id", MeetingId);
        w.String("account_id", AccountId);
        w.Timestamp("starts_at", StartsAt);
        w.Timestamp("ends_at", EndsAt);
        w.String("subject", Subject);
        w.String("location", Location);
        w.String("opportunity_id", OpportunityId);
        w.String("proposal_id", ProposalId);
        w.String("tender_id", TenderId);
        w.Strings("contact_ids", ContactIds);
    }
}
