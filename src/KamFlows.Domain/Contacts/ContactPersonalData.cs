namespace KamFlows.Domain.Contacts;

/// <summary>
/// The sensitive part of a contact (seed 001: birth dates, hobbies, family members, values).
/// <para>Invariants: stored once, in this record only; a <see cref="Contact"/> and workflow history refer to it
/// by <see cref="Id"/> and never copy its fields. <see cref="Erase"/> keeps the id (so references stay
/// resolvable and show "erased") but removes every personal field; an erased record stays empty.</para>
/// </summary>
public sealed record ContactPersonalData
{
    public ContactPersonalData(
        string id,
        string contactId,
        Birthday? birthday = null,
        IEnumerable<string>? hobbies = null,
        IEnumerable<FamilyMember>? family = null,
        IEnumerable<string>? values = null)
        : this(id, contactId, birthday, Clean(hobbies), (family ?? []).ToValueList(), Clean(values), erasedAt: null)
    {
    }

    private ContactPersonalData(
        string id,
        string contactId,
        Birthday? birthday,
        ValueList<string> hobbies,
        ValueList<FamilyMember> family,
        ValueList<string> values,
        Instant? erasedAt)
    {
        Id = EntityId.Require(id);
        ContactId = EntityId.Require(contactId);
        Birthday = birthday;
        Hobbies = hobbies;
        Family = family;
        Values = values;
        ErasedAt = erasedAt;
    }

    public string Id { get; }

    public string ContactId { get; }

    public Birthday? Birthday { get; }

    public ValueList<string> Hobbies { get; }

    public ValueList<FamilyMember> Family { get; }

    /// <summary>What the person values (seed 001), e.g. "punctuality", "family time".</summary>
    public ValueList<string> Values { get; }

    /// <summary>When the data was erased on request; null while it is held.</summary>
    public Instant? ErasedAt { get; }

    public bool IsErased => ErasedAt is not null;

    /// <summary>The id under which a contact's personal data is stored; one record per contact.</summary>
    public static string IdForContact(string contactId) => "personal:" + EntityId.Require(contactId);

    /// <summary>Removes every personal field, keeping only the ids and when it happened.</summary>
    public ContactPersonalData Erase(Instant at) =>
        new(Id, ContactId, birthday: null, ValueList.Empty<string>(), ValueList.Empty<FamilyMember>(), ValueList.Empty<string>(), ErasedAt ?? at);

    private static ValueList<string> Clean(IEnumerable<string>? items) =>
        (items ?? []).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).ToValueList();
}
