using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Notifications.Digests;
using KamFlows.Infrastructure.Tests.Intake;
using KamFlows.Infrastructure.Timeline;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>
/// Issue 14: the head's weekly report lists the key accounts with no meeting or other client event for AccountCare:DormantAfterDays
/// or more, oldest first, from the last contact intake keeps on the account row (the real stores on Azurite).
/// </summary>
public sealed class DormantKeyAccountsTests
{
    private const string Head = "pekka.head@supplier.example";
    private const string OtherHead = "olga.head@supplier.example";

    private static int _ids;

    private static CanonicalEvent E(string type, string time, string data) =>
        CanonicalEventParser.ParseOrThrow($$"""{"specversion":"1.0","id":"d-{{Interlocked.Increment(ref _ids)}}","source":"/t","type":"{{type}}","time":"{{time}}","data":{{data}}}""");

    private static CanonicalEvent Account(string id, string name, string kam, string kamName, string time, string head = Head, bool key = true) => E("kam.account.upserted", time, $$"""
        {"account_id":"{{id}}","name":"{{name}}","kam":{"email":"{{kam}}","name":"{{kamName}}","time_zone":"Europe/Helsinki","locale":"fi"},
         "head":{"email":"{{head}}","name":"Pekka Head","time_zone":"Europe/Helsinki","locale":"en"},"currency":"EUR","is_key_account":{{(key ? "true" : "false")}}}
        """);

    private static CanonicalEvent Meeting(string accountId, string id, string loggedAt, string heldAt) =>
        E("kam.meeting.logged", loggedAt, $$"""{"meeting_id":"{{id}}","account_id":"{{accountId}}","held_at":"{{heldAt}}"}""");

    private static async Task<(AccountStore Store, AccountReader Reader)> StoresAsync()
    {
        var (clients, _) = await IntakeStoreTests.ClientsAsync();
        var store = new AccountStore(clients, new TimelineStore(clients));
        return (store, new AccountReader(store));
    }

