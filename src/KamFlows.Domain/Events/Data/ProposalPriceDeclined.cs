namespace KamFlows.Domain.Events.Data;

/// <summary><c>kam.proposal.price_declined</c>: the head declined the price of version <see cref="Version"/>: it must not go to the client as drafted.</summary>
public sealed record ProposalPriceDeclined : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.ProposalPriceDeclined;

    public required string ProposalId { get; init; }

    public required string AccountId { get; init; }

    public int Version { get; init; } = 1;

    public string? Reason { get; init; }

    internal static ProposalPriceDeclined Read(JsonFieldReader r) => new()
    {
        ProposalId = r.RequiredId("proposal_id"),
        AccountId = r.RequiredId("account_id"),
        Version = r.OptionalInt("version", minimum: 1) ?? 1,
        Reason = r.OptionalText("reason"),
    };

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("proposal_id", ProposalId);
        w.String("account_id", AccountId);
        w.Number("version", Version);
        w.String("reason", Reason);
    }
}
