using KamFlows.Infrastructure.Notifications.Digests;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Infrastructure.Notifications.Senders;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>Daily agendas at 08:00 local on business days, weekly reports for heads; never empty, never twice, as each person prefers.</summary>
public sealed class DigestTests : IDisposable
{
    private const string Kam = "anna.virtanen@supplier.example";
    private const string Head = "pekka.head@supplier.example";

    private readonly string _folder = Directory.CreateTempSubdirectory("kamflows-digest-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static TeamMemberProfile Member(string email, string name, IReadOnlyList<DateOnly>? holidays = null) =>
        new(email, name, "fi", EmailTestKit.Helsinki, ["mon", "tue", "wed", "thu", "fri"], "09:00", "17:00", holidays ?? []);

    private static AccountProfile Account(string id, string kam = Kam) =>
        new(id, "Acme " + id, "EUR", Member(kam, "Anna Virtanen"), Member(Head, "Pekka Head"), null, false, true, [], []);

    [Theory]
    [InlineData(2026, 3, 27, 9, DigestPreference.Daily, 2026, 3, 30)] // Friday → Monday, after Helsinki springs forward.
    [InlineData(2026, 3, 24, 7, DigestPreference.Daily, 2026, 3, 24)] // Before 08:00 → today.
    [InlineData(2026, 3, 24, 9, DigestPreference.Weekly, 2026, 3, 30)] // Weekly → first business day of next week.
    [InlineData(2026, 10, 23, 12, DigestPreference.Daily, 2026, 10, 26)] // Across the autumn change.
    public void Schedule_Agenda_IsAt0800LocalOnTheNextBusinessDay(int y, int m, int d, int h, DigestPreference preference, int ey, int em, int ed)
    {
        var schedule = new DigestSchedule(new());
        var recipient = new EmailRecipient { Email = Kam, TimeZone = EmailTestKit.Helsinki, IsKam = true, Digest = preference };

        Assert.Equal(EmailTestKit.InHelsinki(ey, em, ed, 8), schedule.NextAgenda(recipient, EmailTestKit.InHelsinki(y, m, d, h)));
    }

    [Fact]
    public void Schedule_HolidaysAndPreferences_AreRespected()
    {
        var schedule = new DigestSchedule(new());
        var easterMonday = new DateOnly(2026, 4, 6);
        var kam = new EmailRecipient { Email = Kam, TimeZone = EmailTestKit.Helsinki, IsKam = true, Holidays = [easterMonday] };
        var head = new EmailRecipient { Email = Head, TimeZone = EmailTestKit.Helsinki, IsHead = true, Holidays = [easterMonday] };
        var friday = EmailTestKit.InHelsinki(2026, 4, 3, 12);

        Assert.Equal(EmailTestKit.InHelsinki(2026, 4, 7, 8), schedule.NextAgenda(kam, friday));
        Assert.Equal(EmailTestKit.InHelsinki(2026, 4, 7, 8), schedule.NextReport(head, friday)); // First business day of that week.
        Assert.Null(schedule.NextReport(kam, friday));
        Assert.Null(schedule.NextAgenda(kam with { Digest = DigestPreference.Off }, friday));
        Assert.Null(schedule.NextReport(head with { Digest = DigestPreference.Off }, friday));
    }

    [Fact]
    public void Composer_Agenda_PutsEachActionInOneSection()
    {
        var kam = new EmailRecipient { Email = Kam, Name = "Anna", TimeZone = EmailTestKit.Helsinki, IsKam = true };
        var at = EmailTestKit.InHelsinki(2026, 3, 25, 8); // Wednesday.
        (string, string, PlannedAction) A(string kind, DateTimeOffset due, string title) => ("A-1", "src:" + title, new PlannedAction(kind, due, Kam, title));

        var fields = DigestComposer.DailyAgenda(kam, at,
        [
            A(nameof(NotificationKind.ProposalCallToConfirmReceipt), EmailTestKit.InHelsinki(2026, 3, 23, 9), "overdue call"),
            A(nameof(NotificationKind.TenderMilestoneDue), EmailTestKit.InHelsinki(2026, 3, 25, 14), "milestone today"),
            A(nameof(NotificationKind.ContractRenewal), EmailTestKit.InHelsinki(2026, 3, 31, 9), "renewal next week"),
            A(nameof(NotificationKind.ProposalExpiryReminder), EmailTestKit.InHelsinki(2026, 3, 27, 9), "P-1 expires"),
            A(nameof(NotificationKind.ContactBirthday), EmailTestKit.InHelsinki(2026, 3, 29, 9), "Mikko's birthday"),
            A(nameof(NotificationKind.ContactBirthday), EmailTestKit.InHelsinki(2026, 4, 1, 9), "birthday next week"),
            A(nameof(NotificationKind.DailyAgenda), EmailTestKit.InHelsinki(2026, 3, 26, 8), "tomorrow's agenda"),
        ])!;

        static string[] Titles(TemplateValue t) => [.. t.Rows!.Select(r => r["title"].Text!)];
        Assert.Equal(["overdue call"], Titles(fields["overdue"]));
        Assert.Equal(["milestone today"], Titles(fields["today"]));
        Assert.Equal(["renewal next week"], Titles(fields["next_days"]));
        Assert.Equal(["P-1 expires"], Titles(fields["expiring_proposals"]));
        Assert.Equal(["Mikko's birthday"], Titles(fields["birthdays"]));
        Assert.Equal("2026-03-25", fields["date"].Date);
        Assert.Empty(NotificationCatalog.MissingFields(EmailTestKit.Request(NotificationKind.DailyAgenda, "x", at, fields: fields)));
        Assert.Null(DigestComposer.DailyAgenda(kam, at, [A(nameof(NotificationKind.ContactBirthday), EmailTestKit.InHelsinki(2026, 4, 10, 9), "far away")]));
    }

    [Fact]
    public void Composer_AgendaRow_CarriesKindAccountAndTheObjectOfItsWorkflowKey()
    {
        // Non-English agendas show these instead of the workflow's English title: the object is the id in the key, none for the account's own items.
        var kam = new EmailRecipient { Email = Kam, Name = "Anna", TimeZone = EmailTestKit.Helsinki, IsKam = true };
        var at = EmailTestKit.InHelsinki(2026, 3, 25, 8);
        (string, string, PlannedAction) A(string key, int hour) =>
            ("A-1", key, new PlannedAction(nameof(NotificationKind.ProposalCallToConfirmReceipt), EmailTestKit.InHelsinki(2026, 3, 25, hour), Kam, key));

        var rows = DigestComposer.DailyAgenda(kam, at, [A("proposal:P-1", 9), A("tender:T-77:lot-2", 10), A("account:A-1", 11), A("account:A-1|birthdays", 12)])!["today"].Rows!;

        Assert.Equal(["P-1", "T-77:lot-2", "", ""], rows.Select(r => r["subject"].Text));
        Assert.All(rows, r => Assert.Equal(("A-1", nameof(NotificationKind.ProposalCallToConfirmReceipt)), (r["account"].Text, r["kind"].Text)));
    }

    [Fact]
    public async Task Scheduler_AgendaAt0800_IsQueuedOnceAndSentAt0800()
    {
        var kit = await EmailTestKit.CreateAsync(EmailTestKit.InHelsinki(2026, 3, 27, 12)); // Friday noon.
        var plans = new InMemoryUpcomingActions();
        var scheduler = Scheduler(kit, plans);
        await kit.Recipients.RegisterAccountTeamAsync(Account("A-1"), default);
        await plans.ReplacePlanAsync("proposal:P-1", "A-1", Kam,
        [
            new(nameof(NotificationKind.ProposalCallToConfirmReceipt), EmailTestKit.InHelsinki(2026, 3, 30, 9), Kam, "Call Acme to confirm receipt of P-1"),
            new(nameof(NotificationKind.ProposalExpired), EmailTestKit.InHelsinki(2026, 4, 2, 9), Kam, "P-1 expires"),
        ], default);
        var monday8 = EmailTestKit.InHelsinki(2026, 3, 30, 8);

        Assert.Equal(monday8, (await kit.Recipients.GetAsync(Kam, default))!.NextAgendaAt);
        await scheduler.RunDueAsync(default);
        Assert.Empty((await kit.Store.ListAsync(new OutboxQuery(), default)).Messages);

        kit.Clock.Advance(monday8 - kit.Clock.GetUtcNow());
        var next = await scheduler.RunDueAsync(default);

        var agenda = await kit.Store.GetAsync(DigestComposer.AgendaId(Kam, new DateOnly(2026, 3, 30)), default);
        Assert.NotNull(agenda);
        Assert.Equal(NotificationKind.DailyAgenda, agenda.Request.Kind);
        Assert.Equal(monday8, agenda.Request.SendAt);
        Assert.Equal(EmailTestKit.InHelsinki(2026, 3, 31, 8), (await kit.Recipients.GetAsync(Kam, default))!.NextAgendaAt);
        Assert.Equal(EmailTestKit.InHelsinki(2026, 3, 31, 8), next);
        var email = kit.Renderer.Render(agenda);
        Assert.Equal("Päiväohjelmasi 30. maaliskuuta 2026", email.Subject);
        Assert.Contains("soitto tarjouksen vastaanoton varmistamiseksi: A-1, P-1", email.Html); // The kind in Finnish, not the workflow's English title.
        Assert.Contains("tarjouksen voimassaolo päättyi: A-1, P-1", email.Text);
        Assert.DoesNotContain("Call Acme", email.Text);
        Assert.NotNull(email.UnsubscribeUrl);

        var sink = new LocalSinkEmailSender(_folder, kit.Options, kit.Clock);
        Assert.Equal(2, (await kit.Sender(sink).SendDueAsync(default)).Sent); // The agenda and the head's Monday report.

        // A crash after queueing and before the next time was stored runs the same occurrence again: nothing new is queued.
        var row = (await kit.Recipients.GetAsync(Kam, default))!;
        await kit.Recipients.TryReplaceAsync(row, row with { NextAgendaAt = monday8 }, default);
        await scheduler.RunDueAsync(default);
        Assert.Single((await kit.Store.ListAsync(new OutboxQuery { Kind = NotificationKind.DailyAgenda }, default)).Messages);
        Assert.Equal(0, (await kit.Sender(sink).SendDueAsync(default)).Sent);
        Assert.Null(await kit.Store.EarliestDueAsync(default)); // The repeat's extra index row was recognised and dropped.
        Assert.Equal(2, Directory.GetFiles(_folder).Length);
    }

    [Fact]
    public async Task Scheduler_EmptyAgenda_IsNotQueuedButTheNextDayIsScheduled()
    {
        var kit = await EmailTestKit.CreateAsync(EmailTestKit.InHelsinki(2026, 3, 24, 7));
        var plans = new InMemoryUpcomingActions();
        await kit.Recipients.RegisterAccountTeamAsync(Account("A-1"), default);
        kit.Clock.Advance(TimeSpan.FromHours(1));

        await Scheduler(kit, plans).RunDueAsync(default);

        Assert.Empty((await kit.Store.ListAsync(new OutboxQuery(), default)).Messages);
        Assert.Equal(EmailTestKit.InHelsinki(2026, 3, 25, 8), (await kit.Recipients.GetAsync(Kam, default))!.NextAgendaAt);
    }

    [Fact]
    public async Task Scheduler_PreferenceOffOrMissedDay_QueuesNothing()
    {
        var kit = await EmailTestKit.CreateAsync(EmailTestKit.InHelsinki(2026, 3, 24, 7));
        var plans = new InMemoryUpcomingActions();
        await kit.Recipients.RegisterAccountTeamAsync(Account("A-1"), default);
        await plans.ReplacePlanAsync("p", "A-1", Kam, [new(nameof(NotificationKind.DealStalled), EmailTestKit.InHelsinki(2026, 3, 24, 9), Kam, "Stalled deal")], default);
        var off = await kit.Recipients.SetPreferencesAsync(Head, DigestPreference.Off, null, default);
        Assert.Null(off.NextReportAt);

        kit.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(5)); // Host down through Tuesday; back Wednesday noon.
        await Scheduler(kit, plans).RunDueAsync(default);

        Assert.Empty((await kit.Store.ListAsync(new OutboxQuery(), default)).Messages);
        Assert.Equal(EmailTestKit.InHelsinki(2026, 3, 26, 8), (await kit.Recipients.GetAsync(Kam, default))!.NextAgendaAt);
    }

