using System.Text.RegularExpressions;
using KamFlows.Domain.Contacts;
using KamFlows.Domain.Events;
using KamFlows.Domain.Portfolio;
using KamFlows.Domain.Sales;
using KamFlows.Infrastructure.Notifications.Templates;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>
/// Texts a native speaker would send: every kind in every language with edge numbers (1, 2, 5, 21) and missing data
/// renders without an untranslated term, without English words outside en (only the data's own words pass), with
/// CLDR plurals, without claims the data does not support, and client mail is signed by the KAM.
/// </summary>
public sealed partial class TemplateTranslationTests
{
    /// <summary>Fields whose text is the CRM's own data (names, ids, descriptions): their words may appear in any language.</summary>
    private static readonly HashSet<string> DataFields = new(StringComparer.Ordinal)
    {
        "account_name", "recipient_name", "kam_name", "kam_email", "kam_title", "proposal_id", "tender_title", "tender_id", "opportunity_name",
        "opportunity_id", "delivery_description", "delivery_id", "contact_name", "contract_id", "next_step", "quarter", "week", "not_reported",
        "warnings", "name", "account", "subject", "complaint_summary", "resolution", "link", "previous_kam_name",
        "team_lead_name", "team_lead_email",
        "meeting_id", "meeting_subject", "meeting_location", "summary", "complaint_id",
        "cancellation_reason",
    };

