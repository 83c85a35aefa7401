using KamFlows.Domain.Sales;

namespace KamFlows.Domain.Events.Data;

/// <summary><c>kam.opportunity.stage_changed</c>: the deal moved to <see cref="Stage"/> at the event time.</summary>
public sealed record OpportunityStageChanged : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.OpportunityStageChanged;

    public required string OpportunityId { get; init; }

    public required string AccountId { get; init; }

    public required OpportunityStage Stage { get; init; }

    public OpportunityStage? PreviousStage { get; init; }

    internal static OpportunityStageChanged Read(JsonFieldReader r)
    {
        var data = new OpportunityStageChanged
        {
            OpportunityId = r.RequiredId("opportunity_id"),
            AccountId = r.RequiredId("account_id"),
            Stage = r.RequiredEnum<OpportunityStage>("stage"),
            PreviousStage = r.OptionalEnum<OpportunityStage>("previous_stage"),
        };
        if (data.PreviousStage == data.Stage)
        {
            r.Error("previous_stage", $"must differ from stage ({WireName.Of(data.Stage)})");
        }

        return data;
    }

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("opportunity_id", OpportunityId);
        w.String("account_id", AccountId);
        w.Enum<OpportunityStage>("stage", Stage);
        w.Enum("previous_stage", PreviousStage);
    }
}