    [Fact]
    public async Task WeeklyReport_ListsTheHeadsDormantKeyAccounts_OldestFirst_WithKamLastContactAndDays_AsAccountCareCountsContact()
    {
        var (store, reader) = await StoresAsync();
        // Acme: last contact the meeting held on 20 January (logged only on 1 March: held_at counts, as in AccountCare); an older meeting logged later changes nothing.
        await store.ApplyManyAsync("ACME",
        [
            Account("ACME", "Acme Oy", "anna.virtanen@supplier.example", "Anna Virtanen", "2026-01-02T09:00:00+02:00"),
            E("kam.proposal.sent", "2026-01-10T10:00:00+02:00", """{"proposal_id":"P-1","account_id":"ACME","total":{"amount":100,"currency":"EUR"},"valid_until":"2026-02-10"}"""),
            Meeting("ACME", "M-2", "2026-03-01T10:00:00+02:00", "2026-01-20T10:00:00+02:00"),
        ], default);
        await store.ApplyAsync(Meeting("ACME", "M-1", "2026-03-02T10:00:00+02:00", "2026-01-05T10:00:00+02:00"), default);
        // Globex: never in contact; contact upserts and a revenue report are the account's bookkeeping, not contact.
        await store.ApplyAsync(Account("GLOBEX", "Globex Oy", "ville.kam@supplier.example", "Ville Kam", "2026-01-05T09:00:00+02:00"), default);
        await store.ApplyAsync(E("kam.contact.upserted", "2026-03-20T09:00:00+02:00", """{"contact_id":"C-1","account_id":"GLOBEX","name":"Liisa","role":"finance","influence":"high","attitude":"neutral"}"""), default);
        await store.ApplyAsync(E("kam.revenue.reported", "2026-03-25T09:00:00+02:00", """{"account_id":"GLOBEX","period_start":"2026-01-01","period_end":"2026-02-28","revenue":{"amount":5,"currency":"EUR"}}"""), default);
        // Initech: a meeting exactly 60 days before the report (listed, the day the KAM's alert is due); Umbrella: a complaint 59 days before (not yet).
        await store.ApplyAsync(Account("INITECH", "Initech Oy", "anna.virtanen@supplier.example", "Anna Virtanen", "2026-01-02T09:00:00+02:00"), default);
        await store.ApplyAsync(Meeting("INITECH", "M-3", "2026-01-29T18:00:00+02:00", "2026-01-29T15:00:00+02:00"), default);
        await store.ApplyAsync(Account("UMBRELLA", "Umbrella Oy", "anna.virtanen@supplier.example", "Anna Virtanen", "2026-01-02T09:00:00+02:00"), default);
        await store.ApplyAsync(E("kam.complaint.opened", "2026-01-30T00:30:00+02:00", """{"complaint_id":"CP-1","account_id":"UMBRELLA"}"""), default); // Still 29 January in UTC: days count on the KAM's dates.
        // Not this head's list: another head's key account, and an ordinary (non-key) account, both silent since January.
        await store.ApplyAsync(Account("HOOLI", "Hooli Oy", "anna.virtanen@supplier.example", "Anna Virtanen", "2026-01-02T09:00:00+02:00", head: OtherHead), default);
        await store.ApplyAsync(Account("SMALL", "Small Oy", "anna.virtanen@supplier.example", "Anna Virtanen", "2026-01-02T09:00:00+02:00", key: false), default);

        var kit = await EmailTestKit.CreateAsync(EmailTestKit.InHelsinki(2026, 3, 27, 12));
        foreach (var id in new[] { "ACME", "GLOBEX", "HOOLI" })
        {
            await kit.Recipients.RegisterAccountTeamAsync((await reader.GetProfileAsync(id, default))!, default);
        }

        var scheduler = new DigestScheduler(kit.Recipients, kit.Outbox, new InMemoryUpcomingActions(), new DigestComposer(EmailTestKit.Templates.Terms), kit.Schedule, kit.Clock,
            new RecordingLogger<DigestScheduler>(), publicBaseUrl: "https://kamflows.supplier.example", dormant: new DormantKeyAccounts(reader, 60));
        kit.Clock.Advance(EmailTestKit.InHelsinki(2026, 3, 30, 8) - kit.Clock.GetUtcNow()); // Monday: the weekly report.
        await scheduler.RunDueAsync(default);

        var report = await kit.Store.GetAsync(DigestComposer.ReportId(Head, "2026-W14"), default);
        Assert.NotNull(report);
        Assert.Equal(60m, report.Request.Fields["dormant_after_days"].Number);
        Assert.Equal(
            ["GLOBEX Globex Oy Ville Kam - 2026-01-05 84 https://kamflows.supplier.example/api/accounts/GLOBEX/timeline",
             "ACME Acme Oy Anna Virtanen 2026-01-20 2026-01-20 69 https://kamflows.supplier.example/api/accounts/ACME/timeline",
             "INITECH Initech Oy Anna Virtanen 2026-01-29 2026-01-29 60 https://kamflows.supplier.example/api/accounts/INITECH/timeline"],
            report.Request.Fields["dormant_accounts"].Rows!.Select(r =>
                $"{r["link"].Text!.Split('/')[^2]} {r["account_name"].Text} {r["kam_name"].Text} {r["last_contact_on"].Date ?? "-"} {r["since_on"].Date} {r["days_since"].Number} {r["link"].Text}"));

        var text = kit.Renderer.Render(report).Text;
        Assert.Contains("Dormant key accounts (no meeting or other client event for 60 days or more):", text, StringComparison.Ordinal);
        Assert.Contains("- Globex Oy, KAM Ville Kam: no contact recorded since ", text, StringComparison.Ordinal);
        Assert.Contains(", 69 days ago (https://kamflows.supplier.example/api/accounts/ACME/timeline)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Umbrella", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Hooli", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Small Oy", text, StringComparison.Ordinal);

        // The other head's report lists Hooli alone.
        var other = await kit.Store.GetAsync(DigestComposer.ReportId(OtherHead, "2026-W14"), default);
        Assert.Equal(["Hooli Oy"], other!.Request.Fields["dormant_accounts"].Rows!.Select(r => r["account_name"].Text));
    }

