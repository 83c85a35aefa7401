using KamFlows.Domain.Sales;

namespace KamFlows.Domain.Events.Data;

/// <summary>
/// <c>kam.delivery.completed</c>: a delivery or project stage finished at the event time. On time and meeting
/// expectations, it leads to a reference-letter request after the settling period.
/// </summary>
public sealed record DeliveryCompleted : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.DeliveryCompleted;

    public required string DeliveryId { get; init; }

    public required string AccountId { get; init; }

    public required bool OnTime { get; init; }

    /// <summary>The client's expectations were met or exceeded.</summary>
    public required bool ExpectationsMet { get; init; }

    public string? ContractId { get; init; }

    public string? Description { get; init; }

    /// <param name="completedAt">The event's <c>time</c>.</param>
    public Delivery ToDelivery(OffsetDateTime completedAt) => new(DeliveryId, AccountId, completedAt, OnTime, ExpectationsMet, ContractId);

    internal static DeliveryCompleted Read(JsonFieldReader r) => new()
    {
        DeliveryId = r.RequiredId("delivery_id"),
        AccountId = r.RequiredId("account_id"),
        OnTime = r.RequiredBool("on_time"),
        ExpectationsMet = r.RequiredBool("expectations_met"),
        ContractId = r.OptionalId("contract_id"),
        Description = r.OptionalText("description"),
    };

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("delivery_id", DeliveryId);
        w.String("account_id", AccountId);
        w.Bool("on_time", OnTime);
        w.Bool("expectations_met", ExpectationsMet);
        w.String("contract_id", ContractId);
        w.String("description", Description);
    }
}
