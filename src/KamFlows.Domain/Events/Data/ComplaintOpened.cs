using KamFlows.Domain.Sales;

namespace KamFlows.Domain.Events.Data;

/// <summary><c>kam.complaint.opened</c>: the client complained, about a delivery when <see cref="DeliveryId"/> is set.</summary>
public sealed record ComplaintOpened : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.ComplaintOpened;

    public required string ComplaintId { get; init; }

    public required string AccountId { get; init; }

    public string? DeliveryId { get; init; }

    public string? Summary { get; init; }

    /// <param name="openedAt">The event's <c>time</c>.</param>
    public Complaint ToComplaint(OffsetDateTime openedAt) => new(ComplaintId, AccountId, openedAt, DeliveryId, Summary);

    internal static ComplaintOpened Read(JsonFieldReader r) => new()
    {
        ComplaintId = r.RequiredId("complaint_id"),
        AccountId = r.RequiredId("account_id"),
        DeliveryId = r.OptionalId("delivery_id"),
        Summary = r.OptionalText("summary"),
    };

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("complaint_id", ComplaintId);
        w.String("account_id", AccountId);
        w.String("delivery_id", DeliveryId);
        w.String("summary", Summary);
    }
}
