namespace KamFlows.Workflows.Tests;

/// <summary>
/// Issue 14, item 2 (DOMAIN.md "Complaints", seed 001): one workflow per complaint — the KAM's task the same business
/// day, reminders on the resolution time, the head when it is overdue, a follow-up with the client after resolution.
/// </summary>
public sealed class ComplaintHandlingTests
{
    private const string Key = "complaint:CP-1";

    [Fact]
    public async Task Complaint_NeverResolved_TaskAtOnce_RemindersBeforeTheDate_HeadTheBusinessDayAfter()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-26T11:00:00+02:00"), accounts: r => Acme(r));
        Assert.Equal([Key, "account:ACME"], await host.SendToAllAsync(Ev.ComplaintOpened("CP-1", "2026-03-26T11:00:00+02:00")));
        await host.AdvanceToAsync(At("2026-04-20T00:00:00+03:00"));

        var task = host.Outbox.One(NotificationKind.ComplaintReceived);
        Assert.Equal(KamEmail, task.Recipient.Email);
        Assert.Equal("2026-03-26T11:00:00+02:00", RecordingOutbox.Local(task)); // Arrived in working hours: the same moment.
        Assert.Equal("Late spare parts", task.Fields["complaint_summary"].Text);
        Assert.Equal("2026-04-02", task.Fields["resolve_by"].Date); // 5 business days (the default).

        var reminders = host.Outbox.Of(NotificationKind.ComplaintResolutionReminder);
        Assert.Equal(["2026-03-31T09:00:00+03:00", "2026-04-02T09:00:00+03:00"], reminders.Select(RecordingOutbox.Local));
        Assert.Equal([2m, 0m], reminders.Select(r => r.Fields["business_days_left"].Number!.Value));

        var overdue = host.Outbox.One(NotificationKind.ComplaintOverdue);
        Assert.Equal(HeadEmail, overdue.Recipient.Email);
        Assert.Equal("2026-04-07T09:00:00+03:00", RecordingOutbox.Local(overdue)); // One KAM business day late: Good Friday and Easter Monday are Finnish holidays.
        Assert.Equal("Anna Virtanen", overdue.Fields["kam_name"].Text);
        Assert.True(overdue.SendAt > reminders[^1].SendAt); // The KAM is reminded before the head hears.
        Assert.Contains(host.Upcoming.PlanOf(Key), a => a.Kind == "ComplaintReceived"); // Still an open task.
    }

    [Fact]
    public async Task Complaint_OpenedAfterHours_TaskTheNextBusinessMorning()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-27T19:30:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ComplaintOpened("CP-1", "2026-03-27T19:30:00+02:00"));
        await host.AdvanceToAsync(At("2026-03-31T00:00:00+03:00"));

        Assert.Equal("2026-03-30T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.ComplaintReceived)));
    }

    [Fact]
    public async Task Complaint_ResolvedInTime_NoMoreRemindersNoHead_FollowUpWithTheClient_ClosedEndsIt()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-26T11:00:00+02:00"), options => options.ComplaintHandling.ResolutionBusinessDays = 3,
            accounts: r => Acme(r));
        await host.SendAsync(Ev.ComplaintOpened("CP-1", "2026-03-26T11:00:00+02:00"));
        await host.AdvanceToAsync(At("2026-03-30T15:00:00+03:00"));
        await host.SendAsync(Ev.ComplaintResolvedWith("CP-1", "2026-03-30T15:00:00+03:00", "Parts delivered by courier"), Key);
        await host.AdvanceToAsync(At("2026-04-10T00:00:00+03:00"));

        Assert.Equal("2026-03-31", host.Outbox.One(NotificationKind.ComplaintReceived).Fields["resolve_by"].Date); // Configured: 3 business days.
        Assert.Equal(["2026-03-27T09:00:00+02:00"], host.Outbox.Of(NotificationKind.ComplaintResolutionReminder).Select(RecordingOutbox.Local)); // None after it was resolved.
        Assert.Empty(host.Outbox.Of(NotificationKind.ComplaintOverdue));
        var followUp = host.Outbox.One(NotificationKind.ComplaintFollowUp);
        Assert.Equal("2026-04-01T09:00:00+03:00", RecordingOutbox.Local(followUp));
        Assert.Equal("Parts delivered by courier", followUp.Fields["resolution"].Text);
        Assert.Equal("2026-03-30", followUp.Fields["resolved_on"].Date);
        Assert.Contains(host.Upcoming.PlanOf(Key), a => a.Kind == "ComplaintFollowUp"); // Open until the client confirms.

        await host.SendAsync(Ev.ComplaintClosed("CP-1", "2026-04-10T10:00:00+03:00"), Key);
        Assert.Equal("closed", (await host.ResultAsync(Key)).Outcome);
        Assert.Empty(host.Upcoming.PlanOf(Key));
    }

    [Fact]
    public async Task Complaint_ResolvedButNeverClosed_EndsAfterTheCloseWait()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-26T11:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ComplaintOpened("CP-1", "2026-03-26T11:00:00+02:00"));
        await host.SendAsync(Ev.ComplaintResolved("CP-1", "2026-03-26T16:00:00+02:00"), Key);
        await host.AdvanceToAsync(At("2026-05-15T00:00:00+03:00"));

        Assert.Equal("resolved", (await host.ResultAsync(Key)).Outcome);
        Assert.Single(host.Outbox.Of(NotificationKind.ComplaintFollowUp));
        Assert.Empty(host.Outbox.Of(NotificationKind.ComplaintResolutionReminder));
    }
}
