using System.Text.RegularExpressions;
using KamFlows.Infrastructure.Notifications.Templates;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.SaleCycles;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>
/// The sale cycle's mail says only what is true, in the reader's language: a stalled deal names its last meeting only
/// when one was logged, else its last stage change, else when it was registered; the built-in next steps of each stage
/// are translated, configured ones sent as written.
/// </summary>
public sealed partial class SaleCycleTextTests
{
    private static readonly TemplateValue Unknown = TemplateValue.OfUnknown(TemplateValueKind.Date);

    private static readonly TemplateValue Registered = TemplateValue.OfDate(new DateOnly(2026, 1, 12));

    public enum Facts
    {
        /// <summary>A meeting was logged on 20 February; the stage is the one the deal was registered with on 12 January.</summary>
        Meeting,

        /// <summary>No meeting; the stage changed on 2 February.</summary>
        StageChange,

        /// <summary>No meeting, no stage change since the deal was registered on 12 January.</summary>
        RegisteredOnly,
    }

    // What each language must say for each case, and what it must never claim then.
    [Theory]
    [InlineData("en", Facts.Meeting, "stage \"evaluation of options\" since the deal was registered on 12 January 2026, last meeting on 20 February 2026", "no meeting")]
    [InlineData("en", Facts.StageChange, "stage \"evaluation of options\" since 2 February 2026, no meeting held yet", "last meeting", "registered")]
    [InlineData("en", Facts.RegisteredOnly, "stage \"evaluation of options\" since the deal was registered on 12 January 2026, no meeting held yet", "last meeting")]
    [InlineData("ru", Facts.Meeting, "стадия «оценка вариантов» с момента регистрации сделки 12 января 2026, последняя встреча — 20 февраля 2026", "встреч ещё не было")]
    [InlineData("ru", Facts.StageChange, "стадия «оценка вариантов» с 2 февраля 2026, встреч ещё не было", "последняя встреча", "регистрации")]
    [InlineData("ru", Facts.RegisteredOnly, "стадия «оценка вариантов» с момента регистрации сделки 12 января 2026, встреч ещё не было", "последняя встреча")]
    [InlineData("fi", Facts.Meeting, "vaihe ”vaihtoehtojen arviointi” siitä asti, kun kauppa kirjattiin 12. tammikuuta 2026, viimeisin tapaaminen 20. helmikuuta 2026", "ei ole vielä pidetty")]
    [InlineData("fi", Facts.StageChange, "vaihe ”vaihtoehtojen arviointi” 2. helmikuuta 2026 alkaen, tapaamisia ei ole vielä pidetty", "viimeisin tapaaminen", "kirjattiin")]
    [InlineData("fi", Facts.RegisteredOnly, "vaihe ”vaihtoehtojen arviointi” siitä asti, kun kauppa kirjattiin 12. tammikuuta 2026, tapaamisia ei ole vielä pidetty", "viimeisin tapaaminen")]
    [InlineData("bg", Facts.Meeting, "етап „оценка на вариантите“ откакто сделката е регистрирана на 12 януари 2026, последна среща на 20 февруари 2026", "няма проведена среща")]
    [InlineData("bg", Facts.StageChange, "етап „оценка на вариантите“ от 2 февруари 2026, все още няма проведена среща", "последна среща", "регистрирана")]
    [InlineData("bg", Facts.RegisteredOnly, "етап „оценка на вариантите“ откакто сделката е регистрирана на 12 януари 2026, все още няма проведена среща", "последна среща")]
    public void DealStalledAndEscalation_StateOnlyTheFactsTheDealHas(string language, Facts facts, string says, params string[] never)
    {
        var fields = facts switch
        {
            Facts.Meeting => (Meeting: TemplateValue.OfDate(new DateOnly(2026, 2, 20)), StageSince: Unknown),
            Facts.StageChange => (Meeting: Unknown, StageSince: TemplateValue.OfDate(new DateOnly(2026, 2, 2))),
            _ => (Meeting: Unknown, StageSince: Unknown),
        };
        foreach (var kind in new[] { NotificationKind.DealStalled, NotificationKind.DealStalledEscalation })
        {
            var email = Render(kind, language, ("last_meeting_on", fields.Meeting), ("stage_since", fields.StageSince), ("registered_on", Registered));

            Assert.Contains(says, Normalize(email.Text), StringComparison.Ordinal);
            Assert.Contains(says, Normalize(email.Html), StringComparison.Ordinal);
            foreach (var claim in never)
            {
                Assert.DoesNotContain(claim, email.Text, StringComparison.Ordinal);
            }
        }
    }

