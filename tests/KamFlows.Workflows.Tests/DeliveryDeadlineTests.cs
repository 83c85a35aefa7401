namespace KamFlows.Workflows.Tests;

/// <summary>
/// Issue 14 item 7, seed 003: the KAM controls the delivery team's deadlines. <c>kam.delivery.scheduled</c> starts the
/// delivery's workflow before completion: "check with the delivery team" 5 and 1 business days before the deadline, an
/// overdue task the business morning after it, the head 3 business days later, a notice when the deadline moves; only a
/// delivery done on time (against that deadline) leads to a reference-letter request.
/// </summary>
public sealed class DeliveryDeadlineTests
{
    private const string Key = "delivery:D-5";

    [Fact]
    public async Task DeliveryScheduled_NeverCompleted_ChecksFiveAndOneBusinessDaysBefore_OverdueTheMorningAfter_HeadThreeBusinessDaysLater()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-27T10:00:00+03:00"), accounts: r => Acme(r));
        Assert.Equal([Key, "account:ACME"], await host.SendToAllAsync(Ev.DeliveryScheduled("D-5", "2026-04-27T10:00:00+03:00", "2026-05-20")));
        await host.AdvanceToAsync(At("2026-06-30T00:00:00+03:00"));

        var checks = host.Outbox.Of(NotificationKind.DeliveryDeadlineApproaching);
        Assert.Equal(["2026-05-12T09:00:00+03:00", "2026-05-19T09:00:00+03:00"], checks.Select(RecordingOutbox.Local)); // Ascension Day (14 May) is not a business day.
        Assert.Equal([5m, 1m], checks.Select(c => c.Fields["business_days_left"].Number!.Value));
        Assert.All(checks, c =>
        {
            Assert.Equal(KamEmail, c.Recipient.Email);
            Assert.Equal("2026-05-20", c.Fields["due_on"].Date);
            Assert.Equal("Jukka Mäkinen", c.Fields["team_lead_name"].Text);
            Assert.Equal("jukka.makinen@supplier.example", c.Fields["team_lead_email"].Text);
            Assert.Equal("Fleet maintenance, phase 1", c.Fields["delivery_description"].Text);
        });

        var overdue = host.Outbox.One(NotificationKind.DeliveryOverdue);
        Assert.Equal(KamEmail, overdue.Recipient.Email);
        Assert.Equal("2026-05-21T09:00:00+03:00", RecordingOutbox.Local(overdue));
        Assert.Equal(3m, overdue.Fields["escalate_after_business_days"].Number);

        var head = host.Outbox.One(NotificationKind.TaskOverdueEscalation);
        Assert.Equal(HeadEmail, head.Recipient.Email);
        Assert.Equal("2026-05-26T09:00:00+03:00", RecordingOutbox.Local(head)); // 22, 25, 26 May: three of the KAM's business days.
        Assert.Equal(nameof(NotificationKind.DeliveryOverdue), head.Fields["task_kind"].Text);
        Assert.Equal(3m, head.Fields["overdue_days"].Number);
        Assert.Contains("was due on 2026-05-20", head.Fields["task_summary"].Text, StringComparison.Ordinal);