    // Product and setting names, not English prose.
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal) { "KamFlows", "CRM", "Portfolio", "Rates", "KAM" };

    private static readonly string[] UnknownCapable = ["revenue", "revenue_share_percent", "last_meeting_on", "last_analysis_on", "share_percent"];

    public static TheoryData<NotificationKind, string, int> EveryKindLanguageAndNumber()
    {
        var data = new TheoryData<NotificationKind, string, int>();
        foreach (var kind in Enum.GetValues<NotificationKind>())
        {
            foreach (var language in LocaleFormat.Languages)
            {
                foreach (var n in new[] { 1, 2, 5, 21 })
                {
                    data.Add(kind, language, n);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryKindLanguageAndNumber))]
    public void Template_EveryKindLanguageAndEdgeNumber_NoUntranslatedWordsOrPlaceholders(NotificationKind kind, string language, int n)
    {
        var spec = NotificationCatalog.For(kind);
        foreach (var missing in new[] { false, true })
        {
            var fields = spec.SampleFields.ToDictionary(f => f.Key, f => Edge(f.Key, f.Value, n, missing), StringComparer.Ordinal);
            var email = EmailTestKit.Templates.Render(kind, fields, new LocaleFormat(language, EmailTestKit.Helsinki), null);
            var words = email.Subject + "\n" + email.Text;

            Assert.DoesNotContain("{{", words);
            Assert.DoesNotContain("0,00", missing && fields.ContainsKey("revenue") ? words : string.Empty); // Unknown is not zero.
            if (language == "en")
            {
                continue;
            }

            var allowed = new HashSet<string>(Allowed, StringComparer.Ordinal);
            foreach (var word in fields.SelectMany(f => DataWords(f.Key, f.Value)).SelectMany(Words))
            {
                allowed.Add(word);
            }

            // In ru and bg every Latin word is suspect; Finnish is written in Latin letters, so there the suspects are the words of the same
            // message rendered in English.
            var en = EmailTestKit.Templates.Render(kind, fields, new LocaleFormat("en", EmailTestKit.Helsinki), null);
            var englishWords = Words(en.Subject + "\n" + en.Text).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var english = Words(words).Where(w => !allowed.Contains(w) && (language != "fi" || englishWords.Contains(w))).Distinct(StringComparer.Ordinal).ToList();
            Assert.True(english.Count == 0, $"{kind}.{language} (n={n}, missing data: {missing}) has words outside the language: {string.Join(", ", english)}\n{words}");
            if (language == "ru")
            {
                Assert.DoesNotContain("(а)", words, StringComparison.Ordinal); // Gender guessed from a name is no Russian.
                Assert.DoesNotContain("(ая)", words, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void TermBook_EveryCodeTheWorkflowsUse_HasAWordInEveryLanguage()
    {
        var codes = new List<(string Group, string Code)>();
        codes.AddRange(Enum.GetValues<OpportunityStage>().Select(s => ("stage", WireName.Of(s))));
        codes.AddRange(Enum.GetValues<DmuRole>().Select(r => ("dmu_role", WireName.Of(r))));
        codes.AddRange(Enum.GetValues<Attitude>().Select(a => ("attitude", WireName.Of(a))));
        codes.AddRange(Enum.GetValues<KamFlows.Domain.Accounts.BondKind>().Select(b => ("bond", WireName.Of(b))));
        codes.AddRange(Enum.GetValues<NotificationKind>().Where(k => k is not (NotificationKind.DailyAgenda or NotificationKind.WeeklyReport)).Select(k => ("task_kind", k.ToString())));
        codes.AddRange(new[] { "single_account", "top_two", "key_accounts", "incomplete" }.Select(c => ("warning", c)));
        codes.AddRange(new[] { "won", "lost", "cancelled" }.Select(c => ("tender_outcome", c)));
        codes.AddRange(new[] { "map_dmu", "key_success_factors", "shape_requirements", "references_ready", "bid_no_bid", "proposal_team", "draft_review", "final_approval", "submission" }.Select(c => ("milestone", c)));
        codes.AddRange(new[] { "proposal_sent", "receipt_confirmed", "meeting_agreed", "meeting_held", "accepted", "rejected", "expired" }.Select(c => ("interaction", c)));
        codes.AddRange(KamFlows.Workflows.SaleCycles.SaleCycleOptions.DefaultStageNextSteps.Keys.Append(KamFlows.Workflows.SaleCycles.SaleCycleOptions.GenericNextStepCode).Select(c => ("next_step", c)));

        var missing = LocaleFormat.Languages
            .SelectMany(l => codes.Where(c => EmailTestKit.Templates.Terms.TermOr(l, c.Group, c.Code, "\0") == "\0" || (l != "en" && EmailTestKit.Templates.Terms.TermOr(l, c.Group, c.Code, "\0") == EmailTestKit.Templates.Terms.TermOr("en", c.Group, c.Code, "\0") && c.Group != "tender_outcome" && !Allowed.Contains(c.Code)))
                .Select(c => $"{l}:{c.Group}.{c.Code}"))
            .ToList();
        Assert.True(missing.Count == 0, "Untranslated terms: " + string.Join(", ", missing));
    }

    [Theory]
    [InlineData("ru", 1, "остался 1 рабочий день")]
    [InlineData("ru", 2, "осталось 2 рабочих дня")]
    [InlineData("ru", 5, "осталось 5 рабочих дней")]
    [InlineData("ru", 21, "остался 21 рабочий день")]
    [InlineData("bg", 1, "остава 1 работен ден")]
    [InlineData("bg", 2, "остават 2 работни дни")]
    [InlineData("fi", 1, "jäljellä 1 arkipäivä.")]
    [InlineData("fi", 2, "jäljellä 2 arkipäivää.")]
    [InlineData("en", 1, "1 business day left")]
    [InlineData("en", 21, "21 business days left")]
    public void ProposalExpiryReminder_BusinessDaysLeft_CldrPluralAndAgreeingVerb(string language, int days, string expected)
    {
        var text = Render(NotificationKind.ProposalExpiryReminder, language, ("business_days_left", TemplateValue.OfNumber(days))).Text;

        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    // CLDR cardinal categories beyond the 1/2/5/21 of the rendering test: Russian 11-14 take many, 101 one, 22 few, fractions few; others one or many.
    [Theory]
    [InlineData("ru", "0", "many")]
    [InlineData("ru", "11", "many")]
    [InlineData("ru", "12", "many")]
    [InlineData("ru", "14", "many")]
    [InlineData("ru", "22", "few")]
    [InlineData("ru", "101", "one")]
    [InlineData("ru", "111", "many")]
    [InlineData("ru", "1.5", "few")]
    [InlineData("bg", "1", "one")]
    [InlineData("bg", "11", "many")]
    [InlineData("fi", "21", "many")]
    [InlineData("en", "0", "many")]
    public void Plural_CldrCategories(string language, string n, string expected) =>
        Assert.Equal(expected, TemplateModel.Plural(language, decimal.Parse(n, System.Globalization.CultureInfo.InvariantCulture), "one", "few", "many"));

    [Theory]
    [InlineData("en", "no meeting held yet", "last meeting")]
    [InlineData("ru", "встреч ещё не было", "последняя встреча")]
    [InlineData("fi", "tapaamisia ei ole vielä pidetty", "viimeisin tapaaminen")]
    [InlineData("bg", "все още няма проведена среща", "последна среща")]
    public void DealStalled_NoMeetingHeld_ClaimsNoLastMeeting(string language, string says, string never)
    {
        var text = Render(NotificationKind.DealStalled, language, ("last_meeting_on", TemplateValue.OfUnknown(TemplateValueKind.Date))).Text;

        Assert.Contains(says, text, StringComparison.Ordinal);
        Assert.DoesNotContain(never, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "unknown (not reported yet)")]
    [InlineData("ru", "неизвестна")]
    [InlineData("fi", "ei tiedossa")]
    [InlineData("bg", "неизвестни")]
    public void QuarterlyBusinessReview_RevenueNotReported_SaysUnknown_NotZero(string language, string unknown)
    {
        var text = Render(NotificationKind.QuarterlyBusinessReview, language,
            ("revenue", TemplateValue.OfUnknown(TemplateValueKind.Money)), ("revenue_share_percent", TemplateValue.OfUnknown(TemplateValueKind.Number))).Text;

        Assert.Contains(unknown, text, StringComparison.Ordinal);
        Assert.DoesNotContain("0,00", text, StringComparison.Ordinal);
        Assert.DoesNotContain("0.00", text, StringComparison.Ordinal);
        Assert.DoesNotContain("%", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    [InlineData("fi")]
    [InlineData("bg")]
    public void ConcentrationWarning_MissingRate_NamesItAndTheAccountsNotReported(string language)
    {
        var text = Render(NotificationKind.ConcentrationWarning, language,
            ("warning", TemplateValue.OfText("incomplete")), ("share_percent", TemplateValue.OfUnknown(TemplateValueKind.Number)),
            ("missing_rates", TemplateValue.OfList(["SEK→EUR"])), ("not_reported", TemplateValue.OfList(["Beta Oy"]))).Text;

        Assert.Contains("SEK→EUR", text, StringComparison.Ordinal);
        Assert.Contains("Beta Oy", text, StringComparison.Ordinal);
        Assert.DoesNotContain("%", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "Kind regards,")]
    [InlineData("ru", "С уважением,")]
    [InlineData("fi", "Ystävällisin terveisin")]
    [InlineData("bg", "С уважение,")]
    public void ReferenceLetterRequestToClient_SignedByTheKam_WithoutAKamFlowsAdvert(string language, string regards)
    {
        var email = Render(NotificationKind.ReferenceLetterRequestToClient, language);

        Assert.Contains($"{regards}\r\nAnna Virtanen\r\nKey Account Manager\r\nanna.virtanen@supplier.example", email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("KamFlows", email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("KamFlows", email.Html, StringComparison.Ordinal);
        var untitled = Render(NotificationKind.ReferenceLetterRequestToClient, language, ("kam_title", TemplateValue.OfText(string.Empty)));
        Assert.Contains($"{regards}\r\nAnna Virtanen\r\nanna.virtanen@supplier.example", untitled.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ContactBirthday_Russian_NeverDeclinesTheName()
    {
        var text = Render(NotificationKind.ContactBirthday, "ru", ("contact_name", TemplateValue.OfText("Дмитрий Орлов"))).Text;

        Assert.DoesNotContain("У Дмитрий", text, StringComparison.Ordinal);
        Assert.Contains("день рождения: Дмитрий Орлов", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ProposalMeetingPreparation_Finnish_DmuAndHistoryInFinnish()
    {
        var text = Render(NotificationKind.ProposalMeetingPreparation, "fi",
            ("recent_interactions", TemplateValue.OfList(["2026-03-20 proposal sent (v1)", "2026-03-23 receipt confirmed", "2026-03-25 meeting agreed for 2026-04-02"]))).Text;

        Assert.Contains("Mikko Laine: johto, tukija", text, StringComparison.Ordinal);
        Assert.Contains("20. maaliskuuta 2026: tarjous lähetetty (versio 1)", text, StringComparison.Ordinal);
        Assert.Contains("25. maaliskuuta 2026: palaveri sovittu 2. huhtikuuta 2026", text, StringComparison.Ordinal);
        Assert.DoesNotContain("champion", text, StringComparison.Ordinal);
    }

    private static RenderedEmail Render(NotificationKind kind, string language, params (string Key, TemplateValue Value)[] overrides)
    {
        var fields = NotificationCatalog.For(kind).SampleFields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        foreach (var (k, v) in overrides)
        {
            fields[k] = v;
        }

        return EmailTestKit.Templates.Render(kind, fields, new LocaleFormat(language, EmailTestKit.Helsinki), null);
    }

    /// <summary>The sample value with every number set to <paramref name="n"/>, and the fields that may be unknown made unknown when <paramref name="missing"/>.</summary>
    private static TemplateValue Edge(string key, TemplateValue value, int n, bool missing) =>
        missing && UnknownCapable.Contains(key) ? TemplateValue.OfUnknown(value.Kind)
        : value.Kind == TemplateValueKind.Number ? TemplateValue.OfNumber(n)
        : value.Kind == TemplateValueKind.Table ? TemplateValue.OfTable(value.Rows!.Select(r => (IReadOnlyDictionary<string, TemplateValue>)r.ToDictionary(c => c.Key, c => Edge(c.Key, c.Value, n, missing), StringComparer.Ordinal)))
        : value;

    /// <summary>The CRM's own words in a field: data fields, and in tables their data columns (a birthday row's title is the person's name).</summary>
    private static IEnumerable<string> DataWords(string key, TemplateValue value) => value.Kind switch
    {
        TemplateValueKind.Text or TemplateValueKind.List when DataFields.Contains(key) => value.Items ?? [value.Text ?? string.Empty],
        TemplateValueKind.Table => (value.Rows ?? []).SelectMany(r => r.Where(c => DataFields.Contains(c.Key) || (key == "birthdays" && c.Key == "title"))
            .SelectMany(c => DataWords(key == "birthdays" && c.Key == "title" ? "name" : c.Key, c.Value))),
        _ => [],
    };

    private static IEnumerable<string> Words(string text) => LatinWord().Matches(text).Select(m => m.Value);

    // Latin-script words of three letters or more.
    [GeneratedRegex(@"\b[A-Za-z]{3,}\b")]
    private static partial Regex LatinWord();
}
