namespace KamFlows.Domain.Events.Data;

/// <summary><c>kam.proposal.rejected</c>: the client declined the proposal.</summary>
public sealed record ProposalRejected : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.ProposalRejected;

    public required string ProposalId { get; init; }

    public required string AccountId { get; init; }

    public int? Version { get; init; }

    public string? Reason { get; init; }

    /// <summary>The competitor who won instead, when known.</summary>
    public string? Competitor { get; init; }

    internal static ProposalRejected Read(JsonFieldReader r) => new()
    {
        ProposalId = r.RequiredId("proposal_id"),
        AccountId = r.RequiredId("account_id"),
        Version = r.OptionalInt("version", minimum: 1),
        Reason = r.OptionalText("reason"),
        Competitor = r.OptionalName("competitor"),
    };

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("proposal_id", ProposalId);
        w.String("account_id", AccountId);
        w.Number("version", Version);
        w.String("reason", Reason);
        w.String("competitor", Competitor);
    }
}
