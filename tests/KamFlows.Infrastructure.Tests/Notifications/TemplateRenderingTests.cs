using KamFlows.Infrastructure.Notifications.Templates;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>Every template in every language renders the catalog's sample fields, escapes what it interpolates, and formats for the reader.</summary>
public sealed class TemplateRenderingTests
{
    private static readonly Uri Unsubscribe = new("https://kamflows.supplier.example/api/unsubscribe/token");

    public static TheoryData<NotificationKind, string> EveryKindAndLanguage()
    {
        var data = new TheoryData<NotificationKind, string>();
        foreach (var kind in Enum.GetValues<NotificationKind>())
        {
            foreach (var language in LocaleFormat.Languages)
            {
                data.Add(kind, language);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryKindAndLanguage))]
    public void Template_EveryKindInEveryLanguage_RendersSampleFieldsCompletely(NotificationKind kind, string language)
    {
        var spec = NotificationCatalog.For(kind);
        var email = EmailTestKit.Templates.Render(kind, spec.SampleFields, new LocaleFormat(language, EmailTestKit.Helsinki), spec.Essential ? null : Unsubscribe);

        Assert.False(string.IsNullOrWhiteSpace(email.Subject));
        Assert.DoesNotContain('\n', email.Subject);
        foreach (var part in new[] { email.Subject, email.Html, email.Text })
        {
            Assert.DoesNotContain("{{", part);
            Assert.DoesNotContain("}}", part);
        }

        Assert.StartsWith("<!DOCTYPE html>", email.Html);
        Assert.Contains($"<html lang=\"{language}\">", email.Html);
        Assert.Contains("Anna Virtanen", email.Html);
        Assert.DoesNotContain("<p>", email.Text);
        Assert.True(email.Text.Length > 80, email.Text);
        Assert.Equal(!spec.Essential, email.Html.Contains(Unsubscribe.AbsoluteUri, StringComparison.Ordinal));
        Assert.Equal(!spec.Essential, email.Text.Contains(Unsubscribe.AbsoluteUri, StringComparison.Ordinal));
    }

    [Fact]
    public void Template_NonEnglishLanguages_AreTranslatedNotCopied()
    {
        foreach (var kind in Enum.GetValues<NotificationKind>())
        {
            var fields = NotificationCatalog.For(kind).SampleFields;
            var english = EmailTestKit.Templates.Render(kind, fields, new LocaleFormat("en", EmailTestKit.Helsinki), null);
            foreach (var language in new[] { "ru", "fi", "bg" })
            {
                var other = EmailTestKit.Templates.Render(kind, fields, new LocaleFormat(language, EmailTestKit.Helsinki), null);
                Assert.NotEqual(english.Subject, other.Subject);
                Assert.NotEqual(english.Text, other.Text);
            }
        }
    }

