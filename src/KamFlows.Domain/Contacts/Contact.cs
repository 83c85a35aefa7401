using KamFlows.Domain.Calendar;

namespace KamFlows.Domain.Contacts;

/// <summary>
/// A person at the client and their place in the decision-making unit.
/// <para>Invariants: valid ids; a contact never holds personal data (birthday, hobbies, family, values)
/// itself, only <see cref="PersonalDataId"/>; after <see cref="Erase"/> nothing identifying remains and
/// the contact counts in the DMU only by role, influence and attitude. <see cref="Country"/>, <see cref="TimeZone"/> and
/// <see cref="Locale"/> say which calendar deadlines concerning this person count and which language mail to them is in.</para>
/// </summary>
public sealed record Contact
{
    public const string ErasedName = "(erased)";

    public Contact(
        string id,
        string accountId,
        string name,
        DmuRole role,
        Influence influence,
        Attitude attitude,
        string? jobTitle = null,
        EmailAddress? email = null,
        string? phone = null,
        string? reportsToContactId = null,
        string? personalDataId = null,
        string? country = null,
        DateTimeZone? timeZone = null,
        Locale? locale = null)
        : this(id, accountId, name, role, influence, attitude, jobTitle, email, phone, reportsToContactId, personalDataId, isErased: false)
    {
        Country = NationalHolidays.RequireOptionalCountry(country);
        TimeZone = timeZone;
        Locale = locale;
    }

    private Contact(
        string id,
        string accountId,
        string name,
        DmuRole role,
        Influence influence,
        Attitude attitude,
        string? jobTitle,
        EmailAddress? email,
        string? phone,
        string? reportsToContactId,
        string? personalDataId,
        bool isErased)
    {
        Id = EntityId.Require(id);
        AccountId = EntityId.Require(accountId);
        Name = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("A contact needs a name.", nameof(name)) : name;
        Role = Enum.IsDefined(role) ? role : throw new ArgumentOutOfRangeException(nameof(role));
        Influence = Enum.IsDefined(influence) ? influence : throw new ArgumentOutOfRangeException(nameof(influence));
        Attitude = Enum.IsDefined(attitude) ? attitude : throw new ArgumentOutOfRangeException(nameof(attitude));
        JobTitle = jobTitle;
        Email = email;
        Phone = phone;
        ReportsToContactId = EntityId.RequireOptional(reportsToContactId);
        PersonalDataId = EntityId.RequireOptional(personalDataId);
        IsErased = isErased;
    }

    public string Id { get; }

    public string AccountId { get; }

    public string Name { get; }

    public DmuRole Role { get; }

    public Influence Influence { get; }

    public Attitude Attitude { get; }

    public string? JobTitle { get; }

    public EmailAddress? Email { get; }

    public string? Phone { get; }

    /// <summary>The contact this person reports to, to map the formal decision scheme.</summary>
    public string? ReportsToContactId { get; }

    /// <summary>The id of this person's <see cref="ContactPersonalData"/>, if any is held.</summary>
    public string? PersonalDataId { get; }

    public bool IsErased { get; }

    /// <summary>The contact's country (ISO 3166-1 alpha-2), whose national holidays their calendar counts; null when unknown.</summary>
    public string? Country { get; }

    /// <summary>The IANA zone the contact works in; null when unknown (the account's country or the KAM's zone stands in).</summary>
    public DateTimeZone? TimeZone { get; }

    /// <summary>The language mail to this contact is written in; null when unknown.</summary>
    public Locale? Locale { get; }

    /// <summary>
    /// Erasure on request: removes name, job title, email, phone, country, zone, language and the personal-data reference; the
    /// personal-data record itself is erased with <see cref="ContactPersonalData.Erase"/>.
    /// </summary>
    public Contact Erase() =>
        new(Id, AccountId, ErasedName, Role, Influence, Attitude, jobTitle: null, email: null, phone: null, ReportsToContactId, personalDataId: null, isErased: true);
}
