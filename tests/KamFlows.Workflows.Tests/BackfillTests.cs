using KamFlows.DevStorage;
using KamFlows.Testing;
using KamFlows.Workflows.Simulation;

namespace KamFlows.Workflows.Tests;

/// <summary>
/// A CRM's history arriving at once (first connection, replay after an outage, bulk import), on virtual time: nothing
/// past its grace is sent, items of objects the backlog closes never fire, a backfill-mode event fires nothing in the past.
/// </summary>
public sealed class BackfillTests
{
    [Fact]
    public async Task SaleCycle_FourMonthsOfHistoryArriveAtOnce_EndingWon_NothingFires_WhatWouldHaveGoneOutIsRecordedMissed()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-06-01T12:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.OpportunityUpserted("O-9", "2026-01-12T10:00:00+02:00", "needs_recognition"));
        await host.SendAsync(Ev.MeetingLogged("2026-03-31T10:00:00+03:00", "2026-03-31T09:00:00+03:00", opportunityId: "O-9", nextStep: "Pilot", nextStepDue: "2026-04-20"));
        Assert.Equal(At("2026-06-01T09:02:00Z"), (await host.StatusAsync("opportunity:O-9"))!.CatchingUpUntil); // 12:00+03:00 plus 120 s (on the 2-minute grid).
        await host.SendAsync(Ev.StageChanged("O-9", "2026-05-20T10:00:00+03:00", "won"));
        await host.AdvanceToAsync(At("2026-06-10T00:00:00+03:00"));

        Assert.Empty(host.Outbox.All); // Without the hold: a stall alert (since January) and the pilot reminder, for a deal already won.
        Assert.Equal(
            [
                // No stall alert after the 31 March meeting: its agreed step (20 April) plus the deal's threshold is still ahead (issue 14).
                "DealStalled 2026-02-26", "SaleCycleNextStep 2026-02-02", "SaleCycleNextStep 2026-04-17", "SaleCycleNextStep 2026-04-21",
            ],
            host.Missed.Items.Select(m => $"{m.Item.Kind} {m.Item.DueAt:yyyy-MM-dd}").Order(StringComparer.Ordinal)); // What on-time history would have sent.
        Assert.Equal("won", (await host.ResultAsync("opportunity:O-9")).Outcome);
    }

    [Fact]
    public async Task ProposalFollowUp_SentAndAcceptedArriveTogether_WithinTheGrace_TheCallTaskNeverFires()
    {
        // Sent Thursday 10:00 and accepted Friday 08:00; both reach KamFlows on Friday at 09:30, after the call task's
        // time (Friday 09:00) but well within its grace. The acceptance is applied before anything fires.
        await using var host = await WorkflowHost.StartAsync(At("2026-04-24T09:30:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-04-23T10:00:00+03:00", 125_000m, "2026-05-29"));
        await host.SendAsync(Ev.Accepted("P-1", "2026-04-24T08:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-06-30T00:00:00+03:00"));

        Assert.Empty(host.Outbox.All);
        Assert.Empty(host.Missed.Items);
        Assert.Equal("accepted", (await host.ResultAsync("proposal:P-1")).Outcome);
    }

    [Fact]
    public async Task ProposalFollowUp_LateEventAlone_WithinTheGrace_TheTaskGoesOutWhenTheHoldEnds()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-24T09:30:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-04-23T10:00:00+03:00", 125_000m, "2026-05-29"));
        Assert.Empty(host.Outbox.All); // Held while the rest of the backlog may come.
        Assert.DoesNotContain(host.Upcoming.PlanOf("proposal:P-1"), a => a.Kind == "ProposalCallToConfirmReceipt"); // Being decided: not an overdue task in anyone's agenda.
        Assert.Contains(host.Upcoming.PlanOf("proposal:P-1"), a => a.Kind == "ProposalExpiryReminder"); // The future is still shown.
        await host.AdvanceToAsync(At("2026-04-24T10:00:00+03:00"));

        var call = host.Outbox.One(NotificationKind.ProposalCallToConfirmReceipt);
        Assert.Equal(At("2026-04-24T06:32:00Z"), call.SendAt); // When the hold ended: 09:30 + 120 s (on the 2-minute grid).
        Assert.Empty(host.Missed.Items);
        Assert.Null((await host.StatusAsync("proposal:P-1"))!.CatchingUpUntil); // Caught up.
    }

    [Fact]
    public async Task ProposalFollowUp_BackfillModeEvent_AppliesState_AndRecordsEvenARecentTaskAsMissed()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-24T09:05:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Backfill(Ev.ProposalSent("P-1", "2026-04-23T10:00:00+03:00", 125_000m, "2026-05-29")));
        await host.AdvanceToAsync(At("2026-05-21T00:00:00+03:00"));

        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalCallToConfirmReceipt)); // Due 5 minutes before: in the past, so not sent.
        Assert.Equal(["proposal:P-1|ProposalCallToConfirmReceipt|v1|call"], host.Missed.Items.Select(m => m.Item.Id));
        Assert.Equal("2026-05-20T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.ProposalExpiryReminder))); // The future still fires.
    }

    [Fact]
    public async Task TenderPreparation_WholeHistoryArrivesAtOnce_ResultIncluded_NoOverdueReportAndNoFollowUp_AllRecordedMissed()
    {
        await using var host = await WorkflowHost.StartAsync(At("2027-02-15T12:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.TenderAnnounced("T-77", "2026-03-02T10:00:00+02:00", "2026-12-01"));
        await host.SendAsync(Ev.TenderDateChanged("T-77", "2026-06-15T11:00:00+03:00", "2027-01-15"));
        await host.SendAsync(Ev.TenderResult("T-77", "2027-01-20T12:00:00+02:00", "won"));
        await host.AdvanceToAsync(At("2027-03-01T00:00:00+02:00"));

        Assert.Empty(host.Outbox.All); // Before: "9 milestones already past" and "won: kick-off", months late.
        var missed = host.Missed.Items.Select(m => m.Item.Kind).ToList();
        Assert.Contains(nameof(NotificationKind.TenderResultFollowUp), missed);
        Assert.Equal("won", (await host.ResultAsync("tender:T-77")).Outcome);
    }

    [Theory]
    [InlineData("2026-04-23T12:00:00+03:00", false)] // Down until Thursday noon: the call (Tuesday 09:00) is past its one-business-day grace.
    [InlineData("2026-04-21T12:00:00+03:00", true)] // Down until Tuesday noon: three hours late, it still goes out.
    public async Task ProposalFollowUp_HostDownWhenTheCallWasDue_LateTimerMissesItPastTheGrace_SendsItWithin(string backAt, bool sent)
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-20T10:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-04-20T10:00:00+03:00", 125_000m, "2026-05-29"));
        host.Clock.MoveTo(At(backAt)); // Nothing ran meanwhile; the timers fire when the host is back.
        await host.AdvanceToAsync(At(backAt).AddMinutes(10));

        Assert.Equal(sent ? 1 : 0, host.Outbox.Of(NotificationKind.ProposalCallToConfirmReceipt).Count);
        Assert.Equal(sent ? [] : ["proposal:P-1|ProposalCallToConfirmReceipt|v1|call"], host.Missed.Items.Select(m => m.Item.Id));
    }

    [Fact]
    public async Task CatchUp_TimerFiringLongAfterItsTime_OpensTheWindow()
    {
        var timing = new Common.TimingOptions();
        Assert.False(Common.CatchUp.TimerWasLate(At("2026-04-24T09:00:00Z"), At("2026-04-24T09:14:00Z"), timing));
        Assert.True(Common.CatchUp.TimerWasLate(At("2026-04-24T09:00:00Z"), At("2026-04-24T09:16:00Z"), timing));
    }

    public static TheoryData<string> Samples() => ["proposal-never-acknowledged", "tender-date-moves-twice", "sale-cycle-three-years"];

    /// <summary>The simulator's samples as histories posted in one go (virtual time): no notification about the past goes out.</summary>
    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Sample_DeliveredAsOneBacklog_SendsNoStaleAlert_AndRecordsWhatWasMissed(string sample)
    {
        var now = At("2030-06-05T10:00:00Z");
        var history = SampleHistory.Load(Path.Combine(RepositoryRoot.Find(), "samples", sample + ".json"), now, TimeSpan.FromDays(14));
        var scenario = Scenario.Parse(history.ScenarioJson);
        var onTime = await new ScenarioSimulator().RunAsync(scenario, now.AddDays(60));
        var backlog = await new ScenarioSimulator().RunAsBacklogAsync(scenario, now, now.AddDays(60));

        var stale = StaleAlerts.Of(backlog.Notifications.Select(n => (n.NotificationId, n.Kind.ToString())), onTime.Notifications.Select(n => (n.NotificationId, n.SendAt)), now);
        Assert.True(stale.Count == 0, $"{sample}: {stale.Count} stale alert(s):\n  " + string.Join("\n  ", stale));
        Assert.NotEmpty(backlog.Missed!);
        Assert.All(backlog.Missed!, m => Assert.True(m.DueAt < now, $"{m.Id} is due {m.DueAt:O}, after the backlog arrived"));
    }

    private static string Backfill(string json) => "{\"kambackfill\":true," + json[1..];
}