    [Fact]
    public async Task WeeklyReport_NoDormantKeyAccount_SaysNone_AndWithoutTheCheckSaysNothingAboutThem()
    {
        var (store, reader) = await StoresAsync();
        await store.ApplyAsync(Account("ACME", "Acme Oy", "anna.virtanen@supplier.example", "Anna Virtanen", "2026-01-02T09:00:00+02:00"), default);
        await store.ApplyAsync(Meeting("ACME", "M-1", "2026-03-20T12:00:00+02:00", "2026-03-20T10:00:00+02:00"), default);
        var kit = await EmailTestKit.CreateAsync(EmailTestKit.InHelsinki(2026, 3, 27, 12));
        await kit.Recipients.RegisterAccountTeamAsync((await reader.GetProfileAsync("ACME", default))!, default);
        kit.Clock.Advance(EmailTestKit.InHelsinki(2026, 3, 30, 8) - kit.Clock.GetUtcNow());

        await new DigestScheduler(kit.Recipients, kit.Outbox, new InMemoryUpcomingActions(), new DigestComposer(EmailTestKit.Templates.Terms), kit.Schedule, kit.Clock,
            new RecordingLogger<DigestScheduler>(), dormant: new DormantKeyAccounts(reader, 60)).RunDueAsync(default);

        var report = await kit.Store.GetAsync(DigestComposer.ReportId(Head, "2026-W14"), default);
        Assert.Empty(report!.Request.Fields["dormant_accounts"].Rows!);
        Assert.Contains("Dormant key accounts (no meeting or other client event for 60 days or more): none.", kit.Renderer.Render(report).Text, StringComparison.Ordinal);

        // Without the account store the report cannot know: it says nothing rather than "none".
        var notChecked = new DigestComposer(EmailTestKit.Templates.Terms).WeeklyReport(
            new EmailRecipient { Email = Head, Name = "Pekka Head", TimeZone = EmailTestKit.Helsinki, IsHead = true }, EmailTestKit.InHelsinki(2026, 3, 30, 8),
            [new KamWork(new EmailRecipient { Email = "anna.virtanen@supplier.example", Name = "Anna Virtanen", TimeZone = EmailTestKit.Helsinki, IsKam = true }, [], null)], null, id => id)!;
        Assert.Null(notChecked["dormant_after_days"].Number);
        var rendered = EmailTestKit.Templates.Render(KamFlows.Workflows.Notifications.NotificationKind.WeeklyReport, notChecked,
            new KamFlows.Infrastructure.Notifications.Templates.LocaleFormat("en", EmailTestKit.Helsinki), null);
        Assert.DoesNotContain("Dormant", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountsFromBeforeTheColumn_AreComputedOnceFromTimelineAndMeetings_ThenReadFromTheRow()
    {
        var (clients, storage) = await IntakeStoreTests.ClientsAsync();
        var timeline = new TimelineStore(clients);
        var store = new AccountStore(clients, timeline);
        var events = new[]
        {
            Account("OLD", "Old Oy", "anna.virtanen@supplier.example", "Anna Virtanen", "2025-11-03T09:00:00+02:00"),
            E("kam.proposal.sent", "2025-11-20T10:00:00+02:00", """{"proposal_id":"P-1","account_id":"OLD","total":{"amount":100,"currency":"EUR"},"valid_until":"2026-02-10"}"""),
            Meeting("OLD", "M-1", "2026-01-09T10:00:00+02:00", "2025-12-01T10:00:00+02:00"), // Logged in January, held in December.
            E("kam.revenue.reported", "2026-01-15T10:00:00+02:00", """{"account_id":"OLD","period_start":"2025-10-01","period_end":"2025-12-31","revenue":{"amount":5,"currency":"EUR"}}"""),
        };
        foreach (var e in events)
        {
            await store.ApplyAsync(e, default);
            await timeline.AppendAsync("OLD", EventSummaries.For(e), default);
        }

        // As a version before the column left the row: the same row without LastContactAt and FirstEventAt.
        var table = clients.Table(AccountStore.AccountsTable);
        var row = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>("OLD", AccountRows.Account)).Value;
        row.Remove(AccountContact.LastContactAt);
        row.Remove(AccountContact.FirstEventAt);
        await table.UpdateEntityAsync(row, row.ETag, Azure.Data.Tables.TableUpdateMode.Replace);

        var counter = new KamFlows.Infrastructure.Storage.StorageRequestCounter();
        var counted = new KamFlows.Infrastructure.Storage.StorageClients(storage, counter);
        var reader = new AccountReader(new AccountStore(counted, new TimelineStore(counted)));
        var old = Assert.Single(await reader.ListKeyAccountContactsAsync(default));
        Assert.Equal((new DateTimeOffset(2025, 12, 1, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 11, 3, 7, 0, 0, TimeSpan.Zero)),
            (old.LastContactAt!.Value.ToUniversalTime(), old.FirstEventAt!.Value.ToUniversalTime())); // The meeting's held_at; the revenue report is not contact.

        var before = counter.Table;
        var again = Assert.Single(await reader.ListKeyAccountContactsAsync(default));
        Assert.Equal((old.LastContactAt, old.FirstEventAt), (again.LastContactAt, again.FirstEventAt));
        Assert.Equal(1, counter.Table - before); // Stored: one query over the account rows, no timeline.
    }

    [Fact]
    public async Task LastContact_IsKeptOnTheAccountRow_OnlyMovingForward_WhateverTheOrderOfEvents()
    {
        var (store, reader) = await StoresAsync();
        var account = Account("ACME", "Acme Oy", "anna.virtanen@supplier.example", "Anna Virtanen", "2026-01-02T09:00:00+02:00");
        var later = E("kam.delivery.completed", "2026-02-10T10:00:00+02:00", """{"delivery_id":"D-1","account_id":"ACME","on_time":true,"expectations_met":true}""");
        var earlier = Meeting("ACME", "M-1", "2026-02-11T10:00:00+02:00", "2026-02-01T10:00:00+02:00");
        foreach (var e in new[] { later, account, earlier, later, account })
        {
            await store.ApplyAsync(e, default);
        }

        var contact = Assert.Single(await reader.ListKeyAccountContactsAsync(default));
        Assert.Equal(("ACME", new DateTimeOffset(2026, 2, 10, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 2, 7, 0, 0, TimeSpan.Zero)),
            (contact.Account.Id, contact.LastContactAt!.Value.ToUniversalTime(), contact.FirstEventAt!.Value.ToUniversalTime()));
    }
}