    public static TheoryData<string, string> EveryBuiltInStepAndLanguage()
    {
        var data = new TheoryData<string, string>();
        foreach (var step in SaleCycleOptions.DefaultStageNextSteps.Values.Append(SaleCycleOptions.GenericNextStep))
        {
            foreach (var language in LocaleFormat.Languages.Where(l => l != "en"))
            {
                data.Add(step, language);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryBuiltInStepAndLanguage))]
    public void SaleCycleNextStep_BuiltInStep_IsTranslated_NoEnglishLeft(string step, string language)
    {
        var code = SaleCycleOptions.BuiltInNextStepCode(step);
        Assert.NotNull(code);

        var email = Render(NotificationKind.SaleCycleNextStep, language, ("next_step", TemplateValue.OfText(step)), ("next_step_code", TemplateValue.OfText(code)));
        var english = Render(NotificationKind.SaleCycleNextStep, "en", ("next_step", TemplateValue.OfText(step)), ("next_step_code", TemplateValue.OfText(code)));

        Assert.Contains(step, english.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(step, email.Text, StringComparison.Ordinal);
        var dataWords = Words("Boeing fleet deal O-9 Acme Oy Anna Virtanen KamFlows").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var left = Words(email.Subject + "\n" + email.Text)
            .Where(w => !dataWords.Contains(w) && (language != "fi" || Words(step).Contains(w, StringComparer.OrdinalIgnoreCase)))
            .ToList();
        Assert.True(left.Count == 0, $"{language}: English left in the next step ({string.Join(", ", left)}):\n{email.Text}");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    [InlineData("fi")]
    [InlineData("bg")]
    public void SaleCycleNextStep_ConfiguredOrAgreedText_IsSentAsWritten(string language)
    {
        var email = Render(NotificationKind.SaleCycleNextStep, language,
            ("next_step", TemplateValue.OfText("Pilottikatselmointi IT:n kanssa")), ("next_step_code", TemplateValue.OfText(string.Empty)));

        Assert.Contains("Pilottikatselmointi IT:n kanssa", email.Text, StringComparison.Ordinal);
    }

    private static RenderedEmail Render(NotificationKind kind, string language, params (string Key, TemplateValue Value)[] overrides) =>
        EmailTestKit.RenderSample(kind, language, [("opportunity_name", TemplateValue.OfText("Boeing fleet deal")), .. overrides]);

    private static string Normalize(string s) => s.Replace('\u00A0', ' ').Replace('\u202F', ' ');

    private static IEnumerable<string> Words(string text) => LatinWord().Matches(text).Select(m => m.Value);

    // Latin-script words of three letters or more.
    [GeneratedRegex(@"\b[A-Za-z]{3,}\b")]
    private static partial Regex LatinWord();
}

/// <summary>Rows stored before the sale cycle's texts gained their facts still send, claiming nothing they did not carry.</summary>
public sealed class StoredBeforeUpgradeTests
{
    [Fact]
    public async Task DealStalledAndNextStep_StoredWithoutTheNewFields_RenderWithoutClaimingThem()
    {
        var kit = await EmailTestKit.CreateAsync(EmailTestKit.InHelsinki(2026, 3, 24, 8));
        var stalledFields = NotificationCatalog.For(NotificationKind.DealStalled).SampleFields
            .Where(f => f.Key is not ("stage_since" or "registered_on")).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        stalledFields["last_meeting_on"] = TemplateValue.OfUnknown(TemplateValueKind.Date);
        var stepFields = NotificationCatalog.For(NotificationKind.SaleCycleNextStep).SampleFields
            .Where(f => f.Key != "next_step_code").ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        var english = new NotificationRecipient("anna.virtanen@supplier.example", "Anna Virtanen", "en", EmailTestKit.Helsinki, RecipientRole.Kam);

        // As an earlier build stored them: straight into the outbox table (today's enqueue would refuse the missing fields).
        Assert.True(await kit.Store.InsertAsync(EmailTestKit.Request(NotificationKind.DealStalled, "o9|stalled", EmailTestKit.InHelsinki(2026, 3, 24, 9), english, stalledFields), default));
        Assert.True(await kit.Store.InsertAsync(EmailTestKit.Request(NotificationKind.SaleCycleNextStep, "o9|step", EmailTestKit.InHelsinki(2026, 3, 24, 9), english, stepFields), default));
        await Assert.ThrowsAsync<ArgumentException>(() => kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.DealStalled, "o9|stalled-2", EmailTestKit.InHelsinki(2026, 3, 24, 9), english, stalledFields), default));

        var stalled = kit.Renderer.Render((await kit.Store.GetAsync("o9|stalled", default))!);
        Assert.Contains("stage \"evaluation of options\", no meeting held yet.", stalled.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("since", stalled.Text, StringComparison.Ordinal);

        var step = kit.Renderer.Render((await kit.Store.GetAsync("o9|step", default))!);
        Assert.Contains("Pilot proposal to the technical team", step.Text, StringComparison.Ordinal); // The text it was stored with.
    }
}
