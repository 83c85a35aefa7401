using Azure.Data.Tables;
using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Tests.Intake;
using KamFlows.Infrastructure.Timeline;

namespace KamFlows.Infrastructure.Tests.Accounts;

/// <summary>The account store on Azurite: idempotent, tolerant of out-of-order events, personal data kept apart and erasable.</summary>
public sealed class AccountStoreTests
{
    private static CanonicalEvent E(string id, string type, string time, string data) =>
        CanonicalEventParser.ParseOrThrow($$"""{"specversion":"1.0","id":"{{id}}","source":"/t","type":"{{type}}","time":"{{time}}","data":{{data}}}""");

    private static CanonicalEvent Account(string id, string time, string name) => E(id, "kam.account.upserted", time, $$"""
        {"account_id":"ACME","name":"{{name}}","kam":{"email":"anna@kamflows.example","time_zone":"Europe/Helsinki","locale":"fi",
         "calendar":{"working_days":["mon","tue","wed","thu"],"working_hours":{"opens":"08:00","closes":"16:00"},"holidays":["2026-04-03"]} },
         "head":{"email":"head@kamflows.example","time_zone":"Europe/Helsinki","locale":"en"},"currency":"EUR","groups":["expert"]}
        """);

    private static CanonicalEvent Contact(string id, string time, string name) => E(id, "kam.contact.upserted", time, $$"""
        {"contact_id":"C-1","account_id":"ACME","name":"{{name}}","role":"finance","influence":"high","attitude":"sceptic","email":"liisa@acme.example",
         "personal_data":{"birthday":"--04-12","hobbies":["sailing"]} }
        """);

    private static async Task<(AccountStore Store, AccountReader Reader, TimelineStore Timeline, TableClient Accounts, TableClient Personal)> CreateAsync()
    {
        var (clients, _) = await IntakeStoreTests.ClientsAsync();
        var timeline = new TimelineStore(clients);
        var store = new AccountStore(clients, timeline);
        return (store, new AccountReader(store), timeline, clients.Table(AccountStore.AccountsTable), clients.Table(AccountStore.PersonalDataTable));
    }

    [Fact]
    public async Task AccountUpserted_OlderEventAfterNewer_KeepsNewer_AndProfileCarriesTheCalendar()
    {
        var (store, reader, _, _, _) = await CreateAsync();
        await store.ApplyAsync(Account("a2", "2026-03-02T10:00:00Z", "Acme Oy (new)"), CancellationToken.None);
        await store.ApplyAsync(Account("a1", "2026-03-01T10:00:00Z", "Acme Oy (old)"), CancellationToken.None);

        var profile = await reader.GetProfileAsync("ACME", CancellationToken.None);
        Assert.Equal("Acme Oy (new)", profile!.Name);
        Assert.Equal(["mon", "tue", "wed", "thu"], profile.Kam.WorkingDays);
        Assert.Equal(("08:00", "16:00"), (profile.Kam.Opens, profile.Kam.Closes));
        Assert.Equal([new DateOnly(2026, 4, 3)], profile.Kam.Holidays);
        Assert.Equal(["expert"], profile.Groups);
        Assert.Null(await reader.GetProfileAsync("NOPE", CancellationToken.None));
    }

    [Fact]
    public async Task ProposalEvents_OutOfOrderAndRepeated_EndInTheStateOfTheLatestEvent()
    {
        var (store, _, _, accounts, _) = await CreateAsync();
        var sent = E("s", "kam.proposal.sent", "2026-03-02T09:00:00Z", """{"proposal_id":"P-1","account_id":"ACME","total":{"amount":100,"currency":"EUR"},"valid_until":"2026-04-01"}""");
        var ack = E("k", "kam.proposal.acknowledged", "2026-03-03T09:00:00Z", """{"proposal_id":"P-1","account_id":"ACME"}""");
        var meeting = E("m", "kam.proposal.meeting_agreed", "2026-03-04T09:00:00Z", """{"proposal_id":"P-1","account_id":"ACME","meeting_at":"2026-03-10T10:00:00Z"}""");

        foreach (var e in new[] { meeting, ack, sent, ack, meeting, sent })
        {
            await store.ApplyAsync(e, CancellationToken.None);
        }

        var row = (await accounts.GetEntityAsync<TableEntity>("ACME", "proposal|P-1")).Value;
        Assert.Equal("meeting_agreed", row.GetString("Status"));
        Assert.Equal("100", row.GetString("Amount"));
        Assert.Equal("2026-04-01", row.GetString("ValidUntil"));
    }

