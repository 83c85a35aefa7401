namespace KamFlows.Domain.Events.Data;

/// <summary>
/// <c>kam.delivery.scheduled</c>: the delivery team committed to finish a delivery by <see cref="DueOn"/> (seed 003: the
/// KAM controls the delivery team's deadlines). Sent again with another <c>due_on</c>, the deadline moves.
/// </summary>
public sealed record DeliveryScheduled : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.DeliveryScheduled;

    public required string DeliveryId { get; init; }

    public required string AccountId { get; init; }

    /// <summary>The deadline: the local date by which the delivery team finishes.</summary>
    public required LocalDate DueOn { get; init; }

    public string? Description { get; init; }

    public string? ContractId { get; init; }

    /// <summary>Who leads the delivery team: the person the KAM checks with.</summary>
    public string? TeamLeadName { get; init; }

    public EmailAddress? TeamLeadEmail { get; init; }

    internal static DeliveryScheduled Read(JsonFieldReader r) => new()
    {
        DeliveryId = r.RequiredId("delivery_id"),
        AccountId = r.RequiredId("account_id"),
        DueOn = r.RequiredDate("due_on"),
        Description = r.OptionalText("description"),
        ContractId = r.OptionalId("contract_id"),
        TeamLeadName = r.OptionalName("team_lead_name"),
        TeamLeadEmail = r.OptionalEmail("team_lead_email"),
    };

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("delivery_id", DeliveryId);
        w.String("account_id", AccountId);
        w.Date("due_on", DueOn);
        w.String("description", Description);
        w.String("contract_id", ContractId);
        w.String("team_lead_name", TeamLeadName);
        w.String("team_lead_email", TeamLeadEmail?.Value);
    }
}
