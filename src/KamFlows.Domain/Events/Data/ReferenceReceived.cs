using KamFlows.Domain.Sales;

namespace KamFlows.Domain.Events.Data;

/// <summary><c>kam.reference.received</c>: the client gave a reference letter or a referral to a colleague or partner.</summary>
public sealed record ReferenceReceived : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.ReferenceReceived;

    public required string AccountId { get; init; }

    public required ReferenceKind Kind { get; init; }

    /// <summary>The delivery the reference is for, so the delivery's reference workflow can finish.</summary>
    public string? DeliveryId { get; init; }

    public string? ContactId { get; init; }

    /// <summary>Where the letter is published or stored.</summary>
    public Uri? Url { get; init; }

    /// <summary>For a referral: the company the client recommended us to.</summary>
    public string? ReferredCompany { get; init; }

    internal static ReferenceReceived Read(JsonFieldReader r) => new()
    {
        AccountId = r.RequiredId("account_id"),
        Kind = r.RequiredEnum<ReferenceKind>("kind"),
        DeliveryId = r.OptionalId("delivery_id"),
        ContactId = r.OptionalId("contact_id"),
        Url = r.OptionalHttpUrl("url"),
        ReferredCompany = r.OptionalName("referred_company"),
    };

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("account_id", AccountId);
        w.Enum<ReferenceKind>("kind", Kind);
        w.String("delivery_id", DeliveryId);
        w.String("contact_id", ContactId);
        w.Url("url", Url);
        w.String("referred_company", ReferredCompany);
    }
}