    [Fact]
    public async Task ContactUpserted_PersonalDataOnlyInItsTable_ErasureDeletesItAndIsSticky()
    {
        var (store, reader, timeline, accounts, personalTable) = await CreateAsync();
        var contact = Contact("c1", "2026-03-02T09:00:00Z", "Liisa Korhonen");
        await store.ApplyAsync(contact, CancellationToken.None);
        await timeline.AppendAsync("ACME", EventSummaries.For(contact), CancellationToken.None);

        var stored = (await accounts.GetEntityAsync<TableEntity>("ACME", "contact|C-1")).Value;
        Assert.DoesNotContain("sailing", string.Join("|", stored.Select(kv => kv.Value?.ToString())), StringComparison.Ordinal);
        var facts = await reader.GetPersonalFactsAsync("ACME", "C-1", CancellationToken.None);
        Assert.Equal((new DateOnly(2000, 4, 12), false, "sailing"), (facts!.Birthday, facts.BirthdayHasYear, facts.Hobbies.Single()));

        await store.ApplyAsync(E("x", "kam.contact.erased", "2026-03-05T09:00:00Z", """{"contact_id":"C-1","account_id":"ACME"}"""), CancellationToken.None);
        await store.ApplyAsync(Contact("c0", "2026-03-01T09:00:00Z", "Liisa Korhonen"), CancellationToken.None); // late, older
        await store.ApplyAsync(Contact("c2", "2026-03-06T09:00:00Z", "Liisa Korhonen"), CancellationToken.None); // newer, after erasure

        Assert.Null(await reader.GetPersonalFactsAsync("ACME", "C-1", CancellationToken.None));
        var profile = Assert.Single(await reader.GetContactsAsync("ACME", CancellationToken.None));
        Assert.True(profile.Erased);
        Assert.Equal("(erased)", profile.Name);
        Assert.Null(profile.Email);
        var entries = await timeline.ReadAsync("ACME", null, 10, CancellationToken.None);
        Assert.DoesNotContain(entries, e => e.Summary.Contains("Liisa", StringComparison.Ordinal));
        var personal = 0;
        await foreach (var _ in personalTable.QueryAsync<TableEntity>())
        {
            personal++;
        }

        Assert.Equal(0, personal);
    }

    [Fact]
    public async Task Timeline_SameEventAppendedTwice_IsOneEntry_EntriesInTimeOrder()
    {
        var (_, _, timeline, _, _) = await CreateAsync();
        var later = new TimelineEntry(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero), TimelineOrigin.Caused, "ProposalCallReminder", "Reminder sent", "proposal:P-1", "n-1");
        var earlier = later with { Time = later.Time.AddHours(-1), ReferenceId = "e-1", Origin = TimelineOrigin.Received, Kind = "kam.proposal.sent" };

        await timeline.AppendAsync("ACME", later, CancellationToken.None);
        await timeline.AppendAsync("ACME", earlier, CancellationToken.None);
        await timeline.AppendAsync("ACME", later, CancellationToken.None);