    [Fact]
    public void Template_ScriptInAContactName_ArrivesEscapedInHtmlAndLiteralInText()
    {
        const string evil = "<script>alert('x')</script>";
        var fields = new Dictionary<string, TemplateValue>(NotificationCatalog.For(NotificationKind.ContactBirthday).SampleFields)
        {
            ["contact_name"] = TemplateValue.OfText(evil),
        };

        var email = EmailTestKit.Templates.Render(NotificationKind.ContactBirthday, fields, new LocaleFormat("en", EmailTestKit.Helsinki), Unsubscribe);

        Assert.DoesNotContain("<script>", email.Html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", email.Html);
        Assert.Contains(evil, email.Text);
        Assert.Contains(evil, email.Subject); // The subject is a header, not HTML; providers encode it.
    }

    [Fact]
    public void Template_MarkupInListsTablesAndAttributes_IsEscapedEverywhere()
    {
        var meeting = new Dictionary<string, TemplateValue>(NotificationCatalog.For(NotificationKind.ProposalMeetingPreparation).SampleFields)
        {
            ["dmu"] = TemplateValue.OfTable([new Dictionary<string, TemplateValue>
            {
                ["name"] = TemplateValue.OfText("<img src=x onerror=alert(1)>"), ["role"] = TemplateValue.OfText("finance"), ["attitude"] = TemplateValue.OfText("neutral"),
            }]),
            ["account_name"] = TemplateValue.OfText("\"><b>Acme</b>"),
        };
        var agenda = new Dictionary<string, TemplateValue>(NotificationCatalog.For(NotificationKind.DailyAgenda).SampleFields)
        {
            ["today"] = TemplateValue.OfTable([new Dictionary<string, TemplateValue>
            {
                ["title"] = TemplateValue.OfText("<iframe src=evil>"), ["at"] = TemplateValue.OfInstant(DateTimeOffset.UnixEpoch),
                ["kind"] = TemplateValue.OfText("ContractRenewal"), ["account"] = TemplateValue.OfText("ACME"), ["subject"] = TemplateValue.OfText("<iframe src=evil>"),
            }]),
        };

        var html = EmailTestKit.Templates.Render(NotificationKind.ProposalMeetingPreparation, meeting, new LocaleFormat("en", EmailTestKit.Helsinki), Unsubscribe).Html
            + EmailTestKit.Templates.Render(NotificationKind.DailyAgenda, agenda, new LocaleFormat("ru", EmailTestKit.Helsinki), Unsubscribe).Html;

        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<iframe", html);
        Assert.DoesNotContain("<b>Acme", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html);
        Assert.Contains("&lt;iframe src=evil&gt;", html);
        Assert.Contains("&quot;&gt;&lt;b&gt;Acme&lt;/b&gt;", html);
    }

    [Theory]
    [InlineData("en", "€125,000.00", "expired on 30 April 2026.")]
    [InlineData("fi", "125 000,00 €", "päättyi 30. huhtikuuta 2026")]
    [InlineData("ru", "125 000,00 €", "истёк 30 апреля 2026.")]
    [InlineData("bg", "125 000,00 €", "изтече на 30 април 2026.")]
    public void Template_MoneyAndDates_AreWrittenTheReadersWay(string language, string money, string date)
    {
        var email = EmailTestKit.Templates.Render(NotificationKind.ProposalExpired, NotificationCatalog.For(NotificationKind.ProposalExpired).SampleFields,
            new LocaleFormat(language, EmailTestKit.Helsinki), null);

        var text = Normalize(email.Text);
        Assert.Contains(money, text);
        Assert.Contains(date, text);
    }

    [Theory]
    [InlineData(EmailTestKit.Helsinki, "27 March 2026 09:00")]
    [InlineData("America/New_York", "27 March 2026 03:00")]
    [InlineData("Asia/Tokyo", "27 March 2026 16:00")]
    public void Template_Instants_AreShownInTheRecipientsZone(string zone, string expected)
    {
        var email = EmailTestKit.Templates.Render(NotificationKind.TaskOverdueEscalation, NotificationCatalog.For(NotificationKind.TaskOverdueEscalation).SampleFields,
            new LocaleFormat("en", zone), null);

        Assert.Contains(expected, Normalize(email.Text));
    }

    [Theory]
    [InlineData("de-DE", "en", "has expired")]
    [InlineData("fi-FI", "fi", "voimassaolo on päättynyt")]
    [InlineData("ru", "ru", "истёк")]
    [InlineData("bg-BG", "bg", "изтече")]
    [InlineData("not a tag", "en", "has expired")]
    public void Template_RecipientLocale_PicksItsLanguageElseEnglish(string locale, string language, string phrase)
    {
        var format = new LocaleFormat(locale, EmailTestKit.Helsinki);
        var email = EmailTestKit.Templates.Render(NotificationKind.ProposalExpired, NotificationCatalog.For(NotificationKind.ProposalExpired).SampleFields, format, null);

        Assert.Equal(language, format.Language);
        Assert.Contains(phrase, email.Subject);
    }

    [Theory]
    [InlineData(1, "рабочий день")]
    [InlineData(2, "рабочих дня")]
    [InlineData(5, "рабочих дней")]
    [InlineData(11, "рабочих дней")]
    [InlineData(21, "рабочий день")]
    [InlineData(24, "рабочих дня")]
    public void Template_RussianCounts_TakeTheRightPluralForm(int days, string expected)
    {
        var fields = new Dictionary<string, TemplateValue>(NotificationCatalog.For(NotificationKind.ProposalExpiryReminder).SampleFields)
        {
            ["business_days_left"] = TemplateValue.OfNumber(days),
        };

        var email = EmailTestKit.Templates.Render(NotificationKind.ProposalExpiryReminder, fields, new LocaleFormat("ru", EmailTestKit.Helsinki), null);

        Assert.EndsWith($"через {days} {expected}", email.Subject);
    }

    [Fact]
    public void Template_CodesInFields_AreTranslatedWithFallbackForUnknownCodes()
    {
        var fields = new Dictionary<string, TemplateValue>(NotificationCatalog.For(NotificationKind.DealStalled).SampleFields);
        var fi = EmailTestKit.Templates.Render(NotificationKind.DealStalled, fields, new LocaleFormat("fi", EmailTestKit.Helsinki), null);
        fields["stage"] = TemplateValue.OfText("pilot_running");
        var unknown = EmailTestKit.Templates.Render(NotificationKind.DealStalled, fields, new LocaleFormat("fi", EmailTestKit.Helsinki), null);

        Assert.Contains("vaihe ”vaihtoehtojen arviointi”", fi.Text);
        Assert.Contains("vaihe ”pilot running”", unknown.Text);
    }

    [Fact]
    public void Template_MissingField_FailsNamingTheVariableAndFile()
    {
        var fields = new Dictionary<string, TemplateValue>(NotificationCatalog.For(NotificationKind.ProposalExpired).SampleFields);
        fields.Remove("proposal_id");

        var e = Assert.Throws<Scriban.Syntax.ScriptRuntimeException>(() =>
            EmailTestKit.Templates.Render(NotificationKind.ProposalExpired, fields, new LocaleFormat("en", EmailTestKit.Helsinki), null));

        Assert.Contains("proposal_id", e.Message);
        Assert.Contains("ProposalExpired.en.sbn", e.Message);
    }

    private static string Normalize(string s) => s.Replace('\u00A0', ' ').Replace('\u202F', ' ');
}