    [Fact]
    public async Task Scheduler_WeeklyReport_SumsEachKamsOpenWork()
    {
        var kit = await EmailTestKit.CreateAsync(EmailTestKit.InHelsinki(2026, 3, 27, 12));
        var plans = new InMemoryUpcomingActions();
        const string second = "ville.kam@supplier.example";
        await kit.Recipients.RegisterAccountTeamAsync(Account("A-1"), default);
        await kit.Recipients.RegisterAccountTeamAsync(Account("A-2", second), default);
        var past = EmailTestKit.InHelsinki(2026, 3, 20, 9);
        await plans.ReplacePlanAsync("opportunity:O-9", "A-1", Kam, [new(nameof(NotificationKind.DealStalled), past, Kam, "O-9 stalled")], default);
        await plans.ReplacePlanAsync("proposal:P-1", "A-1", Kam,
        [
            new(nameof(NotificationKind.ProposalCallToConfirmReceipt), past, Kam, "Call about P-1"),
            new(nameof(NotificationKind.ProposalMeetingNotAgreed), past.AddDays(1), Kam, "Meeting on P-1"),
        ], default);
        await plans.ReplacePlanAsync("tender:T-1", "A-2", second, [new(nameof(NotificationKind.TenderMilestoneDue), EmailTestKit.InHelsinki(2026, 4, 1, 9), second, "Future milestone")], default);
        var scheduler = Scheduler(kit, plans, new FixedPipeline());
        var monday8 = EmailTestKit.InHelsinki(2026, 3, 30, 8);
        kit.Clock.Advance(monday8 - kit.Clock.GetUtcNow());

        await scheduler.RunDueAsync(default);

        var report = await kit.Store.GetAsync(DigestComposer.ReportId(Head, "2026-W14"), default);
        Assert.NotNull(report);
        Assert.Equal(RecipientRole.Head, report.Request.Recipient.Role);
        var rows = report.Request.Fields["kams"].Rows!;
        Assert.Equal(["Anna Virtanen", "Anna Virtanen"], rows.Select(r => r["kam_name"].Text));
        var anna = rows.Single(r => r["overdue_tasks"].Number == 3);
        Assert.Equal(1, anna["stalled_deals"].Number);
        Assert.Equal(1, anna["proposals_without_follow_up"].Number);
        Assert.Equal(1_000_000m, anna["pipeline"].Number);
        Assert.Equal(0, rows.Single(r => r["overdue_tasks"].Number == 0)["stalled_deals"].Number);
        var stages = report.Request.Fields["pipeline_by_stage"].Rows!;
        Assert.Equal(["decision", "evaluation_of_options"], stages.Select(s => s["stage"].Text));
        var email = kit.Renderer.Render(report);
        Assert.Contains("Avainasiakasraportti, viikko 2026-W14", email.Subject);
        Assert.Contains("vaihtoehtojen arviointi", email.Html);
        // Monday 6 April 2026 is Easter Monday, a Finnish holiday known without a CRM list: the week's first business day is Tuesday.
        Assert.Equal(EmailTestKit.InHelsinki(2026, 4, 7, 8), (await kit.Recipients.GetAsync(Head, default))!.NextReportAt);
    }

    private static DigestScheduler Scheduler(EmailTestKit kit, IUpcomingActions plans, IPipelineFigures? pipeline = null) =>
        new(kit.Recipients, kit.Outbox, plans, new DigestComposer(EmailTestKit.Templates.Terms), kit.Schedule, kit.Clock,
            new RecordingLogger<DigestScheduler>(), pipeline);

    private sealed class FixedPipeline : IPipelineFigures
    {
        public Task<IReadOnlyList<PipelineEntry>> OpenPipelineAsync(string kamEmail, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<PipelineEntry>>(kamEmail == Kam
                ? [new("A-1", "O-9", "evaluation_of_options", 600_000m, "EUR"), new("A-1", "O-10", "decision", 400_000m, "EUR")]
                : []);
    }
}
