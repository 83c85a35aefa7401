namespace KamFlows.Workflows.Tests;

/// <summary>
/// A scenario as the simulator will run it: every event goes to every workflow it concerns (BusinessKey.RoutesFor),
/// time runs virtually, and every notification is collected with its recipient, kind and local time.
/// </summary>
public sealed class ScenarioTests
{
    [Fact]
    public async Task Scenario_EventsRoutedToEveryWorkflow_EachWorkflowSendsItsOwnPartOnce_AtLocalTimes()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-02T09:00:00+02:00"), o =>
        {
            o.AccountCare.BirthdaySweepEveryDays = 30;
            o.AccountCare.BirthdayLookaheadDays = 31;
        }, r => Acme(r));

        Assert.Equal(["account:ACME"], await host.SendToAllAsync(Ev.AccountUpserted("2026-03-02T09:00:00+02:00")));
        Assert.Equal(["opportunity:O-9", "account:ACME"], await host.SendToAllAsync(Ev.OpportunityUpserted("O-9", "2026-03-02T10:00:00+02:00", "evaluation_of_options")));
        await host.SendToAllAsync(Ev.TenderAnnounced("T-77", "2026-03-02T11:00:00+02:00", "2026-12-01"));
        await host.AdvanceToAsync(At("2026-03-27T16:00:00+02:00"));
        await host.SendToAllAsync(Ev.ProposalSent("P-1", "2026-03-27T16:00:00+02:00", 125_000m, "2026-04-30"));
        await host.AdvanceToAsync(At("2026-03-31T10:00:00+03:00"));
        var logged = await host.SendToAllAsync(Ev.MeetingLogged("2026-03-31T10:00:00+03:00", "2026-03-31T09:00:00+03:00", opportunityId: "O-9", proposalId: "P-1",
            nextStep: "Pilot scope review with IT", nextStepDue: "2026-04-09"));
        Assert.Equal(["opportunity:O-9", "proposal:P-1", "account:ACME"], logged.Take(3));
        Assert.StartsWith("meeting:M-", logged[3], StringComparison.Ordinal); // Last: a scheduled meeting of that id would stop asking for its outcome.
        await host.AdvanceToAsync(At("2026-04-10T00:00:00+03:00"));

        Assert.Equal(
            [
                "tender:T-77 TenderMilestoneDue 2026-03-06T09:00:00+02:00 " + KamEmail,
                "opportunity:O-9 SaleCycleNextStep 2026-03-23T09:00:00+02:00 " + KamEmail, // Cadence: three weeks without a meeting.
                "proposal:P-1 ProposalCallToConfirmReceipt 2026-03-30T09:00:00+03:00 " + KamEmail,
                "tender:T-77 TenderMilestoneDue 2026-04-02T09:00:00+03:00 " + KamEmail,
                "opportunity:O-9 SaleCycleNextStep 2026-04-08T09:00:00+03:00 " + KamEmail, // The step agreed at the meeting, the day before.
            ],
            host.Outbox.All.Select(r => $"{r.SourceKey} {r.Kind} {RecordingOutbox.Local(r)} {r.Recipient.Email}"));
        Assert.Equal(host.Outbox.All.Count, host.Outbox.Attempts);

        var upcoming = await host.Upcoming.ForAccountAsync(AccountId, At("2026-04-10T00:00:00Z"), At("2027-01-01T00:00:00Z"), default);
        Assert.Contains(upcoming, a => a.SourceKey == "tender:T-77" && a.Action.Kind == "TenderMilestoneDue" && a.Action.DueAt == At("2026-06-04T09:00:00+03:00"));
        Assert.Contains(upcoming, a => a.SourceKey == "opportunity:O-9" && a.Action.Kind == "DealStalled" && a.Action.DueAt == At("2026-05-25T09:00:00+03:00")); // Issue 14: 45 days after the step agreed for 9 April (24 May is a Sunday), not after the meeting.
        Assert.Contains(upcoming, a => a.SourceKey == "proposal:P-1" && a.Action.Kind == "ProposalExpiryReminder");
        // No revenue reported for Q1: the review waits until 20 days after the quarter (21 April, the next business morning).
        Assert.Contains(upcoming, a => a.SourceKey == "account:ACME" && a.Action.Kind == "QuarterlyBusinessReview" && a.Action.DueAt == At("2026-04-21T09:00:00+03:00"));
    }
}
