using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.Tests;

/// <summary>DOMAIN.md "Commercial proposals": the follow-up algorithm of seed 001 on the KAM's business calendar.</summary>
public sealed class ProposalFollowUpTests
{
    private const string Key = "proposal:P-1";

    [Fact]
    public async Task ProposalFollowUp_NoAcknowledgementAfterOneBusinessDay_SchedulesCallOnMondayNineAfterDstChange()
    {
        // Sent on Friday 16:00 in Helsinki (EET); clocks go forward on Sunday 29 March.
        await using var host = await WorkflowHost.StartAsync(At("2026-03-27T16:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-27T16:00:00+02:00", 125_000m, "2026-04-30"));
        Assert.Empty(host.Outbox.All);

        await host.AdvanceToAsync(At("2026-03-30T12:00:00+03:00"));

        var call = host.Outbox.One(NotificationKind.ProposalCallToConfirmReceipt);
        Assert.Equal("2026-03-30T09:00:00+03:00", RecordingOutbox.Local(call));
        Assert.Equal("proposal:P-1|ProposalCallToConfirmReceipt|v1|call", call.NotificationId);
        Assert.Equal(KamEmail, call.Recipient.Email);
        Assert.Equal(RecipientRole.Kam, call.Recipient.Role);
        Assert.True(call.Essential);
        Assert.Equal("Acme Oy", call.Fields["account_name"].Text);
        Assert.Equal("2026-03-27", call.Fields["sent_on"].Date);
        Assert.Equal(125_000m, call.Fields["proposal_total"].Number);
    }

