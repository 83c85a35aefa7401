using System.Text.Json;
using Ical.Net;
using KamFlows.DevStorage;
using KamFlows.Host.Cli;

namespace KamFlows.Host.Tests;

/// <summary>`simulate` and `replay-check` as a user runs them, on the samples shipped in samples/.</summary>
public sealed class SimulatorCliTests
{
    private static readonly string Root = RepositoryRoot.Find();

    private static string Sample(string name) => Path.Combine(Root, "samples", name);

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Cli.Cli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task<List<JsonElement>> NotificationsAsync(string sample, params string[] extra)
    {
        var (code, json, err) = await RunAsync(["simulate", Sample(sample), "--format", "json", .. extra]);
        Assert.True(code == 0, err);
        return [.. JsonDocument.Parse(json).RootElement.EnumerateArray()];
    }

    private static string Row(JsonElement n) => $"{n.GetProperty("localTime").GetString()} {n.GetProperty("role").GetString()} {n.GetProperty("kind").GetString()}";

    [Fact]
    public async Task Simulate_ProposalNeverAcknowledged_CallEscalationRemindersAndExpiry_AtLocalBusinessTimes()
    {
        var rows = (await NotificationsAsync("proposal-never-acknowledged.json")).Where(n => n.GetProperty("sourceKey").GetString() == "proposal:P-1001").Select(Row).ToList();

        Assert.Equal(
        [
            "2026-03-30 09:00 Mon +03:00 KAM ProposalCallToConfirmReceipt", // Sent Friday 16:00, one business day later, after the DST change.
            "2026-04-01 09:00 Wed +03:00 head TaskOverdueEscalation",       // Still not done two business days later.
            "2026-04-21 09:00 Tue +03:00 KAM ProposalExpiryReminder",       // 7 business days before 30 April, Easter skipped.
            "2026-04-29 09:00 Wed +03:00 KAM ProposalExpiryReminder",       // 1 business day before.
            "2026-05-04 09:00 Mon +03:00 KAM ProposalExpired",              // The business day after, 1 May being a holiday.
        ], rows);
    }

    [Fact]
    public async Task Simulate_TenderDateMovesTwice_FutureMilestonesMove_PastOnesReportedOnce()
    {
        var rows = (await NotificationsAsync("tender-date-moves-twice.json")).Where(n => n.GetProperty("sourceKey").GetString() == "tender:T-77").Select(Row).ToList();

        Assert.Equal(
        [
            "2026-03-06 09:00 Fri +02:00 KAM TenderMilestoneDue",      // T−270 of 1 December.
            "2026-04-02 09:00 Thu +03:00 KAM TenderMilestoneDue",      // T−240, across the DST change.
            "2026-06-04 09:00 Thu +03:00 KAM TenderMilestoneDue",      // T−180.
            "2026-06-15 11:00 Mon +03:00 KAM TenderDateMoved",         // To 15 January: the rest moves later.
            "2026-09-17 09:00 Thu +03:00 KAM TenderMilestoneDue",      // T−120 of 15 January.
            "2026-09-21 14:00 Mon +03:00 KAM TenderDateMoved",         // Back to 15 December...
            "2026-09-21 14:00 Mon +03:00 KAM TenderMilestonesOverdue", // ...so bid/no-bid (T−90 = 16 September) is past: reported once.
            "2026-10-16 09:00 Fri +03:00 KAM TenderMilestoneDue",      // T−60.
            "2026-11-13 09:00 Fri +02:00 KAM TenderMilestoneDue",      // T−30 (a Sunday) on the Friday before.
            "2026-12-08 09:00 Tue +02:00 KAM TenderMilestoneDue",      // T−7.
            "2026-12-15 09:00 Tue +02:00 KAM TenderMilestoneDue",      // T: submission.
            "2026-12-22 12:00 Tue +02:00 KAM TenderResultFollowUp",    // Won.
        ], rows);
    }

