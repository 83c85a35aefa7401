namespace KamFlows.Workflows.Tests;

/// <summary>DOMAIN.md "Long sale cycles": stage age and meeting cadence, the next meaningful step, stalled deals.</summary>
public sealed class SaleCycleTests
{
    private const string Key = "opportunity:O-9";

    [Fact]
    public async Task SaleCycle_NoProgress_RemindsTheNextStepAtTheCadence_AlertsTheKamAt45Days_ThenTheHead()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-01-12T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.OpportunityUpserted("O-9", "2026-01-12T10:00:00+02:00", "evaluation_of_options"));
        await host.AdvanceToAsync(At("2026-03-20T00:00:00+02:00"));

        var step = host.Outbox.One(NotificationKind.SaleCycleNextStep);
        Assert.Equal("2026-02-02T09:00:00+02:00", RecordingOutbox.Local(step));
        Assert.Equal("Shape the decision criteria: an expert meeting or a pilot with the technical team", step.Fields["next_step"].Text);
        Assert.Equal(21m, step.Fields["days_in_stage"].Number);
        Assert.Equal("evaluation_of_options", step.Fields["stage"].Text);

        var stalled = host.Outbox.One(NotificationKind.DealStalled);
        Assert.Equal(KamEmail, stalled.Recipient.Email);
        Assert.Equal("2026-02-26T09:00:00+02:00", RecordingOutbox.Local(stalled));
        Assert.Equal(45m, stalled.Fields["days_without_progress"].Number);

        var escalated = host.Outbox.One(NotificationKind.DealStalledEscalation);
        Assert.Equal(HeadEmail, escalated.Recipient.Email);
        Assert.Equal("2026-03-12T09:00:00+03:00", RecordingOutbox.Local(escalated));
        Assert.Equal(59m, escalated.Fields["days_without_progress"].Number);
        Assert.Equal("Anna Virtanen", escalated.Fields["kam_name"].Text);

        // Seed 000: more calls hurt big sales — nothing ever counts calls.
        Assert.DoesNotContain(host.Outbox.All, r => r.Fields.Values.Any(v => v.Text?.Contains("call", StringComparison.OrdinalIgnoreCase) == true));
    }

    [Fact]
    public async Task SaleCycle_MeetingWithAgreedNextStep_RemindsTheDayBefore_AndStallsOnlyAfterThatStepsDatePlusTheThreshold()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-01-12T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.OpportunityUpserted("O-9", "2026-01-12T10:00:00+02:00", "evaluation_of_options"));
        await host.AdvanceToAsync(At("2026-02-20T15:00:00+02:00"));
        await host.SendAsync(Ev.MeetingLogged("2026-02-20T15:00:00+02:00", "2026-02-20T14:00:00+02:00", opportunityId: "O-9",
            nextStep: "Pilot scope review with IT", nextStepDue: "2026-03-05"));
        await host.AdvanceToAsync(At("2026-04-21T00:00:00+03:00"));

        var steps = host.Outbox.Of(NotificationKind.SaleCycleNextStep);
        Assert.Equal(
            ["2026-02-02T09:00:00+02:00", "2026-03-04T09:00:00+02:00", "2026-03-13T09:00:00+02:00"],
            steps.Select(RecordingOutbox.Local));
        Assert.Equal("Pilot scope review with IT", steps[1].Fields["next_step"].Text);
        Assert.Equal("2026-03-05", steps[1].Fields["due_on"].Date);

        // No alert on 26 February: the meeting is progress; none on 7 April either (45 days after the meeting): the step agreed
        // for 5 March keeps the deal on track until then, and the 45 days count from it (19 April is a Sunday).
        var stalled = host.Outbox.One(NotificationKind.DealStalled);
        Assert.Equal("2026-04-20T09:00:00+03:00", RecordingOutbox.Local(stalled));
        Assert.Equal("2026-02-20", stalled.Fields["last_meeting_on"].Date);
        Assert.Equal(59m, stalled.Fields["days_without_progress"].Number);
    }

    [Fact]
    public async Task SaleCycle_StageChangeBeforeTheDealIsKnown_IsHeld_AndWonEndsTheCycle()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-01-12T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.StageChanged("O-9", "2026-01-12T10:00:00+02:00", "decision"), Key);
        Assert.Equal("holding", (await host.StatusAsync(Key))!.Phase);
        await host.SendAsync(Ev.OpportunityUpserted("O-9", "2026-01-12T09:00:00+02:00", "resolution_of_concerns"));
        await host.AdvanceToAsync(At("2026-02-03T00:00:00+02:00"));
        Assert.Equal("decision", host.Outbox.One(NotificationKind.SaleCycleNextStep).Fields["stage"].Text);

        await host.SendAsync(Ev.StageChanged("O-9", "2026-02-03T10:00:00+02:00", "won"));
        await host.AdvanceToAsync(At("2026-06-01T00:00:00+03:00"));
        Assert.Equal("won", (await host.ResultAsync(Key)).Outcome);
        Assert.Empty(host.Outbox.Of(NotificationKind.DealStalled));
        Assert.Empty(host.Upcoming.PlanOf(Key));
    }
}
