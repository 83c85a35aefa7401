using KamFlows.Domain.Contacts;

namespace KamFlows.Domain.Events.Data;

/// <summary>
/// <c>kam.contact.upserted</c>: a DMU member was created or changed. <see cref="PersonalData"/> is only in transit:
/// the intake stores it as a <see cref="ContactPersonalData"/> record and keeps <see cref="WithoutPersonalData"/>
/// in event history, so personal data lives in one place and can be erased. Absent personal data means "unchanged".
/// </summary>
public sealed record ContactUpserted : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.ContactUpserted;

    public required string ContactId { get; init; }

    public required string AccountId { get; init; }

    public required string Name { get; init; }

    public required DmuRole Role { get; init; }

    public required Influence Influence { get; init; }

    public required Attitude Attitude { get; init; }

    public string? JobTitle { get; init; }

    public EmailAddress? Email { get; init; }

    public string? Phone { get; init; }

    public string? ReportsToContactId { get; init; }

    /// <summary>ISO 3166-1 alpha-2: the national holidays deadlines concerning this contact count.</summary>
    public string? Country { get; init; }

    /// <summary>The IANA zone the contact works in.</summary>
    public DateTimeZone? TimeZone { get; init; }

    /// <summary>The language mail to this contact is written in.</summary>
    public Locale? Locale { get; init; }

    public PersonalDataPayload? PersonalData { get; init; }

    /// <summary>The same event with the personal data removed, fit for workflow history.</summary>
    public ContactUpserted WithoutPersonalData() => PersonalData is null ? this : this with { PersonalData = null };

    /// <summary>The personal-data record to store for this contact, or null when the event carries none.</summary>
    public ContactPersonalData? ToPersonalData() =>
        PersonalData is { } p
            ? new ContactPersonalData(ContactPersonalData.IdForContact(ContactId), ContactId, p.Birthday, p.Hobbies, p.Family, p.Values)
            : null;

    /// <param name="personalDataId">The id of the stored personal data, if any (it is not part of this event).</param>
    public Contact ToContact(string? personalDataId) =>
        new(ContactId, AccountId, Name, Role, Influence, Attitude, JobTitle, Email, Phone, ReportsToContactId, personalDataId, Country, TimeZone, Locale);

    internal static ContactUpserted Read(JsonFieldReader r)
    {
        var data = new ContactUpserted
        {
            ContactId = r.RequiredId("contact_id"),
            AccountId = r.RequiredId("account_id"),
            Name = r.RequiredName("name"),
            Role = r.RequiredEnum<DmuRole>("role"),
            Influence = r.RequiredEnum<Influence>("influence"),
            Attitude = r.RequiredEnum<Attitude>("attitude"),
            JobTitle = r.OptionalName("job_title"),
            Email = r.OptionalEmail("email"),
            Phone = r.OptionalName("phone"),
            ReportsToContactId = r.OptionalId("reports_to_contact_id"),
            Country = r.OptionalCountry("country"),
            TimeZone = r.OptionalTimeZone("time_zone"),
            Locale = r.OptionalLocale("locale"),
            PersonalData = r.OptionalObject("personal_data", PersonalDataPayload.Read),
        };
        if (data.ReportsToContactId is not null && data.ReportsToContactId == data.ContactId)
        {
            r.Error("reports_to_contact_id", "a contact cannot report to themselves");
        }

        return data;
    }

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("contact_id", ContactId);
        w.String("account_id", AccountId);
        w.String("name", Name);
        w.Enum<DmuRole>("role", Role);
        w.Enum<Influence>("influence", Influence);
        w.Enum<Attitude>("attitude", Attitude);
        w.String("job_title", JobTitle);
        w.String("email", Email?.Value);
        w.String("phone", Phone);
        w.String("reports_to_contact_id", ReportsToContactId);
        w.String("country", Country);
        w.String("time_zone", TimeZone?.Id);
        w.String("locale", Locale?.Tag);
        w.Object("personal_data", PersonalData is { } p ? p.Write : null);
    }
}

/// <summary>
/// Personal data in transit on <c>kam.contact.upserted</c>: <c>{"birthday"?: "1975-04-12" | "--04-12",
/// "hobbies"?: [..], "family"?: [{"relation", "name"?, "birthday"?}], "values"?: [..]}</c>.
/// </summary>
public sealed record PersonalDataPayload
{
    public Birthday? Birthday { get; init; }

    public ValueList<string> Hobbies { get; init; } = ValueList.Empty<string>();

    public ValueList<FamilyMember> Family { get; init; } = ValueList.Empty<FamilyMember>();

    public ValueList<string> Values { get; init; } = ValueList.Empty<string>();

    internal static PersonalDataPayload Read(JsonFieldReader r) => new()
    {
        Birthday = ReadBirthday(r, "birthday"),
        Hobbies = r.OptionalTextList("hobbies"),
        Family = r.OptionalObjectList("family", ReadFamilyMember),
        Values = r.OptionalTextList("values"),
    };

    internal void Write(JsonDataWriter w)
    {
        w.String("birthday", Birthday?.ToString());
        w.Strings("hobbies", Hobbies);
        w.Objects("family", Family, static (fw, member) =>
        {
            fw.String("relation", member.Relation);
            fw.String("name", member.Name);
            fw.String("birthday", member.Birthday?.ToString());
        });
        w.Strings("values", Values);
    }

    private static FamilyMember ReadFamilyMember(JsonFieldReader r) =>
        new(r.RequiredName("relation") is { Length: > 0 } relation ? relation : "?", r.OptionalName("name"), ReadBirthday(r, "birthday"));

    private static Birthday? ReadBirthday(JsonFieldReader r, string field)
    {
        var text = r.OptionalName(field);
        if (text is null)
        {
            return null;
        }

        if (Birthday.TryParse(text, out var birthday))
        {
            return birthday;
        }

        r.Error(field, $"must be a date such as 1975-04-12, or --04-12 without the year (got '{text}')");
        return null;
    }
}
