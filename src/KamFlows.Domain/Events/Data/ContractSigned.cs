using KamFlows.Domain.Sales;

namespace KamFlows.Domain.Events.Data;

/// <summary><c>kam.contract.signed</c>: a contract in force from <see cref="StartsOn"/> through <see cref="EndsOn"/>; renewal reminders count back from the end.</summary>
public sealed record ContractSigned : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.ContractSigned;

    public required string ContractId { get; init; }

    public required string AccountId { get; init; }

    public required LocalDate StartsOn { get; init; }

    public required LocalDate EndsOn { get; init; }

    public Money? Value { get; init; }

    public string? ProposalId { get; init; }

    public string? TenderId { get; init; }

    public string? OpportunityId { get; init; }

    public Contract ToContract() => new(ContractId, AccountId, StartsOn, EndsOn, Value, ProposalId, TenderId, OpportunityId);

    internal static ContractSigned Read(JsonFieldReader r)
    {
        var data = new ContractSigned
        {
            ContractId = r.RequiredId("contract_id"),
            AccountId = r.RequiredId("account_id"),
            StartsOn = r.RequiredDate("starts_on"),
            EndsOn = r.RequiredDate("ends_on"),
            Value = r.OptionalMoney("value"),
            ProposalId = r.OptionalId("proposal_id"),
            TenderId = r.OptionalId("tender_id"),
            OpportunityId = r.OptionalId("opportunity_id"),
        };
        if (data.EndsOn < data.StartsOn)
        {
            r.Error("ends_on", $"must not be before starts_on ({JsonText.Format(data.StartsOn)})");
        }

        return data;
    }

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("contract_id", ContractId);
        w.String("account_id", AccountId);
        w.Date("starts_on", StartsOn);
        w.Date("ends_on", EndsOn);
        w.Money("value", Value);
        w.String("proposal_id", ProposalId);
        w.String("tender_id", TenderId);
        w.String("opportunity_id", OpportunityId);
    }
}
