using KamFlows.Domain.Accounts;
using KamFlows.Domain.Contacts;
using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;

namespace KamFlows.Workflows.Ports;

/// <summary>Turns domain objects into the profiles workflows read: one mapping for every store (Tables, simulation).</summary>
public static class ProfileMapping
{
    public static AccountProfile ToProfile(Account account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new AccountProfile(
            account.Id, account.Name, account.Currency.Code, ToProfile(account.Kam), ToProfile(account.Head), account.PriceFloor?.Amount,
            account.AllowsDirectReferenceRequests, account.IsKeyAccount,
            account.AssignedGroups.Select(g => WireName.Of(g)).ToList(), account.Bonds.Select(b => WireName.Of(b)).ToList(), account.Country);
    }

    public static TeamMemberProfile ToProfile(TeamMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return new TeamMemberProfile(
            member.Email.Value,
            member.Name,
            member.Locale.Tag,
            member.TimeZone.Id,
            member.Calendar.WorkingDays.Order().Select(WireName.OfDay).ToList(),
            JsonText.Format(member.Calendar.Hours.Opens),
            JsonText.Format(member.Calendar.Hours.Closes),
            member.Calendar.Holidays.Order().Select(h => new DateOnly(h.Year, h.Month, h.Day)).ToList(),
            member.Country,
            member.Title);
    }

    public static ContactProfile ToProfile(ContactUpserted contact, bool erased)
    {
        ArgumentNullException.ThrowIfNull(contact);
        return new ContactProfile(contact.ContactId, contact.AccountId, contact.Name, contact.Email?.Value, WireName.Of(contact.Role),
            WireName.Of(contact.Influence), WireName.Of(contact.Attitude), erased,
            erased ? null : contact.Country, erased ? null : contact.TimeZone?.Id, erased ? null : contact.Locale?.Tag);
    }

    /// <summary>A birthday as a date; without a year, 2000 (a leap year) keeps 29 February representable.</summary>
    public static ContactPersonalFacts ToFacts(string contactId, Birthday? birthday, IReadOnlyList<string> hobbies) =>
        new(contactId, birthday is null ? null : new DateOnly(birthday.Year ?? 2000, birthday.Day.Month, birthday.Day.Day), birthday?.Year is not null, hobbies);
}
