using KamFlows.Domain.Sales;

namespace KamFlows.Domain.Events.Data;

/// <summary><c>kam.tender.result</c>: the tender was won, lost or cancelled.</summary>
public sealed record TenderResult : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.TenderResult;

    public required string TenderId { get; init; }

    public required string AccountId { get; init; }

    public required TenderOutcome Outcome { get; init; }

    /// <summary>Who won, when it was not us and the client says.</summary>
    public string? Winner { get; init; }

    public string? ContractId { get; init; }

    internal static TenderResult Read(JsonFieldReader r) => new()
    {
        TenderId = r.RequiredId("tender_id"),
        AccountId = r.RequiredId("account_id"),
        Outcome = r.RequiredEnum<TenderOutcome>("outcome"),
        Winner = r.OptionalName("winner"),
        ContractId = r.OptionalId("contract_id"),
    };

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("tender_id", TenderId);
        w.String("account_id", AccountId);
        w.Enum<TenderOutcome>("outcome", Outcome);
        w.String("winner", Winner);
        w.String("contract_id", ContractId);
    }
}
