namespace KamFlows.Workflows.Tests;

/// <summary>Events that arrive late (CRM outage, backfill): tasks still go out, in business hours; stale reminders do not.</summary>
public sealed class LateEventTests
{
    [Fact]
    public async Task ProposalFollowUp_SentEventArrivesLateAtNight_TheMissedTaskGoesOutNextBusinessMorning_AndStaleRemindersAreSkipped()
    {
        // Sent on Monday 20 April, but the CRM delivers the event on Saturday night at 03:00.
        await using var host = await WorkflowHost.StartAsync(At("2026-04-25T03:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-04-20T10:00:00+03:00", 125_000m, "2026-04-30"));
        Assert.Empty(host.Outbox.All); // Nothing at 3 a.m., not even queued for later: an acknowledgement on Sunday would make it moot.
        Assert.Contains(host.Upcoming.PlanOf("proposal:P-1"), a => a.Kind == "ProposalCallToConfirmReceipt" && a.DueAt == At("2026-04-27T09:00:00+03:00"));

        await host.AdvanceToAsync(At("2026-05-05T00:00:00+03:00"));

        var call = host.Outbox.One(NotificationKind.ProposalCallToConfirmReceipt);
        Assert.Equal("2026-04-27T09:00:00+03:00", RecordingOutbox.Local(call)); // Due 21 April; sent the next business morning.
        var reminder = host.Outbox.One(NotificationKind.ProposalExpiryReminder);
        Assert.Equal("proposal:P-1|ProposalExpiryReminder|v1|1bd", reminder.NotificationId); // "7 business days left" would be false by now.
        Assert.Equal("2026-04-29T09:00:00+03:00", RecordingOutbox.Local(reminder));
    }

    [Fact]
    public async Task ProposalFollowUp_LateTaskPutOffOverTheWeekend_IsDroppedWhenTheClientAcknowledgesMeanwhile()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-25T03:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-04-20T10:00:00+03:00", 125_000m, "2026-05-29"));
        await host.AdvanceToAsync(At("2026-04-26T12:00:00+03:00"));
        await host.SendAsync(Ev.Acknowledged("P-1", "2026-04-26T12:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-04-28T00:00:00+03:00"));

        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalCallToConfirmReceipt));
        Assert.Equal("2026-04-27T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.ProposalAskNextSteps)));
    }
}