        Assert.Equal(4, host.Outbox.All.Count(r => r.SourceKey == Key)); // Nothing else: no reference ask, no moved notice, no second overdue.
        Assert.Equal("waiting", (await host.StatusAsync(Key))!.Phase); // Still watching: the delivery is not done.
    }

    [Fact]
    public async Task DeliveryScheduled_OverdueTheDayBeforeMidsummer_WaitsForTheNextBusinessMorning_AndConfiguredPeriodsApply()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-06-01T10:00:00+03:00"), o =>
        {
            o.Deliveries.CheckBusinessDaysBefore = [2];
            o.Deliveries.EscalateAfterBusinessDays = 1;
        }, r => Acme(r));
        await host.SendAsync(Ev.DeliveryScheduled("D-5", "2026-06-01T10:00:00+03:00", "2026-06-18", teamLeadName: null, teamLeadEmail: null));
        await host.AdvanceToAsync(At("2026-06-30T00:00:00+03:00"));

        var check = host.Outbox.One(NotificationKind.DeliveryDeadlineApproaching);
        Assert.Equal("2026-06-16T09:00:00+03:00", RecordingOutbox.Local(check));
        Assert.Equal(string.Empty, check.Fields["team_lead_name"].Text); // No team lead named: the text says "the delivery team".
        Assert.Equal("2026-06-22T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.DeliveryOverdue))); // 19 June, Midsummer Eve, is a Finnish holiday.
        Assert.Equal("2026-06-23T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.TaskOverdueEscalation)));
    }

    [Fact]
    public async Task DeliveryScheduled_CompletedOnTime_StopsTheWatch_AndTheReferenceFlowRunsAsBefore()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-27T10:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.DeliveryScheduled("D-5", "2026-04-27T10:00:00+03:00", "2026-05-20"));
        await host.AdvanceToAsync(At("2026-05-19T15:00:00+03:00"));
        await host.SendAsync(Ev.DeliveryCompleted("D-5", "2026-05-19T15:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-06-03T00:00:00+03:00"));

        Assert.Equal(2, host.Outbox.Of(NotificationKind.DeliveryDeadlineApproaching).Count);
        Assert.Empty(host.Outbox.Of(NotificationKind.DeliveryOverdue));
        Assert.Empty(host.Outbox.Of(NotificationKind.TaskOverdueEscalation));
        var ask = host.Outbox.One(NotificationKind.ReferenceLetterAsk);
        Assert.Equal("2026-06-02T09:00:00+03:00", RecordingOutbox.Local(ask)); // 14 days after the completion, as before.
        Assert.Equal("2026-05-19", ask.Fields["completed_on"].Date);
    }

    [Fact]
    public async Task DeliveryScheduled_CompletedAfterTheDeadline_IsLateEvenWhenTheCrmSaysOnTime_NoReferenceAsk()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-27T10:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.DeliveryScheduled("D-5", "2026-04-27T10:00:00+03:00", "2026-05-20"));
        await host.AdvanceToAsync(At("2026-05-22T10:00:00+03:00"));
        await host.SendAsync(Ev.DeliveryCompleted("D-5", "2026-05-22T10:00:00+03:00", onTime: true));

        Assert.Equal("not-on-time", (await host.ResultAsync(Key)).Outcome);
        Assert.Equal("2026-05-21T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.DeliveryOverdue)));
        Assert.Empty(host.Outbox.Of(NotificationKind.TaskOverdueEscalation)); // Completion came before the head was due to hear.
        Assert.Empty(host.Outbox.Of(NotificationKind.ReferenceLetterAsk));
        Assert.Empty(host.Outbox.Of(NotificationKind.ReferenceLetterRequestToClient));
    }

    [Fact]
    public async Task DeliveryScheduled_CompletedOnTheDueDateInTheEvening_IsOnTime()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-27T10:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.DeliveryScheduled("D-5", "2026-04-27T10:00:00+03:00", "2026-05-20"));
        await host.AdvanceToAsync(At("2026-05-20T21:00:00+03:00"));
        await host.SendAsync(Ev.DeliveryCompleted("D-5", "2026-05-20T21:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-06-05T00:00:00+03:00"));

        Assert.Empty(host.Outbox.Of(NotificationKind.DeliveryOverdue));
        Assert.Equal("2026-06-03T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.ReferenceLetterAsk)));
    }

    [Fact]
    public async Task DeliveryDeadlineMovedLater_KamToldFromAndTo_RemindersFollow_TheOneAlreadySentIsNotRepeated()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-27T10:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.DeliveryScheduled("D-5", "2026-04-27T10:00:00+03:00", "2026-05-20"));
        await host.AdvanceToAsync(At("2026-05-13T10:00:00+03:00"));
        await host.SendAsync(Ev.DeliveryScheduled("D-5", "2026-05-13T10:00:00+03:00", "2026-06-10"));
        await host.AdvanceToAsync(At("2026-06-10T20:00:00+03:00"));

        var moved = host.Outbox.One(NotificationKind.DeliveryDeadlineMoved);
        Assert.Equal(KamEmail, moved.Recipient.Email);
        Assert.Equal("2026-05-13T10:00:00+03:00", RecordingOutbox.Local(moved)); // In working hours: at once.
        Assert.Equal(("2026-05-20", "2026-06-10"), (moved.Fields["previous_due_on"].Date, moved.Fields["due_on"].Date));

        var checks = host.Outbox.Of(NotificationKind.DeliveryDeadlineApproaching);
        Assert.Equal(["2026-05-12T09:00:00+03:00", "2026-06-09T09:00:00+03:00"], checks.Select(RecordingOutbox.Local));
        Assert.Equal(["2026-05-20", "2026-06-10"], checks.Select(c => c.Fields["due_on"].Date));
        Assert.Empty(host.Outbox.Of(NotificationKind.DeliveryOverdue)); // 20 May is no longer the deadline.

        await host.SendAsync(Ev.DeliveryScheduled("D-5", "2026-06-10T20:00:00+03:00", "2026-06-10")); // The same date again: nothing new.
        await host.AdvanceToAsync(At("2026-06-11T10:00:00+03:00"));
        Assert.Single(host.Outbox.Of(NotificationKind.DeliveryDeadlineMoved));
        Assert.Equal("2026-06-11T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.DeliveryOverdue)));
    }

    [Fact]
    public async Task DeliveryDeadlineMovedEarlier_ChecksAlreadyPastAreNotSent_TheRestMove()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-05-04T10:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.DeliveryScheduled("D-5", "2026-05-04T10:00:00+03:00", "2026-05-29"));
        await host.AdvanceToAsync(At("2026-05-20T18:30:00+03:00"));
        await host.SendAsync(Ev.DeliveryScheduled("D-5", "2026-05-20T18:30:00+03:00", "2026-05-25")); // After working hours.
        await host.AdvanceToAsync(At("2026-05-25T20:00:00+03:00"));

        Assert.Equal("2026-05-21T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.DeliveryDeadlineMoved))); // The next business morning.
        var check = host.Outbox.One(NotificationKind.DeliveryDeadlineApproaching); // 5 before 25 May was 18 May, already past: not sent late.
        Assert.Equal("2026-05-22T09:00:00+03:00", RecordingOutbox.Local(check));
        Assert.Equal(1m, check.Fields["business_days_left"].Number);
        Assert.Empty(host.Outbox.Of(NotificationKind.DeliveryOverdue));
    }

    [Fact]
    public async Task DeliveryDeadlineMissedThenMoved_HeadNotToldAboutTheOldDate_NewDateWatchedAfresh_CompletionStillLate()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-27T10:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.DeliveryScheduled("D-5", "2026-04-27T10:00:00+03:00", "2026-05-20"));
        await host.AdvanceToAsync(At("2026-05-22T10:00:00+03:00"));
        Assert.Single(host.Outbox.Of(NotificationKind.DeliveryOverdue));

        await host.SendAsync(Ev.DeliveryScheduled("D-5", "2026-05-22T10:00:00+03:00", "2026-06-05"));
        await host.AdvanceToAsync(At("2026-06-04T15:00:00+03:00"));
        Assert.Empty(host.Outbox.Of(NotificationKind.TaskOverdueEscalation)); // The KAM answered the overdue task with a new date.
        Assert.Equal(
            ["2026-05-12T09:00:00+03:00", "2026-05-19T09:00:00+03:00", "2026-05-29T09:00:00+03:00", "2026-06-04T09:00:00+03:00"],
            host.Outbox.Of(NotificationKind.DeliveryDeadlineApproaching).Select(RecordingOutbox.Local));

        await host.SendAsync(Ev.DeliveryCompleted("D-5", "2026-06-04T15:00:00+03:00", onTime: true));
        Assert.Equal("not-on-time", (await host.ResultAsync(Key)).Outcome); // The first deadline was missed.
        Assert.Empty(host.Outbox.Of(NotificationKind.ReferenceLetterAsk));
    }

    [Fact]
    public async Task DeliveryScheduledAfterCompletion_IsIgnored_TheReferenceFlowIsUnchanged()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-17T15:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.DeliveryCompleted("D-5", "2026-04-17T15:00:00+03:00"));
        await host.SendAsync(Ev.DeliveryScheduled("D-5", "2026-04-20T10:00:00+03:00", "2026-04-10"), Key);
        await host.AdvanceToAsync(At("2026-05-05T00:00:00+03:00"));

        Assert.Equal(["ReferenceLetterAsk"], host.Outbox.All.Select(r => r.Kind.ToString()));
        Assert.Equal("2026-05-04T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.ReferenceLetterAsk)));
    }
}
