using KamFlows.Domain.Sales;

namespace KamFlows.Domain.Events.Data;

/// <summary><c>kam.opportunity.upserted</c>: a deal was created or changed in the CRM.</summary>
public sealed record OpportunityUpserted : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.OpportunityUpserted;

    public required string OpportunityId { get; init; }

    public required string AccountId { get; init; }

    public required string Name { get; init; }

    public required OpportunityStage Stage { get; init; }

    public Money? Amount { get; init; }

    public LocalDate? ExpectedCloseDate { get; init; }

    /// <param name="stageEnteredAt">When the current stage began (for a new deal: the event time).</param>
    public Opportunity ToOpportunity(Instant stageEnteredAt) =>
        new(OpportunityId, AccountId, Name, Stage, stageEnteredAt, Amount, ExpectedCloseDate);

    internal static OpportunityUpserted Read(JsonFieldReader r) => new()
    {
        OpportunityId = r.RequiredId("opportunity_id"),
        AccountId = r.RequiredId("account_id"),
        Name = r.RequiredName("name"),
        Stage = r.RequiredEnum<OpportunityStage>("stage"),
        Amount = r.OptionalMoney("amount"),
        ExpectedCloseDate = r.OptionalDate("expected_close_date"),
    };

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("opportunity_id", OpportunityId);
        w.String("account_id", AccountId);
        w.String("name", Name);
        w.Enum<OpportunityStage>("stage", Stage);
        w.Money("amount", Amount);
        w.Date("expected_close_date", ExpectedCloseDate);
    }
}
