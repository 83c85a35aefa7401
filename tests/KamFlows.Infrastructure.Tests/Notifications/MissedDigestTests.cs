using KamFlows.Infrastructure.Notifications.Digests;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Infrastructure.Storage;
using KamFlows.Infrastructure.Timeline;
using KamFlows.Testing;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>Items missed while KamFlows caught up: on the account's timeline at once, in the recipient's next digest once, in their language.</summary>
public sealed class MissedDigestTests
{
    private const string Kam = "anna.virtanen@supplier.example";
    private const string Head = "pekka.head@supplier.example";

    private static TeamMemberProfile Member(string email, string name, string locale) =>
        new(email, name, locale, EmailTestKit.Helsinki, ["mon", "tue", "wed", "thu", "fri"], "09:00", "17:00", []);

    private static MissedActionsRecord Record(string accountId, string accountName, params (string Id, string Kind, RecipientRole Audience, string Email)[] items) =>
        new(accountId, accountName, "proposal:P-1", [.. items.Select(i => new MissedAction(i.Id, i.Kind, "Title of " + i.Id, EmailTestKit.InHelsinki(2026, 3, 3, 9), i.Audience, i.Email))]);

    [Fact]
    public async Task MissedItems_AreOnTheTimeline_AndInTheNextAgendaOnce_WithAccountLinks_InTheKamsLanguage()
    {
        var kit = await EmailTestKit.CreateAsync(EmailTestKit.InHelsinki(2026, 3, 24, 7));
        var (store, timeline) = await StoresAsync(kit);
        await kit.Recipients.RegisterAccountTeamAsync(new AccountProfile("A-1", "Acme Oy", "EUR", Member(Kam, "Anna Virtanen", "fi"), Member(Head, "Pekka Head", "en"), null, false, true, [], []), default);
        var first = Record("A-1", "Acme Oy", ("proposal:P-1|ProposalCallToConfirmReceipt|v1|call", "ProposalCallToConfirmReceipt", RecipientRole.Kam, Kam),
            ("proposal:P-1|ProposalExpired|v1|expired", "ProposalExpired", RecipientRole.Kam, Kam));
        Assert.Equal(2, await store.RecordAsync(first, default));
        Assert.Equal(0, await store.RecordAsync(first, default)); // The activity ran again: nothing new.
        await store.RecordAsync(Record("B-2", "Globex <Oy>", ("opportunity:O-9|DealStalled|since-x", "DealStalled", RecipientRole.Kam, Kam)), default);
        await store.RecordAsync(Record("A-1", "Acme Oy", ("opportunity:O-9|DealStalledEscalation|since-x", "DealStalledEscalation", RecipientRole.Head, Head)), default);

        var entries = await timeline.ReadAsync("A-1", null, 100, default);
        Assert.Equal(3, entries.Count(e => e.Origin == TimelineOrigin.Missed));
        Assert.Contains(entries, e => e.ReferenceId == "proposal:P-1|ProposalExpired|v1|expired" && e.Summary == "Not sent, past due while KamFlows caught up: Title of proposal:P-1|ProposalExpired|v1|expired");

        var scheduler = new DigestScheduler(kit.Recipients, kit.Outbox, new InMemoryUpcomingActions(), new DigestComposer(EmailTestKit.Templates.Terms), kit.Schedule, kit.Clock,
            new RecordingLogger<DigestScheduler>(), missed: store, publicBaseUrl: "https://kamflows.supplier.example");
        kit.Clock.Advance(TimeSpan.FromHours(1)); // Tuesday 08:00: the agenda is due.
        await scheduler.RunDueAsync(default);

        var agenda = await kit.Store.GetAsync(DigestComposer.AgendaId(Kam, new DateOnly(2026, 3, 24)), default);
        Assert.NotNull(agenda); // Nothing else is planned: the summary alone makes the agenda worth sending.
        var email = kit.Renderer.Render(agenda);
        Assert.Contains("Kun KamFlows kuroi myöhässä saapunutta historiaa kiinni, muistutuksia jäi lähettämättä, koska niiden aika oli jo mennyt: 3.", email.Text);
        Assert.Contains("<a href=\"https://kamflows.supplier.example/api/accounts/A-1/timeline\">Acme Oy</a>: 2", email.Html);
        Assert.Contains("Globex &lt;Oy&gt;</a>: 1", email.Html); // Escaped like every other value.

        // The next day's agenda does not repeat them (and, with nothing planned, is not sent at all).
        kit.Clock.Advance(TimeSpan.FromDays(1));
        await scheduler.RunDueAsync(default);
        Assert.Null(await kit.Store.GetAsync(DigestComposer.AgendaId(Kam, new DateOnly(2026, 3, 25)), default));
        Assert.All(await store.ForRecipientAsync(Kam, default), r => Assert.Equal(DigestComposer.AgendaId(Kam, new DateOnly(2026, 3, 24)), r.ReportedIn));

        // The head's item waits for the head's own digest, the weekly report (Monday), in English.
        kit.Clock.Advance(EmailTestKit.InHelsinki(2026, 3, 30, 8) - kit.Clock.GetUtcNow());
        await scheduler.RunDueAsync(default);
        var report = await kit.Store.GetAsync(DigestComposer.ReportId(Head, "2026-W14"), default);
        Assert.NotNull(report);
        Assert.Contains("While KamFlows caught up: 1 reminder was past due and not sent.", kit.Renderer.Render(report).Text);
    }

