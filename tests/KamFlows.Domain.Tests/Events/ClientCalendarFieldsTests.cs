using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
using static KamFlows.Domain.Tests.Events.CanonicalEventSamples;

namespace KamFlows.Domain.Tests.Events;

/// <summary>Contacts carry country, time_zone and locale; accounts a country; a KAM a country and title (the same member names).</summary>
public sealed class ClientCalendarFieldsTests
{
    [Fact]
    public void ContactUpserted_CountryZoneAndLanguage_ReachTheContact_AndRoundTrip()
    {
        var json = Change(Change(Change(ByType[CanonicalEventTypes.ContactUpserted], "data.country", "\"bg\""), "data.time_zone", "\"Europe/Sofia\""), "data.locale", "\"bg\"");

        var parsed = CanonicalEventParser.Parse(json);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        var data = (ContactUpserted)parsed.Event!.Data;
        var contact = data.ToContact(null);
        Assert.Equal("BG", contact.Country);
        Assert.Equal("Europe/Sofia", contact.TimeZone!.Id);
        Assert.Equal("bg", contact.Locale!.Tag);
        Assert.Null(contact.Erase().Country); // Erasure leaves nothing about the person.

        var again = (ContactUpserted)CanonicalEventParser.Parse(CanonicalEventJson.Serialize(parsed.Event)).Event!.Data;
        Assert.Equal(("BG", "Europe/Sofia", "bg"), (again.Country, again.TimeZone!.Id, again.Locale!.Tag));
    }

    [Fact]
    public void AccountUpserted_CountryAndKamTitle_ReachTheAccount_AndTheKamsCalendarCountsItsHolidays()
    {
        var json = Change(Change(ByType[CanonicalEventTypes.AccountUpserted], "data.country", "\"RU\""), "data.kam.title", "\"Key Account Manager\"");

        var parsed = CanonicalEventParser.Parse(json);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        var account = ((AccountUpserted)parsed.Event!.Data).ToAccount();
        Assert.Equal("RU", account.Country);
        Assert.Equal("Key Account Manager", account.Kam.Title);
        Assert.Equal("FI", account.Kam.Country); // From Europe/Helsinki.
        Assert.False(account.Kam.Calendar.IsBusinessDay(new LocalDate(2026, 1, 6))); // Epiphany, with no CRM list of it.

        var again = ((AccountUpserted)CanonicalEventParser.Parse(CanonicalEventJson.Serialize(parsed.Event)).Event!.Data).ToAccount();
        Assert.Equal(account, again with { }, AccountComparer.Instance);
    }

    private sealed class AccountComparer : IEqualityComparer<KamFlows.Domain.Accounts.Account>
    {
        public static readonly AccountComparer Instance = new();

        public bool Equals(KamFlows.Domain.Accounts.Account? x, KamFlows.Domain.Accounts.Account? y) =>
            x!.Country == y!.Country && x.Kam.Title == y.Kam.Title && x.Kam.Calendar.Equals(y.Kam.Calendar) && x.Head.Calendar.Equals(y.Head.Calendar);

        public int GetHashCode(KamFlows.Domain.Accounts.Account obj) => 0;
    }
}
