using KamFlows.Infrastructure.Notifications.Templates;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>The weekly report's dormant key accounts in the head's language: CLDR plurals, "none" said plainly, no date claimed without a contact.</summary>
public sealed class DormantAccountsTemplateTests
{
    private static string Render(string language, decimal afterDays, params (string LastContact, decimal Days)[] accounts)
    {
        var fields = new Dictionary<string, TemplateValue>(NotificationCatalog.For(NotificationKind.WeeklyReport).SampleFields)
        {
            ["dormant_after_days"] = TemplateValue.OfNumber(afterDays),
            ["dormant_accounts"] = TemplateValue.OfTable(accounts.Select(a => (IReadOnlyDictionary<string, TemplateValue>)new Dictionary<string, TemplateValue>(StringComparer.Ordinal)
            {
                ["account_name"] = TemplateValue.OfText("Globex Oy"),
                ["kam_name"] = TemplateValue.OfText("Anna Virtanen"),
                ["last_contact_on"] = a.LastContact.Length == 0 ? TemplateValue.OfUnknown(TemplateValueKind.Date) : TemplateValue.OfDate(DateOnly.Parse(a.LastContact, System.Globalization.CultureInfo.InvariantCulture)),
                ["since_on"] = TemplateValue.OfDate(new DateOnly(2026, 1, 5)),
                ["days_since"] = TemplateValue.OfNumber(a.Days),
                ["link"] = TemplateValue.OfText("https://kamflows.example/api/accounts/GLOBEX/timeline"),
            })),
        };
        return EmailTestKit.Templates.Render(NotificationKind.WeeklyReport, fields, new LocaleFormat(language, EmailTestKit.Helsinki), null).Text;
    }

    [Theory]
    [InlineData("en", 1, "no meeting or other client event for 1 day or more", "1 day ago")]
    [InlineData("en", 21, "no meeting or other client event for 21 days or more", "21 days ago")]
    [InlineData("ru", 1, "ни встреч, ни других событий с клиентом 1 день и более", "1 день назад")]
    [InlineData("ru", 2, "с клиентом 2 дня и более", "2 дня назад")]
    [InlineData("ru", 5, "с клиентом 5 дней и более", "5 дней назад")]
    [InlineData("ru", 21, "с клиентом 21 день и более", "21 день назад")]
    [InlineData("fi", 1, "ei tapaamisia eikä muita asiakastapahtumia vähintään 1 päivään", "1 päivä sitten")]
    [InlineData("fi", 5, "vähintään 5 päivään", "5 päivää sitten")]
    [InlineData("bg", 1, "без срещи и други събития с клиента от 1 ден или повече", "преди 1 ден")]
    [InlineData("bg", 21, "от 21 дни или повече", "преди 21 дни")]
    public void DormantAccounts_CountDaysInTheLanguagesGrammar(string language, int days, string heading, string ago)
    {
        var text = Render(language, days, ("2026-01-20", days));
        Assert.Contains(heading, text, StringComparison.Ordinal);
        Assert.Contains(ago, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "or more): none.", "last contact", "no contact recorded since")]
    [InlineData("ru", "и более): таких нет.", "последний контакт", "контактов не зафиксировано с")]
    [InlineData("fi", "päivään): ei yhtään.", "viimeisin yhteys", "ei kirjattua yhteyttä")]
    [InlineData("bg", "или повече): няма.", "последен контакт на", "няма отбелязан контакт от")]
    public void DormantAccounts_NoneSaidPlainly_AndNoLastContactClaimedWhenNoneWasRecorded(string language, string none, string lastContact, string noContact)
    {
        Assert.Contains(none, Render(language, 60), StringComparison.Ordinal);

        var neverInContact = Render(language, 60, ("", 84));
        Assert.Contains(noContact, neverInContact, StringComparison.Ordinal);
        Assert.DoesNotContain(lastContact, neverInContact, StringComparison.Ordinal);
        Assert.DoesNotContain(none, neverInContact, StringComparison.Ordinal);
        Assert.Contains(lastContact, Render(language, 60, ("2026-01-20", 69)), StringComparison.Ordinal);
    }
}