    [Fact]
    public async Task MissedItems_DigestRepeatedAfterACrash_ReportsTheSameItemsInTheSameDigest()
    {
        var kit = await EmailTestKit.CreateAsync(EmailTestKit.InHelsinki(2026, 3, 24, 8));
        var (store, _) = await StoresAsync(kit);
        await store.RecordAsync(Record("A-1", "Acme Oy", ("proposal:P-1|ProposalExpired|v1|expired", "ProposalExpired", RecipientRole.Kam, Kam)), default);

        var taken = await store.TakeForDigestAsync(Kam, "digest:agenda|x|2026-03-24", default);
        var again = await store.TakeForDigestAsync(Kam, "digest:agenda|x|2026-03-24", default); // The pass died before queueing: the same rows.
        var next = await store.TakeForDigestAsync(Kam, "digest:agenda|x|2026-03-25", default);

        Assert.Single(taken);
        Assert.Equal(taken, again);
        Assert.Empty(next);
    }

    [Theory]
    [InlineData("en", "While KamFlows caught up: 2 reminders were past due and not sent.")]
    [InlineData("ru", "Пока KamFlows догонял поступившую историю, срок напоминаний прошёл, и они не были отправлены: 2.")]
    [InlineData("fi", "muistutuksia jäi lähettämättä, koska niiden aika oli jo mennyt: 2.")]
    [InlineData("bg", "Докато KamFlows наваксваше със закъснялата история, просрочените напомняния не бяха изпратени: 2.")]
    public async Task Summary_IsTranslated_InBothDigests(string locale, string expected)
    {
        var kit = await EmailTestKit.CreateAsync(EmailTestKit.InHelsinki(2026, 3, 24, 8));
        var rows = new[] { "a", "b" }.Select(id => new MissedActionRow(id, "A-1", "Acme Oy", "proposal:P-1", "ProposalExpired", id, EmailTestKit.InHelsinki(2026, 3, 3, 9), null)).ToList();
        foreach (var kind in new[] { NotificationKind.DailyAgenda, NotificationKind.WeeklyReport })
        {
            var fields = new Dictionary<string, TemplateValue>(NotificationCatalog.For(kind).SampleFields, StringComparer.Ordinal);
            foreach (var (key, value) in DigestComposer.CaughtUp(rows, id => "https://k.example/api/accounts/" + id + "/timeline"))
            {
                fields[key] = value;
            }

            var request = EmailTestKit.Request(kind, "digest-" + locale, EmailTestKit.InHelsinki(2026, 3, 24, 8),
                new NotificationRecipient(Kam, "Anna", locale, EmailTestKit.Helsinki, kind == NotificationKind.WeeklyReport ? RecipientRole.Head : RecipientRole.Kam), fields);
            var message = new OutboxMessage { Request = request, Status = OutboxStatus.Pending, DueAt = request.SendAt, CreatedAt = request.SendAt };
            Assert.Contains(expected, kit.Renderer.Render(message).Text);
        }
    }

    private static async Task<(MissedActionStore Store, TimelineStore Timeline)> StoresAsync(EmailTestKit kit)
    {
        var clients = new StorageClients(new ResolvedStorage { TaskHub = kit.TaskHub, ConnectionString = await SharedAzurite.ConnectionStringAsync(), Description = "test" }, new StorageRequestCounter());
        var timeline = new TimelineStore(clients);
        return (new MissedActionStore(clients, kit.Clock, timeline), timeline);
    }
}