    [Fact]
    public async Task Simulate_ThreeYearSaleCycle_RemindsEachAgreedStep_NeverStalledAtItsOwnPace_AndNeverAboutCalls()
    {
        var all = await NotificationsAsync("sale-cycle-three-years.json");
        var deal = all.Where(n => n.GetProperty("sourceKey").GetString() == "opportunity:O-9").ToList();

        var agreed = deal.Where(n => n.GetProperty("kind").GetString() == "SaleCycleNextStep" && n.GetProperty("notificationId").GetString()!.Contains("|step-", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, agreed.Count); // One per meeting's agreed next step, the business day before its date.
        Assert.Equal("2026-02-19 09:00 Thu +02:00", agreed[0].GetProperty("localTime").GetString());
        Assert.Equal("2028-12-04 09:00 Mon +02:00", agreed[^1].GetProperty("localTime").GetString());
        // Issue 14: a deal won after three years at its own pace (a meeting every ~3 months, each agreed step honoured
        // later) is never flagged as stalled, so neither the KAM nor the head gets a stall alert (there were 11 and 10).
        Assert.DoesNotContain(deal, n => n.GetProperty("kind").GetString() is "DealStalled" or "DealStalledEscalation");
        Assert.DoesNotContain(all, n => n.GetProperty("subject").GetString()!.Contains("call", StringComparison.OrdinalIgnoreCase));
        Assert.All(all, n => Assert.Contains("09:00", n.GetProperty("localTime").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Simulate_ComplaintWhileAReferenceIsDue_SameDayTaskRemindersHeadFollowUp_ReferenceWaitsForTheResolution()
    {
        var all = await NotificationsAsync("complaint-invoice-while-reference-due.json");
        var rows = all.Where(n => n.GetProperty("sourceKey").GetString() is "complaint:CP-3" or "delivery:D-12").Select(Row).ToList();

        Assert.Equal(
        [
            "2026-02-20 09:00 Fri +02:00 KAM ComplaintReceived",           // Opened Thursday 18:30, after hours: the next business morning.
            "2026-02-24 09:00 Tue +02:00 KAM ComplaintResolutionReminder", // 2 business days before the resolution date (26 February).
            "2026-02-26 09:00 Thu +02:00 KAM ComplaintResolutionReminder", // On the day.
            "2026-02-27 09:00 Fri +02:00 head ComplaintOverdue",           // Still open one business day later: the head.
            "2026-03-04 09:00 Wed +02:00 KAM ComplaintFollowUp",           // Resolved Monday 2 March: follow up two business days later.
            "2026-03-16 09:00 Mon +02:00 KAM ReferenceLetterAsk",          // Was due 23 February; waited for the complaint, then 14 days from its resolution.
            "2026-03-26 09:00 Thu +02:00 KAM ReferralRequest",             // The business day after the letter.
        ], rows);
        Assert.Equal(["account:KONEPAJA"], all.Select(n => n.GetProperty("sourceKey").GetString()).Distinct().Except(["complaint:CP-3", "delivery:D-12"]));
        // The cross-sell prompt after the delivery (due 23 February) waited for the complaint: the business morning after its resolution.
        Assert.Contains("2026-03-03 09:00 Tue +02:00 KAM CrossSellPrompt", all.Where(n => n.GetProperty("sourceKey").GetString() == "account:KONEPAJA").Select(Row));
        Assert.All(all, n => Assert.DoesNotContain("ReferenceLetterFollowUp", n.GetProperty("kind").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Simulate_DeliveryDeadlineMovesAndIsMissed_ChecksMoveOverdueHead_NoReferenceAskForALateDelivery()
    {
        var all = await NotificationsAsync("delivery-deadline-moves.json");

        Assert.Equal(
        [
            "2026-05-12 09:00 Tue +03:00 KAM DeliveryDeadlineApproaching", // 5 business days before 20 May: Ascension Day (14 May) skipped.
            "2026-05-13 11:00 Wed +03:00 KAM DeliveryDeadlineMoved",       // Moved to 27 May: told at once (working hours); the 5-day check is not repeated.
            "2026-05-26 09:00 Tue +03:00 KAM DeliveryDeadlineApproaching", // 1 business day before the new date.
            "2026-05-28 09:00 Thu +03:00 KAM DeliveryOverdue",             // Not completed by 27 May: the KAM's task the morning after.
            "2026-06-02 09:00 Tue +03:00 head TaskOverdueEscalation",      // Still not completed three business days later: the head.
        ], all.Select(Row));
        Assert.Equal(["delivery:D-40"], all.Select(n => n.GetProperty("sourceKey").GetString()).Distinct());
        // Completed on 3 June with on_time true from the CRM: late against the deadline, so no reference letter is asked for.
        Assert.DoesNotContain(all, n => n.GetProperty("kind").GetString()!.StartsWith("Reference", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Simulate_Meetings_EachPreparedOnce_MovedPreparationMoves_OutcomeAskedTwice_CancelledSendsNothing()
    {
        var all = await NotificationsAsync("meetings-prepared-and-recorded.json");
        var rows = all.Where(n => n.GetProperty("sourceKey").GetString()!.StartsWith("meeting:", StringComparison.Ordinal))
            .Select(n => $"{n.GetProperty("sourceKey").GetString()} {Row(n)}").ToList();

        Assert.Equal(
        [
            "meeting:M-1 2026-04-13 09:00 Mon +03:00 KAM MeetingPreparationReminder", // The proposal meeting, agreed and scheduled: prepared once, here.
            "meeting:M-2 2026-04-20 09:00 Mon +03:00 KAM MeetingPreparationReminder", // Moved from Thursday 16 to Tuesday 21 April: not on the 15th.
            "meeting:M-2 2026-04-22 09:00 Wed +03:00 KAM MeetingOutcomeNotRecorded",  // No outcome by the morning after.
            "meeting:M-2 2026-04-24 09:00 Fri +03:00 KAM MeetingOutcomeNotRecorded",  // Once more two business days later, then never again.
        ], rows);
        Assert.DoesNotContain(all, n => n.GetProperty("kind").GetString() == "ProposalMeetingPreparation");
        Assert.DoesNotContain(all, n => n.GetProperty("sourceKey").GetString() == "meeting:M-3"); // Cancelled before its preparation.
    }

    [Fact]
    public async Task Simulate_RussianBulgarianClient_ExactOutput_ClientCalendarLanguageAndHolidays()
    {
        var (code, output, err) = await RunAsync("simulate", Sample("russian-bulgarian-client.json"));
        Assert.True(code == 0, err);

        // Finnish KAM (Ascension Day 14 May skipped: the 7-days reminder on the 13th), sent under the floor without approval (the KAM's
        // alert at once), Russian head (Monday 11 May is the Victory Day day off: escalations two Russian business days after the tasks), Bulgarian client (Monday 25 May is a day
        // off for 24 May: "1 business day left" on Friday 22 May), the client's request in Bulgarian, the review after the revenue report;
        // ten Finnish business days after the successful delivery, the KAM's cross-sell prompt.
        Assert.Equal(
            """
            Scenario: Finnish KAM, Russian head, Bulgarian client — Calendars and languages of three countries, with no holiday list from the CRM: the Finnish KAM's reminders skip Ascension Day, the proposal went out under the price floor without approval (the KAM is alerted at once), and the Russian head's escalations skip the Victory Day day off (Monday 11 May), the proposal's '7' and '1 business day left' count the Bulgarian client's business days (Monday 25 May is a Bulgarian day off), the reference request goes to the Bulgarian contact in Bulgarian, signed by the KAM; the quarterly review waits for the booked revenue.
            Simulated until 2026-07-31 00:00 +03:00: 12 notifications, 3 workflow instances, 134 steps.

            Local time                  Recipient                       Role    Kind                            Subject
            2026-05-11 09:00 Mon +03:00  anna.virtanen@supplier.example  KAM     ProposalCallToConfirmReceipt    Soita asiakkaalle Zora Logistics AD: varmista, että tarjous P-2001 on perillä
            2026-05-11 09:00 Mon +03:00  anna.virtanen@supplier.example  KAM     ProposalSentUnderFloor          Tarjous P-2001 lähti asiakkaalle Zora Logistics AD alle hinnan alarajan ilman hyväksyntää
            2026-05-13 09:00 Wed +03:00  anna.virtanen@supplier.example  KAM     ProposalExpiryReminder          Tarjouksen P-2001 (Zora Logistics AD) voimassaolo päättyy 7 arkipäivän kuluttua
            2026-05-13 09:00 Wed +03:00  boris.petrov@supplier.example   head    TaskOverdueEscalation           Просроченная задача по клиенту Zora Logistics AD: звонок для подтверждения получения КП
            2026-05-13 09:00 Wed +03:00  boris.petrov@supplier.example   head    TaskOverdueEscalation           Просроченная задача по клиенту Zora Logistics AD: КП отправлено ниже минимальной цены без согласования
            2026-05-22 09:00 Fri +03:00  anna.virtanen@supplier.example  KAM     ProposalExpiryReminder          Tarjouksen P-2001 (Zora Logistics AD) voimassaolo päättyy 1 arkipäivän kuluttua
            2026-05-27 09:00 Wed +03:00  anna.virtanen@supplier.example  KAM     ProposalExpired                 Tarjouksen P-2001 (Zora Logistics AD) voimassaolo on päättynyt
            2026-06-15 09:00 Mon +03:00  anna.virtanen@supplier.example  KAM     CrossSellPrompt                 Zora Logistics AD: tarjoa asiakkaan muille toimipisteille ja yksiköille
            2026-06-15 09:00 Mon +03:00  dimitar.ivanov@zora.example     client  ReferenceLetterRequestToClient  Бихте ли споделили впечатленията си от „Warehouse automation, Plovdiv“?
            2026-06-29 09:00 Mon +03:00  anna.virtanen@supplier.example  KAM     ReferenceLetterFollowUp         Suosituskirjettä asiakkaalta Zora Logistics AD ei ole vielä saatu
            2026-07-06 09:00 Mon +03:00  anna.virtanen@supplier.example  KAM     QuarterlyBusinessReview         Neljännesvuosikatsaus asiakkaan Zora Logistics AD kanssa: 2026-Q2
            2026-07-13 09:00 Mon +03:00  anna.virtanen@supplier.example  KAM     ReferenceLetterFollowUp         Suosituskirjettä asiakkaalta Zora Logistics AD ei ole vielä saatu

            Instances at the end:
              account:ZORA                   Running
              delivery:D-ZR-1                Running
              proposal:P-2001                Completed
            """.ReplaceLineEndings(), output.TrimEnd().ReplaceLineEndings());
    }

    [Fact]
    public async Task Simulate_Ics_CompleteVTimeZonesPlaceEveryNotificationAtItsLocalTimeAcrossDaylightSaving()
    {
        var (code, ics, err) = await RunAsync("simulate", Sample("sale-cycle-three-years.json"), "--format", "ics");
        Assert.True(code == 0, err);
        var sent = (await NotificationsAsync("sale-cycle-three-years.json")).ToDictionary(n => n.GetProperty("notificationId").GetString()!, n => n.GetProperty("sendAt").GetDateTimeOffset());

        var calendar = Calendar.Load(ics)!;

        Assert.NotEmpty(calendar.TimeZones);
        foreach (var zone in calendar.TimeZones)
        {
            var names = KamFlows.Testing.VTimeZoneRules.Observances(zone).Select(o => o.Name).ToList();
            Assert.Contains("STANDARD", names);
            Assert.Contains("DAYLIGHT", names);
        }

        Assert.Equal(sent.Count, calendar.Events.Count);
        var offsets = new HashSet<TimeSpan>();
        foreach (var e in calendar.Events)
        {
            var zone = calendar.TimeZones.Single(z => z.TzId == e.DtStart!.TzId);
            var at = sent[e.Uid!];
            Assert.Equal(at.UtcDateTime, KamFlows.Testing.VTimeZoneRules.ToUtc(zone, e.DtStart!.Value));
            offsets.Add(e.DtStart.Value - at.UtcDateTime);
        }

        Assert.True(offsets.Count >= 2, "The sample's notifications should fall on both sides of a daylight-saving change.");
    }

    [Fact]
    public async Task Simulate_Ics_ParsesBack_WithOneEventPerNotification()
    {
        var (code, ics, err) = await RunAsync("simulate", Sample("proposal-never-acknowledged.json"), "--format", "ics");
        Assert.True(code == 0, err);
        var calendar = Calendar.Load(ics)!;
        Assert.Equal(6, calendar.Events.Count);
        var call = calendar.Events.Single(e => e.Summary!.StartsWith("ProposalCallToConfirmReceipt", StringComparison.Ordinal));
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 9, 0, 0, TimeSpan.FromHours(3)), call.DtStart!.AsUtc);
    }

    [Fact]
    public async Task Simulate_Until_CutsTheScenario()
    {
        var rows = await NotificationsAsync("proposal-never-acknowledged.json", "--until", "2026-04-10");
        Assert.Equal(2, rows.Count); // The call task and the escalation; the quarterly review waits for Q1's revenue (none is reported).
    }

    [Theory]
    [InlineData(new[] { "simulate" }, "needs a scenario file")]
    [InlineData(new[] { "simulate", "samples/none.json" }, "does not exist")]
    [InlineData(new[] { "simulate", "samples/proposal-never-acknowledged.json", "--format", "pdf" }, "--format 'pdf' is not one of table, json, ics")]
    [InlineData(new[] { "simulate", "samples/proposal-never-acknowledged.json", "--until", "soon" }, "--until 'soon' is not a date")]
    [InlineData(new[] { "simulate", "samples/proposal-never-acknowledged.json", "--color" }, "Unknown option --color")]
    public async Task Simulate_BadArguments_ExitCode2_WithThePreciseProblem(string[] args, string message)
    {
        var (code, _, err) = await RunAsync([.. args.Select(a => a.StartsWith("samples/", StringComparison.Ordinal) ? Path.Combine(Root, a) : a)]);
        Assert.Equal(2, code);
        Assert.Contains(message, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_InvalidEventInTheScenario_NamesItsPath()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, File.ReadAllText(Sample("proposal-never-acknowledged.json")).Replace("\"valid_until\": \"2026-04-30\"", "\"valid_until\": \"next month\"", StringComparison.Ordinal));
        var (code, _, err) = await RunAsync("simulate", file);
        File.Delete(file);
        Assert.Equal(2, code);
        Assert.Contains("events[1].data.valid_until", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayCheck_RecordedWorkflowHistories_ReplayCleanly_AndADivergentOneFails()
    {
        var folder = Path.Combine(Root, "tests", "KamFlows.Workflows.Tests", "Histories");
        var (ok, output, _) = await RunAsync("replay-check", folder);
        Assert.Equal(0, ok);
        Assert.Contains("histories replay cleanly", output, StringComparison.Ordinal);

        // A history of an activity the current ProposalFollowUp never calls first: a change that would break running instances.
        var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "ProposalFollowUp.json"))).RootElement.GetRawText();
        var tampered = Path.Combine(Path.GetTempPath(), $"tampered-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(tampered, doc.Replace("\"ReadWorkflowOptions\"", "\"SomethingElse\"", StringComparison.Ordinal));
        var (bad, _, err) = await RunAsync("replay-check", tampered);
        File.Delete(tampered);
        Assert.Equal(1, bad);
        Assert.Contains("FAIL", err, StringComparison.Ordinal);
    }
}

public sealed class LowMemorySimulationTests
{
    [Theory]
    [InlineData("proposal-never-acknowledged.json")]
    [InlineData("tender-date-moves-twice.json")]
    [InlineData("sale-cycle-three-years.json")]
    [InlineData("complaint-invoice-while-reference-due.json")]
    [InlineData("russian-bulgarian-client.json")]
    [InlineData("delivery-deadline-moves.json")]
    [InlineData("meetings-prepared-and-recorded.json")]
    public async Task LowMemoryMode_SendsExactlyTheSameNotifications(string sample)
    {
        var scenario = KamFlows.Workflows.Simulation.Scenario.Load(Path.Combine(KamFlows.DevStorage.RepositoryRoot.Find(), "samples", sample));
        var full = await new KamFlows.Workflows.Simulation.ScenarioSimulator().RunAsync(scenario, lowMemory: false);
        var compact = await new KamFlows.Workflows.Simulation.ScenarioSimulator().RunAsync(scenario, lowMemory: true);

        Assert.NotEmpty(full.Notifications);
        Assert.Equal(full.Notifications.Select(n => (n.NotificationId, n.SendAt)), compact.Notifications.Select(n => (n.NotificationId, n.SendAt)));
        Assert.Equal(full.Steps, compact.Steps);
        Assert.Equal(full.Instances.Select(i => (i.InstanceId, i.RuntimeStatus, i.SerializedOutput)), compact.Instances.Select(i => (i.InstanceId, i.RuntimeStatus, i.SerializedOutput)));
    }
}