        Assert.Equal([earlier, later], await timeline.ReadAsync("ACME", null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task ReportedRevenue_OverlappingPeriodsOnly_WithKeyAccountFlag()
    {
        var (store, reader, _, _, _) = await CreateAsync();
        await store.ApplyAsync(Account("a", "2026-03-01T10:00:00Z", "Acme"), CancellationToken.None);
        await store.ApplyAsync(E("r1", "kam.revenue.reported", "2026-04-02T00:00:00Z", """{"account_id":"ACME","period_start":"2026-01-01","period_end":"2026-03-31","revenue":{"amount":100.5,"currency":"EUR"}}"""), CancellationToken.None);
        await store.ApplyAsync(E("r2", "kam.revenue.reported", "2026-04-02T00:00:00Z", """{"account_id":"OTHER","period_start":"2025-01-01","period_end":"2025-03-31","revenue":{"amount":7,"currency":"EUR"}}"""), CancellationToken.None);
        await store.ApplyAsync(E("r3", "kam.revenue.reported", "2026-04-02T00:00:00Z", """{"account_id":"OTHER","period_start":"2026-02-01","period_end":"2026-02-28","revenue":{"amount":9,"currency":"USD"}}"""), CancellationToken.None);

        var reports = await reader.GetReportedRevenueAsync(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), CancellationToken.None);

        Assert.Equal(
            [new KamFlows.Workflows.Ports.ReportedRevenue("ACME", new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31), 100.5m, "EUR", true),
             new KamFlows.Workflows.Ports.ReportedRevenue("OTHER", new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28), 9m, "USD", false)],
            reports.OrderBy(r => r.AccountId));
    }

    [Fact]
    public async Task Complaints_OpenResolvedClosedAndOutOfOrder_AreReadAsTheReferenceWorkflowNeedsThem()
    {
        var (store, reader, _, _, _) = await CreateAsync();
        await store.ApplyAsync(E("o1", "kam.complaint.opened", "2026-03-02T09:00:00Z", """{"complaint_id":"CP-1","account_id":"ACME","delivery_id":"D-5"}"""), CancellationToken.None);
        await store.ApplyAsync(E("r1", "kam.complaint.resolved", "2026-03-04T09:00:00Z", """{"complaint_id":"CP-1","account_id":"ACME"}"""), CancellationToken.None);
        await store.ApplyAsync(E("o2", "kam.complaint.opened", "2026-03-05T09:00:00Z", """{"complaint_id":"CP-2","account_id":"ACME"}"""), CancellationToken.None);
        await store.ApplyAsync(E("c3", "kam.complaint.closed", "2026-03-07T09:00:00Z", """{"complaint_id":"CP-3","account_id":"ACME"}"""), CancellationToken.None); // Before its opening.
        await store.ApplyAsync(E("o3", "kam.complaint.opened", "2026-03-06T09:00:00Z", """{"complaint_id":"CP-3","account_id":"ACME"}"""), CancellationToken.None);

        var complaints = (await reader.GetComplaintsAsync("ACME", CancellationToken.None)).ToDictionary(c => c.ComplaintId);
        Assert.Equal(["CP-1", "CP-2", "CP-3"], complaints.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("D-5", false, new DateTimeOffset(2026, 3, 4, 9, 0, 0, TimeSpan.Zero)), (complaints["CP-1"].DeliveryId, complaints["CP-1"].IsOpen, complaints["CP-1"].ResolvedAt!.Value));
        Assert.True(complaints["CP-2"].IsOpen);
        Assert.False(complaints["CP-3"].IsOpen); // Closed counts as resolved.
        Assert.Empty(await reader.GetComplaintsAsync("OTHER", CancellationToken.None));
    }

    [Fact]
    public async Task DeliveryScheduled_MovedAndCompleted_RowKeepsTheLatestDeadlineAndTheCompletion_WithoutTheTeamLeadsData()
    {
        var (store, reader, _, _, _) = await CreateAsync();
        const string Lead = "\"team_lead_name\":\"Jukka Mäkinen\",\"team_lead_email\":\"jukka@supplier.example\"}";
        await store.ApplyAsync(E("s2", "kam.delivery.scheduled", "2026-03-05T09:00:00Z", """{"delivery_id":"D-5","account_id":"ACME","due_on":"2026-04-10",""" + Lead), CancellationToken.None);
        await store.ApplyAsync(E("c", "kam.delivery.completed", "2026-04-09T09:00:00Z", """{"delivery_id":"D-5","account_id":"ACME","on_time":true,"expectations_met":true}"""), CancellationToken.None);
        await store.ApplyAsync(E("s1", "kam.delivery.scheduled", "2026-03-01T09:00:00Z", """{"delivery_id":"D-5","account_id":"ACME","due_on":"2026-04-01","description":"Phase 1",""" + Lead), CancellationToken.None); // Older: changes nothing.

        var delivery = Assert.Single(await reader.GetObjectsAsync("ACME", "delivery", CancellationToken.None));
        Assert.Equal("2026-04-10", delivery.Fields["DueOn"]);
        Assert.Equal(true, delivery.Fields["OnTime"]);
        Assert.DoesNotContain(delivery.Fields.Values, v => v is string text && text.Contains("Jukka", StringComparison.Ordinal)); // The team lead stays in the workflow, not on the account.
        var entry = EventSummaries.For(E("s3", "kam.delivery.scheduled", "2026-03-06T09:00:00Z", """{"delivery_id":"D-5","account_id":"ACME","due_on":"2026-04-10",""" + Lead));
        Assert.Equal(("Delivery D-5 due on 2026-04-10", "delivery:D-5"), (entry.Summary, entry.SourceKey)); // The timeline's line: no personal data.
    }

    [Fact]
    public async Task PriceDecisions_AreKeptOnTheProposal_WithoutChangingItsStatus()
    {
        var (store, reader, _, _, _) = await CreateAsync();
        await store.ApplyAsync(E("s", "kam.proposal.sent", "2026-03-02T09:00:00Z", """{"proposal_id":"P-1","account_id":"ACME","total":{"amount":100,"currency":"EUR"},"valid_until":"2026-04-01"}"""), CancellationToken.None);
        await store.ApplyAsync(E("d", "kam.proposal.drafted", "2026-03-01T09:00:00Z", """{"proposal_id":"P-1","account_id":"ACME","total":{"amount":100,"currency":"EUR"}}"""), CancellationToken.None);
        await store.ApplyAsync(E("a", "kam.proposal.price_approved", "2026-03-01T15:00:00Z", """{"proposal_id":"P-1","account_id":"ACME"}"""), CancellationToken.None);

        var proposal = Assert.Single(await reader.GetObjectsAsync("ACME", "proposal", CancellationToken.None));
        Assert.Equal("v1 approved", proposal.Fields["PriceApproval"]);
        Assert.Equal("sent", proposal.Fields["Status"]);
    }

    [Fact]
    public async Task MeetingsAndProposals_AreReadAsAMeetingPreparationNeedsThem()
    {
        var (store, reader, _, accounts, _) = await CreateAsync();
        await store.ApplyAsync(E("s1", "kam.proposal.sent", "2026-03-02T09:00:00Z", """{"proposal_id":"P-1","account_id":"ACME","version":2,"total":{"amount":100,"currency":"EUR"},"valid_until":"2026-04-01"}"""), CancellationToken.None);
        await store.ApplyAsync(E("s2", "kam.proposal.sent", "2026-03-02T09:00:00Z", """{"proposal_id":"P-2","account_id":"ACME","total":{"amount":100,"currency":"EUR"},"valid_until":"2026-04-01"}"""), CancellationToken.None);
        await store.ApplyAsync(E("a2", "kam.proposal.accepted", "2026-03-03T09:00:00Z", """{"proposal_id":"P-2","account_id":"ACME"}"""), CancellationToken.None);
        await store.ApplyAsync(E("d3", "kam.proposal.drafted", "2026-03-03T09:00:00Z", """{"proposal_id":"P-3","account_id":"ACME","total":{"amount":90,"currency":"EUR"}}"""), CancellationToken.None);
        await store.ApplyAsync(E("m1", "kam.meeting.scheduled", "2026-03-02T09:00:00Z", """{"meeting_id":"M-1","account_id":"ACME","starts_at":"2026-03-05T10:00:00Z","proposal_id":"P-1"}"""), CancellationToken.None);
        await store.ApplyAsync(E("l1", "kam.meeting.logged", "2026-03-05T12:00:00Z", """{"meeting_id":"M-1","account_id":"ACME","held_at":"2026-03-05T10:00:00Z","summary":"Budget agreed","next_step":"Pilot"}"""), CancellationToken.None);
        await store.ApplyAsync(E("m2", "kam.meeting.scheduled", "2026-03-02T09:00:00Z", """{"meeting_id":"M-2","account_id":"ACME","starts_at":"2026-03-09T10:00:00Z","ends_at":"2026-03-09T12:00:00Z"}"""), CancellationToken.None);
        await store.ApplyAsync(E("c2", "kam.meeting.cancelled", "2026-03-04T09:00:00Z", """{"meeting_id":"M-2","account_id":"ACME"}"""), CancellationToken.None);

        var proposals = (await reader.GetProposalsAsync("ACME", CancellationToken.None)).ToDictionary(p => p.ProposalId);
        Assert.Equal(["P-1", "P-2"], proposals.Keys.Order(StringComparer.Ordinal)); // P-3 is a draft the client has not seen.
        Assert.Equal((2, "sent", new DateOnly(2026, 4, 1)), (proposals["P-1"].Version, proposals["P-1"].Status, proposals["P-1"].ValidUntil));
        Assert.True(proposals["P-1"].IsOpenOn(new DateOnly(2026, 4, 1)));
        Assert.False(proposals["P-1"].IsOpenOn(new DateOnly(2026, 4, 2)));
        Assert.False(proposals["P-2"].IsOpenOn(new DateOnly(2026, 3, 10)));
        var held = Assert.Single(await reader.GetHeldMeetingsAsync("ACME", CancellationToken.None)); // M-2 was never held.
        Assert.Equal(("M-1", "Budget agreed", "Pilot"), (held.MeetingId, held.Summary, held.NextStep));
        var cancelled = (await accounts.GetEntityAsync<TableEntity>("ACME", "meeting|M-2")).Value;
        Assert.Equal((new DateTimeOffset(2026, 3, 9, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 4, 9, 0, 0, TimeSpan.Zero)),
            (cancelled.GetDateTimeOffset("EndsAt")!.Value, cancelled.GetDateTimeOffset("CancelledAt")!.Value));
    }
}
