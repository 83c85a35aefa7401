namespace KamFlows.Domain.Events.Data;

/// <summary>
/// <c>kam.contact.erased</c>: the person asked to be forgotten. Their personal-data record is erased and the
/// contact keeps only role, influence and attitude (see <see cref="Contacts.Contact.Erase"/>).
/// </summary>
public sealed record ContactErased : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.ContactErased;

    public required string ContactId { get; init; }

    public required string AccountId { get; init; }

    public string? Reason { get; init; }

    internal static ContactErased Read(JsonFieldReader r) => new()
    {
        ContactId = r.RequiredId("contact_id"),
        AccountId = r.RequiredId("account_id"),
        Reason = r.OptionalText("reason"),
    };

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("contact_id", ContactId);
        w.String("account_id", AccountId);
        w.String("reason", Reason);
    }
}
