namespace KamFlows.Domain.Events.Data;

/// <summary><c>kam.proposal.accepted</c>: the client accepted the proposal (the given version, or the current one).</summary>
public sealed record ProposalAccepted : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.ProposalAccepted;

    public required string ProposalId { get; init; }

    public required string AccountId { get; init; }

    public int? Version { get; init; }

    public string? ContractId { get; init; }

    internal static ProposalAccepted Read(JsonFieldReader r) => new()
    {
        ProposalId = r.RequiredId("proposal_id"),
        AccountId = r.RequiredId("account_id"),
        Version = r.OptionalInt("version", minimum: 1),
        ContractId = r.OptionalId("contract_id"),
    };

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("proposal_id", ProposalId);
        w.String("account_id", AccountId);
        w.Number("version", Version);
        w.String("contract_id", ContractId);
    }
}
