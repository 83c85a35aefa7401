namespace KamFlows.Domain.Events.Data;

/// <summary><c>kam.complaint.resolved</c>: the complaint was resolved at the event time.</summary>
public sealed record ComplaintResolved : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.ComplaintResolved;

    public required string ComplaintId { get; init; }

    public required string AccountId { get; init; }

    /// <summary>The delivery it was about, repeated so the event reaches that delivery's workflow.</summary>
    public string? DeliveryId { get; init; }

    public string? Resolution { get; init; }

    internal static ComplaintResolved Read(JsonFieldReader r) => new()
    {
        ComplaintId = r.RequiredId("complaint_id"),
        AccountId = r.RequiredId("account_id"),
        DeliveryId = r.OptionalId("delivery_id"),
        Resolution = r.OptionalText("resolution"),
    };

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("complaint_id", ComplaintId);
        w.String("account_id", AccountId);
        w.String("delivery_id", DeliveryId);
        w.String("resolution", Resolution);
    }
}
