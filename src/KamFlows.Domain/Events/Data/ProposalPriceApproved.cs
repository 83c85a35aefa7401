namespace KamFlows.Domain.Events.Data;

/// <summary><c>kam.proposal.price_approved</c>: the head approved the price of version <see cref="Version"/> (under the account's floor) before it goes to the client.</summary>
public sealed record ProposalPriceApproved : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.ProposalPriceApproved;

    public required string ProposalId { get; init; }

    public required string AccountId { get; init; }

    public int Version { get; init; } = 1;

    public string? Comment { get; init; }

    internal static ProposalPriceApproved Read(JsonFieldReader r) => new()
    {
        ProposalId = r.RequiredId("proposal_id"),
        AccountId = r.RequiredId("account_id"),
        Version = r.OptionalInt("version", minimum: 1) ?? 1,
        Comment = r.OptionalText("comment"),
    };

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("proposal_id", ProposalId);
        w.String("account_id", AccountId);
        w.Number("version", Version);
        w.String("comment", Comment);
    }
}
