namespace KamFlows.Workflows.Ports;

/// <summary>A KAM or head as workflows need them: where to write and which business calendar to plan in.</summary>
public sealed record TeamMemberProfile(
    string Email,
    string? Name,
    string Locale,
    string TimeZone,
    IReadOnlyList<string> WorkingDays,
    string Opens,
    string Closes,
    IReadOnlyList<DateOnly> Holidays);

/// <summary>The account facts workflows plan with (from the latest kam.account.upserted). No personal data.</summary>
public sealed record AccountProfile(
    string AccountId,
    string Name,
    string Currency,
    TeamMemberProfile Kam,
    TeamMemberProfile Head,
    decimal? PriceFloor,
    bool AllowsDirectReferenceRequests,
    bool IsKeyAccount,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> Bonds);

/// <summary>A DMU member without personal data (that stays in its own erasable record).</summary>
public sealed record ContactProfile(
    string ContactId,
    string AccountId,
    string Name,
    string? Email,
    string Role,
    string Influence,
    string Attitude,
    bool Erased);

/// <summary>Personal data of one contact, read only by activities that need it right before sending; never returned to orchestrators.</summary>
public sealed record ContactPersonalFacts(string ContactId, DateOnly? Birthday, bool BirthdayHasYear, IReadOnlyList<string> Hobbies);

/// <summary>Reads the account state that intake keeps (implemented on Azure Tables in Infrastructure).</summary>
public interface IAccountReader
{
    Task<AccountProfile?> GetProfileAsync(string accountId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ContactProfile>> GetContactsAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>Null when the contact is unknown or erased.</summary>
    Task<ContactPersonalFacts?> GetPersonalFactsAsync(string accountId, string contactId, CancellationToken cancellationToken);
}
