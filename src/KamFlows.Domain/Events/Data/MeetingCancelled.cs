namespace KamFlows.Domain.Events.Data;

/// <summary><c>kam.meeting.cancelled</c>: a scheduled meeting will not take place; nothing more is sent about it.</summary>
public sealed record MeetingCancelled : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.MeetingCancelled;

    public required string MeetingId { get; init; }

    public required string AccountId { get; init; }

    public string? Reason { get; init; }

    internal static MeetingCancelled Read(JsonFieldReader r) => new()
    {
        MeetingId = r.RequiredId("meeting_id"),
        AccountId = r.RequiredId("account_id"),
        Reason = r.OptionalText("reason"),
    };

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("meeting_id", MeetingId);
        w.String("account_id", AccountId);
        w.String("reason", Reason);
    }
}
