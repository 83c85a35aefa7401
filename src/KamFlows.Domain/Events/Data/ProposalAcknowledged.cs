namespace KamFlows.Domain.Events.Data;

/// <summary><c>kam.proposal.acknowledged</c>: the client confirmed receipt of the proposal.</summary>
public sealed record ProposalAcknowledged : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.ProposalAcknowledged;

    public required string ProposalId { get; init; }

    public required string AccountId { get; init; }

    /// <summary>Who confirmed, when known.</summary>
    public string? ContactId { get; init; }

    internal static ProposalAcknowledged Read(JsonFieldReader r) => new()
    {
        ProposalId = r.RequiredId("proposal_id"),
        AccountId = r.RequiredId("account_id"),
        ContactId = r.OptionalId("contact_id"),
    };

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("proposal_id", ProposalId);
        w.String("account_id", AccountId);
        w.String("contact_id", ContactId);
    }
}