    [Fact]
    public async Task ProposalFollowUp_AcknowledgedBeforeCallTime_AsksNextStepsAndNeverSchedulesCall()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-27T16:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-27T16:00:00+02:00", 125_000m, "2026-04-30", roles: ["executive"]));
        await host.AdvanceToAsync(At("2026-03-30T08:30:00+03:00"));
        await host.SendAsync(Ev.Acknowledged("P-1", "2026-03-30T08:30:00+03:00"));
        await host.AdvanceToAsync(At("2026-03-30T17:00:00+03:00"));

        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalCallToConfirmReceipt));
        var ask = host.Outbox.One(NotificationKind.ProposalAskNextSteps);
        Assert.Equal("2026-03-30T09:00:00+03:00", RecordingOutbox.Local(ask));
        Assert.Equal(["finance"], ask.Fields["unaddressed_roles"].Items); // The DMU has an executive and a finance person.
    }

    [Fact]
    public async Task ProposalFollowUp_AcknowledgedWithoutMeeting_RemindsAfterThreeThenFiveBusinessDays_SkippingEaster()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-27T16:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-27T16:00:00+02:00", 125_000m, "2026-05-29"));
        await host.AdvanceToAsync(At("2026-03-30T08:30:00+03:00"));
        await host.SendAsync(Ev.Acknowledged("P-1", "2026-03-30T08:30:00+03:00"));
        await host.AdvanceToAsync(At("2026-04-14T00:00:00+03:00"));

        var reminders = host.Outbox.Of(NotificationKind.ProposalMeetingNotAgreed);
        // Three business days after Monday 30 March; then five more, skipping Good Friday and Easter Monday.
        Assert.Equal(["2026-04-02T09:00:00+03:00", "2026-04-13T09:00:00+03:00"], reminders.Select(RecordingOutbox.Local));
        Assert.Equal(17m, reminders[1].Fields["days_since_sent"].Number);

        await host.SendAsync(Ev.MeetingAgreed("P-1", "2026-04-14T10:00:00+03:00", "2026-04-21T14:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-04-30T00:00:00+03:00"));
        Assert.Equal(2, host.Outbox.Of(NotificationKind.ProposalMeetingNotAgreed).Count); // No more once a meeting is agreed.
    }

    [Fact]
    public async Task ProposalFollowUp_SentBeforeAutumnDstChange_CallsOnMondayNineWinterTime()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-10-23T16:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-10-23T16:00:00+03:00", 125_000m, "2026-11-30"));
        await host.AdvanceToAsync(At("2026-10-26T10:00:00+02:00"));

        Assert.Equal("2026-10-26T09:00:00+02:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.ProposalCallToConfirmReceipt)));
    }

    [Fact]
    public async Task ProposalFollowUp_AcknowledgedBeforeSent_IsHeldAndAppliedRightAfterSent()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-27T16:30:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.Acknowledged("P-1", "2026-03-27T16:30:00+02:00"), Key);
        var holding = await host.StatusAsync(Key);
        Assert.Equal("holding", holding!.Phase);
        Assert.Equal(1, holding.Held);

        await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-27T16:00:00+02:00", 125_000m, "2026-04-30"));
        await host.AdvanceToAsync(At("2026-04-01T00:00:00+03:00"));

        Assert.Equal("2026-03-27T16:30:00+02:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.ProposalAskNextSteps)));
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalCallToConfirmReceipt));
        Assert.Equal(0, (await host.StatusAsync(Key))!.Held);
    }

    [Fact]
    public async Task ProposalFollowUp_OnlyAcknowledgementArrives_FinishesAfterTheHoldPeriodReportingWhatWasHeld()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-27T16:30:00+02:00"), accounts: r => Acme(r));
        var ack = Ev.Acknowledged("P-1", "2026-03-27T16:30:00+02:00");
        await host.SendAsync(ack, Key);
        await host.AdvanceToAsync(At("2026-04-26T16:00:00+03:00"));
        Assert.Equal("holding", (await host.StatusAsync(Key))!.Phase); // Still within 30 days.

        await host.AdvanceToAsync(At("2026-04-27T00:00:00+03:00"));

        var result = await host.ResultAsync(Key);
        Assert.Equal("no-start-event", result.Outcome);
        var id = KamFlows.Domain.Events.CanonicalEventParser.ParseOrThrow(ack).Id;
        Assert.Equal(["kam.proposal.acknowledged " + id], result.HeldEvents);
        Assert.Empty(host.Outbox.All);
    }

    [Fact]
    public async Task ProposalFollowUp_ValidityEnding_RemindsSevenAndOneBusinessDaysBefore_SkippingMayDayAndWeekend_ThenExpires()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-20T10:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-04-20T10:00:00+03:00", 125_000m, "2026-05-05"));
        await host.SendAsync(Ev.MeetingAgreed("P-1", "2026-04-20T11:00:00+03:00", "2026-05-12T10:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-05-08T00:00:00+03:00"));

        var reminders = host.Outbox.Of(NotificationKind.ProposalExpiryReminder);
        Assert.Equal(["proposal:P-1|ProposalExpiryReminder|v1|7bd", "proposal:P-1|ProposalExpiryReminder|v1|1bd"], reminders.Select(r => r.NotificationId));
        Assert.Equal(["2026-04-23T09:00:00+03:00", "2026-05-04T09:00:00+03:00"], reminders.Select(RecordingOutbox.Local));
        Assert.Equal([7m, 1m], reminders.Select(r => r.Fields["business_days_left"].Number!.Value));
        var expired = host.Outbox.One(NotificationKind.ProposalExpired);
        Assert.Equal("2026-05-06T09:00:00+03:00", RecordingOutbox.Local(expired));
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalMeetingPreparation)); // The meeting was after the validity end.

        await host.AdvanceToAsync(At("2026-06-06T00:00:00+03:00"));
        Assert.Equal("expired", (await host.ResultAsync(Key)).Outcome);
    }

    [Fact]
    public async Task ProposalFollowUp_DraftUnderTheFloor_RaisesAnApprovalTaskForTheHeadInTheHeadsZone_BeforeItIsSent()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-27T16:00:00+02:00"), accounts: r => Acme(r, priceFloor: 140_000m));
        await host.SendAsync(Ev.ProposalDrafted("P-1", "2026-03-27T16:00:00+02:00", 125_000m, discount: 12.5m));
        await host.SendAsync(Ev.ProposalDrafted("P-2", "2026-03-27T16:00:00+02:00", 150_000m));

        var approval = host.Outbox.One(NotificationKind.ProposalPriceApprovalRequired);
        Assert.Equal("proposal:P-1|ProposalPriceApprovalRequired|v1|price", approval.NotificationId);
        Assert.Equal(HeadEmail, approval.Recipient.Email);
        Assert.Equal(RecipientRole.Head, approval.Recipient.Role);
        Assert.Equal("ru", approval.Recipient.Locale);
        Assert.Equal("2026-03-27T17:00:00+03:00", RecordingOutbox.Local(approval)); // 16:00 in Helsinki is 17:00 in Moscow.
        Assert.Equal(140_000m, approval.Fields["price_floor"].Number);
        Assert.Equal(12.5m, approval.Fields["discount_percent"].Number);
        Assert.Equal("Anna Virtanen", approval.Fields["kam_name"].Text);
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalCallToConfirmReceipt)); // A draft is not followed up with the client.
    }

    [Fact]
    public async Task ProposalFollowUp_MeetingAgreed_SendsPreparationTheBusinessDayBeforeWithInviteDmuAndInteractions()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-20T10:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-04-20T10:00:00+03:00", 125_000m, "2026-05-29", roles: ["executive"]));
        await host.SendAsync(Ev.MeetingAgreed("P-1", "2026-04-20T15:00:00+03:00", "2026-04-30T14:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-05-01T00:00:00+03:00"));

        var prep = host.Outbox.One(NotificationKind.ProposalMeetingPreparation);
        Assert.Equal("2026-04-29T09:00:00+03:00", RecordingOutbox.Local(prep));
        Assert.Equal(["Mikko Laine executive supporter", "Sari Koski finance neutral"], prep.Fields["dmu"].Rows!.Select(r => $"{r["name"].Text} {r["role"].Text} {r["attitude"].Text}"));
        Assert.Equal(["finance"], prep.Fields["unaddressed_roles"].Items);
        Assert.Equal(["2026-04-20 proposal sent (v1)", "2026-04-20 meeting agreed for 2026-04-30"], prep.Fields["recent_interactions"].Items);
        Assert.Equal(At("2026-04-30T14:00:00+03:00"), prep.Fields["meeting_at"].Instant);
        var invite = prep.Invite!;
        Assert.Equal("proposal:P-1|meeting", invite.Uid);
        Assert.Equal(At("2026-04-30T14:00:00+03:00"), invite.Start);
        Assert.Equal("Europe/Helsinki", invite.TimeZone);
        Assert.Equal(TimeSpan.FromHours(1), invite.Duration);
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalCallToConfirmReceipt)); // Agreeing a meeting confirms receipt.
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalAskNextSteps));
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalMeetingNotAgreed));
    }

    [Fact]
    public async Task ProposalFollowUp_Accepted_EndsTheFollowUpAndClearsItsUpcomingActions()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-20T10:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-04-20T10:00:00+03:00", 125_000m, "2026-05-05"));
        Assert.NotEmpty(host.Upcoming.PlanOf(Key));
        await host.AdvanceToAsync(At("2026-04-20T16:00:00+03:00"));
        await host.SendAsync(Ev.Accepted("P-1", "2026-04-20T16:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-05-25T00:00:00+03:00"));

        Assert.Empty(host.Outbox.All);
        Assert.Empty(host.Upcoming.PlanOf(Key));
        Assert.Equal("accepted", (await host.ResultAsync(Key)).Outcome);
    }

    [Fact]
    public async Task ProposalFollowUp_Revised_RestartsTheFollowUpForTheNewVersion()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-20T10:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-04-20T10:00:00+03:00", 125_000m, "2026-05-29"));
        await host.SendAsync(Ev.Acknowledged("P-1", "2026-04-20T11:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-04-22T15:00:00+03:00"));
        await host.SendAsync(Ev.ProposalRevised("P-1", "2026-04-22T15:00:00+03:00", 2, 118_000m, "2026-06-30"));
        await host.AdvanceToAsync(At("2026-04-24T00:00:00+03:00"));

        Assert.Equal("proposal:P-1|ProposalAskNextSteps|v1|next-steps", host.Outbox.One(NotificationKind.ProposalAskNextSteps).NotificationId);
        var call = host.Outbox.One(NotificationKind.ProposalCallToConfirmReceipt);
        Assert.Equal("proposal:P-1|ProposalCallToConfirmReceipt|v2|call", call.NotificationId);
        Assert.Equal("2026-04-23T09:00:00+03:00", RecordingOutbox.Local(call));
        Assert.Equal(118_000m, call.Fields["proposal_total"].Number);
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalMeetingNotAgreed)); // v1's reminder (due 23 April) died with v1.
    }

    [Fact]
    public async Task ProposalFollowUp_RepeatedEvents_NeverSendTheSameReminderTwice()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-20T10:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-04-20T10:00:00+03:00", 125_000m, "2026-05-05"));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-04-20T10:00:00+03:00", 125_000m, "2026-05-05")); // The CRM sent it again.
        await host.AdvanceToAsync(At("2026-04-21T12:00:00+03:00"));
        await host.SendAsync(Ev.Acknowledged("P-1", "2026-04-21T12:00:00+03:00"));
        await host.SendAsync(Ev.Acknowledged("P-1", "2026-04-21T12:05:00+03:00"));
        await host.AdvanceToAsync(At("2026-05-07T00:00:00+03:00"));

        Assert.Single(host.Outbox.Of(NotificationKind.ProposalCallToConfirmReceipt));
        Assert.Single(host.Outbox.Of(NotificationKind.ProposalAskNextSteps));
        Assert.Equal(host.Outbox.All.Count, host.Outbox.All.Select(r => r.NotificationId).Distinct().Count());
        Assert.Equal(host.Outbox.All.Count, host.Outbox.Attempts); // Not even attempted twice: the workflow knows what it sent.
    }

    [Fact]
    public async Task ProposalFollowUp_CallTaskStillOpenTwoBusinessDaysLater_EscalatesToTheHeadOnce()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-27T16:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-27T16:00:00+02:00", 125_000m, "2026-04-30"));
        await host.SendAsync(Ev.ProposalSent("P-2", "2026-03-27T16:00:00+02:00", 125_000m, "2026-04-30"));
        await host.AdvanceToAsync(At("2026-03-31T10:00:00+03:00"));
        await host.SendAsync(Ev.MeetingAgreed("P-2", "2026-03-31T10:00:00+03:00", "2026-04-08T10:00:00+03:00")); // P-2's call was made.
        await host.AdvanceToAsync(At("2026-04-10T00:00:00+03:00"));

        var escalation = host.Outbox.One(NotificationKind.TaskOverdueEscalation);
        Assert.Equal("proposal:P-1|TaskOverdueEscalation|ProposalCallToConfirmReceipt|v1|call", escalation.NotificationId);
        Assert.Equal(HeadEmail, escalation.Recipient.Email);
        Assert.Equal("2026-04-01T09:00:00+03:00", RecordingOutbox.Local(escalation));
        Assert.Equal("ProposalCallToConfirmReceipt", escalation.Fields["task_kind"].Text);
        Assert.Equal(At("2026-03-30T09:00:00+03:00"), escalation.Fields["due_at"].Instant);
        Assert.Equal(2m, escalation.Fields["overdue_days"].Number);
        Assert.Equal("Anna Virtanen", escalation.Fields["kam_name"].Text);
        Assert.Contains("P-1", escalation.Fields["task_summary"].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProposalFollowUp_Plan_IsProjectedPerAccountAndKam_AndAnOpenTaskStaysUntilDone()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-27T16:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-27T16:00:00+02:00", 125_000m, "2026-04-30"));

        var plan = host.Upcoming.PlanOf(Key);
        Assert.Equal(
            ["ProposalCallToConfirmReceipt 2026-03-30T09:00:00+03:00", "ProposalExpiryReminder 2026-04-21T09:00:00+03:00",
             "ProposalExpiryReminder 2026-04-29T09:00:00+03:00", "ProposalExpired 2026-05-04T09:00:00+03:00"],
            plan.Select(a => $"{a.Kind} {a.DueAt:yyyy-MM-dd'T'HH:mm:sszzz}"));
        Assert.All(plan, a => Assert.Equal(KamEmail, a.RecipientEmail));
        var forKam = await host.Upcoming.ForKamAsync(KamEmail, At("2026-03-27T00:00:00Z"), At("2026-04-01T00:00:00Z"), default);
        Assert.Equal([(AccountId, Key)], forKam.Select(x => (x.AccountId, x.SourceKey)));
        var forAccount = await host.Upcoming.ForAccountAsync(AccountId, At("2026-03-27T00:00:00Z"), At("2026-06-01T00:00:00Z"), default);
        Assert.Equal(4, forAccount.Count);

        await host.AdvanceToAsync(At("2026-03-30T12:00:00+03:00"));
        plan = host.Upcoming.PlanOf(Key);
        Assert.Contains(plan, a => a.Kind == "ProposalCallToConfirmReceipt" && a.DueAt == At("2026-03-30T09:00:00+03:00")); // Open task, overdue.
        Assert.Contains(plan, a => a.Kind == "TaskOverdueEscalation" && a.RecipientEmail == HeadEmail && a.DueAt == At("2026-04-01T09:00:00+03:00"));

        await host.SendAsync(Ev.Acknowledged("P-1", "2026-03-30T12:00:00+03:00"));
        plan = host.Upcoming.PlanOf(Key);
        Assert.DoesNotContain(plan, a => a.Kind == "ProposalCallToConfirmReceipt" || a.Title.Contains("Call Acme", StringComparison.Ordinal));
        Assert.Contains(plan, a => a.Kind == "ProposalAskNextSteps"); // The next task replaces it.
    }
}
