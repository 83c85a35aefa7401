namespace KamFlows.Workflows.Tests;

/// <summary>Events that arrive late (CRM outage, backfill): tasks still go out, in business hours; stale reminders do not.</summary>
public sealed class LateEventTests
{
    [Fact]
    public async Task ProposalFollowUp_SentEventArrivesLateAtNight_WithinTheGrace_TheTaskGoesOutNextBusinessMorning()
    {
        // Sent on Thursday 23 April, but the CRM delivers the event on Saturday night at 03:00: the call task (due Friday
        // 09:00) is less than one business day late, so it still goes out, on Monday morning, never at night.
        await using var host = await WorkflowHost.StartAsync(At("2026-04-25T03:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-04-23T10:00:00+03:00", 125_000m, "2026-04-30"));
        await host.AdvanceToAsync(At("2026-04-25T03:10:00+03:00")); // The catch-up hold is over.
        Assert.Empty(host.Outbox.All); // Nothing at 3 a.m., not even queued for later: an acknowledgement on Sunday would make it moot.
        Assert.Contains(host.Upcoming.PlanOf("proposal:P-1"), a => a.Kind == "ProposalCallToConfirmReceipt" && a.DueAt == At("2026-04-27T09:00:00+03:00"));

        await host.AdvanceToAsync(At("2026-05-05T00:00:00+03:00"));

        var call = host.Outbox.One(NotificationKind.ProposalCallToConfirmReceipt);
        Assert.Equal("2026-04-27T09:00:00+03:00", RecordingOutbox.Local(call)); // Due 24 April; sent the next business morning.
        var reminder = host.Outbox.One(NotificationKind.ProposalExpiryReminder);
        Assert.Equal("proposal:P-1|ProposalExpiryReminder|v1|1bd", reminder.NotificationId); // "7 business days left" was never true: sent with less.
        Assert.Equal("2026-04-29T09:00:00+03:00", RecordingOutbox.Local(reminder));
        Assert.Empty(host.Missed.Items);
    }

    [Fact]
    public async Task ProposalFollowUp_SentEventArrivesDaysLate_ItemsPastTheGraceAreRecordedMissed_NotSent_TheRestGoOut()
    {
        // Sent on Monday 20 April, delivered on Saturday 25 April at 03:00: the call task (due Tuesday 09:00) and the
        // "7 business days left" reminder (Tuesday) are more than a business day late: missed, never sent.
        await using var host = await WorkflowHost.StartAsync(At("2026-04-25T03:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-04-20T10:00:00+03:00", 125_000m, "2026-04-30"));
        await host.AdvanceToAsync(At("2026-05-05T00:00:00+03:00"));

        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalCallToConfirmReceipt));
        Assert.Empty(host.Outbox.Of(NotificationKind.TaskOverdueEscalation)); // A task never sent never escalates.
        Assert.Equal("2026-04-29T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.ProposalExpiryReminder)));
        Assert.Equal("2026-05-04T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.ProposalExpired)));
        Assert.Equal(
            ["proposal:P-1|ProposalCallToConfirmReceipt|v1|call 2026-04-21T09:00:00+03:00 " + KamEmail, "proposal:P-1|ProposalExpiryReminder|v1|7bd 2026-04-21T09:00:00+03:00 " + KamEmail],
            host.Missed.Items.Select(m => $"{m.Item.Id} {m.Item.DueAt:yyyy-MM-dd'T'HH:mm:sszzz} {m.Item.RecipientEmail}").Order(StringComparer.Ordinal));
        Assert.All(host.Missed.Items, m => Assert.Equal(("ACME", "Acme Oy", "proposal:P-1"), (m.Record.AccountId, m.Record.AccountName, m.Record.SourceKey)));
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
