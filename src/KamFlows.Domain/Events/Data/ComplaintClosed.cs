namespace KamFlows.Domain.Events.Data;

/// <summary>
/// <c>kam.complaint.closed</c>: after the resolution, the client confirmed it (the KAM's follow-up is done); nothing more
/// is asked about the complaint.
/// </summary>
public sealed record ComplaintClosed : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.ComplaintClosed;

    public required string ComplaintId { get; init; }

    public required string AccountId { get; init; }

    /// <summary>The delivery it was about, repeated so the event reaches that delivery's workflow.</summary>
    public string? DeliveryId { get; init; }

    public string? Note { get; init; }

    internal static ComplaintClosed Read(JsonFieldReader r) => new()
    {
        ComplaintId = r.RequiredId("complaint_id"),
        AccountId = r.RequiredId("account_id"),
        DeliveryId = r.OptionalId("delivery_id"),
        Note = r.OptionalText("note"),
    };

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("complaint_id", ComplaintId);
        w.String("account_id", AccountId);
        w.String("delivery_id", DeliveryId);
        w.String("note", Note);
    }
}
