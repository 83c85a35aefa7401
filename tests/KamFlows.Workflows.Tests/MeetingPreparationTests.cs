using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Tests;

/// <summary>
/// Issue 14 item 7, seed 003 ("late to meetings, unprepared negotiations"): preparation before every meeting, a prompt
/// to record its outcome after it. The KAM is in Helsinki (+02:00 until 29 March 2026, +03:00 after; Finnish holidays).
/// </summary>
public sealed class MeetingPreparationTests
{
    private const string Key = "meeting:M-1";

    /// <summary>An invite's SEQUENCE for a version heard at <paramref name="heard"/>: seconds since 1 January 2020 UTC.</summary>
    private static int Seq(string heard) => (int)(At(heard) - new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds;

    /// <summary>Acme with its DMU, an open and a resolved complaint, open, accepted and lapsed proposals, and a meeting held in February.</summary>
    private static void AcmeWithHistory(InMemoryAccountReader r)
    {
        Acme(r);
        r.Complaints["CP-1"] = new ComplaintFacts("CP-1", null, At("2026-03-10T10:00:00+02:00"), null);
        r.Complaints["CP-0"] = new ComplaintFacts("CP-0", null, At("2026-01-10T10:00:00+02:00"), At("2026-01-15T10:00:00+02:00"));
        r.Proposals["P-1"] = new ProposalFacts("P-1", 2, "acknowledged", new DateOnly(2026, 4, 30));
        r.Proposals["P-2"] = new ProposalFacts("P-2", 1, "accepted", new DateOnly(2026, 6, 30));
        r.Proposals["P-3"] = new ProposalFacts("P-3", 1, "sent", new DateOnly(2026, 3, 1));
        r.HeldMeetings["M-0"] = new HeldMeetingFacts("M-0", At("2026-02-10T14:00:00+02:00"), "Pilot scope agreed", "Pilot review with IT");
    }

    [Fact]
    public async Task Meeting_Scheduled_PreparationTheBusinessDayBeforeAtNine_WithAttendeesHistoryAndOpenIssues()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: AcmeWithHistory);
        Assert.Equal([Key, "account:ACME"], await host.SendToAllAsync(Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00",
            subject: "Pilot results", contactIds: ["C-1"], location: "Acme HQ, Espoo")));
        await host.AdvanceToAsync(At("2026-03-19T14:00:00+02:00"));

        var prep = host.Outbox.One(NotificationKind.MeetingPreparationReminder);
        Assert.Equal(KamEmail, prep.Recipient.Email);
        Assert.Equal("2026-03-18T09:00:00+02:00", RecordingOutbox.Local(prep)); // Wednesday, the business day before Thursday's meeting.
        Assert.Equal("M-1", prep.Fields["meeting_id"].Text);
        Assert.Equal(At("2026-03-19T14:00:00+02:00"), prep.Fields["meeting_at"].Instant);
        Assert.Equal("Pilot results", prep.Fields["meeting_subject"].Text);
        Assert.Equal("Acme HQ, Espoo", prep.Fields["meeting_location"].Text);
        var attendee = Assert.Single(prep.Fields["attendees"].Rows!); // Only the contact the CRM named, not the whole DMU.
        Assert.Equal(("Mikko Laine", "executive", "supporter"), (attendee["name"].Text, attendee["role"].Text, attendee["attitude"].Text));
        Assert.Equal(["Mikko Laine", "Sari Koski"], prep.Fields["dmu"].Rows!.Select(row => row["name"].Text));
        var complaint = Assert.Single(prep.Fields["open_complaints"].Rows!); // CP-0 was resolved.
        Assert.Equal(("CP-1", "2026-03-10"), (complaint["complaint_id"].Text, complaint["opened_on"].Date));
        var proposal = Assert.Single(prep.Fields["open_proposals"].Rows!); // P-2 accepted, P-3 lapsed on 1 March.
        Assert.Equal(("P-1", 2m, "2026-04-30"), (proposal["proposal_id"].Text, proposal["version"].Number, proposal["valid_until"].Date));
        var last = Assert.Single(prep.Fields["recent_meetings"].Rows!);
        Assert.Equal(("2026-02-10", "Pilot scope agreed", "Pilot review with IT"), (last["held_on"].Date, last["summary"].Text, last["next_step"].Text));
        Assert.NotNull(prep.Invite);
        Assert.Equal((At("2026-03-19T14:00:00+02:00"), TimeSpan.FromHours(1)), (prep.Invite!.Start, prep.Invite.Duration)); // No end given: one hour.
        Assert.Equal((195_811_200, Seq("2026-03-16T10:00:00+02:00")), (prep.Invite.Sequence, prep.Invite.Sequence)); // Seconds from 2020-01-01Z to when the schedule was heard.
        Assert.Equal("Acme HQ, Espoo", prep.Invite.Location);
        Assert.Empty(host.Outbox.Of(NotificationKind.MeetingOutcomeNotRecorded)); // Not before the meeting is over.
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalMeetingPreparation));
    }

    [Fact]
    public async Task Meeting_NoOutcomeRecorded_PromptTheNextBusinessMorning_OnceMore_ThenTheWorkflowEnds()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00", endsAt: "2026-03-19T16:30:00+02:00", subject: "Pilot results"));
        await host.AdvanceToAsync(At("2026-06-30T00:00:00+03:00"));

        var prompts = host.Outbox.Of(NotificationKind.MeetingOutcomeNotRecorded);
        // Friday morning after Thursday's meeting, then 2 business days later (Tuesday; the weekend is not counted); never a third.
        Assert.Equal(["2026-03-20T09:00:00+02:00", "2026-03-24T09:00:00+02:00"], prompts.Select(RecordingOutbox.Local));
        Assert.Equal([1m, 2m], prompts.Select(p => p.Fields["reminder_number"].Number!.Value));
        Assert.All(prompts, p => Assert.Equal(KamEmail, p.Recipient.Email));
        Assert.All(prompts, p => Assert.Equal("Pilot results", p.Fields["meeting_subject"].Text));
        Assert.Equal("outcome-not-recorded", (await host.ResultAsync(Key)).Outcome);
        Assert.Empty(host.Upcoming.PlanOf(Key));
    }

    [Fact]
    public async Task Meeting_OutcomeReminderBusinessDaysConfigured_TheRepeatFollowsIt()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-30T10:00:00+03:00"), options => options.Meetings.OutcomeReminderBusinessDays = 1, accounts: r => Acme(r));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-30T10:00:00+03:00", "2026-04-01T14:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-04-30T00:00:00+03:00"));

        // Wednesday's meeting: Thursday morning, then 1 business day later: Good Friday and Easter Monday are Finnish holidays.
        Assert.Equal(["2026-04-02T09:00:00+03:00", "2026-04-07T09:00:00+03:00"], host.Outbox.Of(NotificationKind.MeetingOutcomeNotRecorded).Select(RecordingOutbox.Local));
    }

    [Fact]
    public async Task Meeting_ScheduledLaterThanThePreparationDay_PreparationAtOnce_OrAtNightWhenTheMeetingIsBeforeOpening()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-18T15:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-18T15:00:00+02:00", "2026-03-19T10:00:00+02:00")); // In working hours: at once.
        await host.AdvanceToAsync(At("2026-03-18T20:00:00+02:00"));
        await host.SendAsync(Ev.MeetingScheduled("M-2", "2026-03-18T20:00:00+02:00", "2026-03-19T08:30:00+02:00")); // The office opens after it starts: at once, at night.
        await host.AdvanceToAsync(At("2026-03-19T09:00:00+02:00"));
        await host.SendAsync(Ev.MeetingScheduled("M-3", "2026-03-19T09:00:00+02:00", "2026-03-19T08:45:00+02:00")); // Already begun: nothing to prepare.
        await host.AdvanceToAsync(At("2026-03-19T12:00:00+02:00"));

        var preps = host.Outbox.Of(NotificationKind.MeetingPreparationReminder);
        Assert.Equal(["meeting:M-1", "meeting:M-2"], preps.Select(p => p.SourceKey));
        Assert.Equal(["2026-03-18T15:00:00+02:00", "2026-03-18T20:00:00+02:00"], preps.Select(RecordingOutbox.Local));
    }

    [Fact]
    public async Task Meeting_Moved_PreparationAndPromptsMove_InviteUpdated()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-26T14:00:00+02:00"));
        await host.AdvanceToAsync(At("2026-03-17T11:00:00+02:00"));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-17T11:00:00+02:00", "2026-03-31T11:00:00+03:00", endsAt: "2026-03-31T12:30:00+03:00"));
        await host.AdvanceToAsync(At("2026-04-30T00:00:00+03:00"));

        var prep = host.Outbox.One(NotificationKind.MeetingPreparationReminder); // Nothing for the old date (Wednesday 25 March).
        Assert.Equal("2026-03-30T09:00:00+03:00", RecordingOutbox.Local(prep));
        Assert.Equal(At("2026-03-31T11:00:00+03:00"), prep.Fields["meeting_at"].Instant);
        Assert.Equal((TimeSpan.FromMinutes(90), Seq("2026-03-17T11:00:00+02:00")), (prep.Invite!.Duration, prep.Invite.Sequence)); // The version heard at the move.
        Assert.Equal(["2026-04-01T09:00:00+03:00", "2026-04-07T09:00:00+03:00"], host.Outbox.Of(NotificationKind.MeetingOutcomeNotRecorded).Select(RecordingOutbox.Local));
        Assert.Empty(host.Outbox.Of(NotificationKind.MeetingMovedNotice)); // No invite was out yet: the preparation carries it.
    }

    [Fact]
    public async Task Meeting_MovedAfterItsPreparation_PreparedAgainForTheNewDate_AnOlderScheduleArrivingLateChangesNothing()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        var first = Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00");
        await host.SendAsync(first);
        await host.AdvanceToAsync(At("2026-03-18T12:00:00+02:00"));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-18T12:00:00+02:00", "2026-03-24T14:00:00+02:00"));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-17T12:00:00+02:00", "2026-03-20T14:00:00+02:00")); // Written before the move, delivered after it.
        await host.AdvanceToAsync(At("2026-03-24T12:00:00+02:00"));

        Assert.Equal(["2026-03-18T09:00:00+02:00", "2026-03-23T09:00:00+02:00"], host.Outbox.Of(NotificationKind.MeetingPreparationReminder).Select(RecordingOutbox.Local));
        Assert.Empty(host.Outbox.Of(NotificationKind.MeetingOutcomeNotRecorded)); // Not for the date it was moved away from.
        var moved = host.Outbox.One(NotificationKind.MeetingMovedNotice); // One: the late older schedule moves nothing.
        Assert.Equal(("2026-03-18T12:00:00+02:00", At("2026-03-24T14:00:00+02:00")), (RecordingOutbox.Local(moved), moved.Fields["meeting_at"].Instant));
    }

    [Fact]
    public async Task Meeting_Cancelled_NothingMoreIsSent_ANoticeOnlyWhereAnInviteWentOut()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-26T14:00:00+02:00"));
        await host.SendAsync(Ev.MeetingScheduled("M-2", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00"));
        await host.AdvanceToAsync(At("2026-03-18T12:00:00+02:00"));
        Assert.Equal(["meeting:M-2"], host.Outbox.Of(NotificationKind.MeetingPreparationReminder).Select(p => p.SourceKey));
        await host.SendAsync(Ev.MeetingCancelled("M-1", "2026-03-18T12:00:00+02:00"), Key); // Before its preparation: no invite to withdraw.
        await host.SendAsync(Ev.MeetingCancelled("M-2", "2026-03-18T12:00:00+02:00"), "meeting:M-2"); // After its preparation went out.
        await host.AdvanceToAsync(At("2026-04-30T00:00:00+03:00"));

        Assert.Single(host.Outbox.Of(NotificationKind.MeetingPreparationReminder));
        Assert.Empty(host.Outbox.Of(NotificationKind.MeetingOutcomeNotRecorded));
        Assert.Equal(["meeting:M-2"], host.Outbox.Of(NotificationKind.MeetingCancelledNotice).Select(n => n.SourceKey));
        Assert.Equal("cancelled", (await host.ResultAsync(Key)).Outcome);
        Assert.Equal("cancelled", (await host.ResultAsync("meeting:M-2")).Outcome);
        Assert.Empty(host.Upcoming.PlanOf(Key));
        Assert.Empty(host.Upcoming.PlanOf("meeting:M-2"));
    }

    [Fact]
    public async Task Meeting_CancelledAfterItsPreparation_TheKamToldAtOnceEvenAtNight_TheInviteWithdrawn()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00", endsAt: "2026-03-19T15:30:00+02:00",
            subject: "Pilot results", contactIds: ["C-1"], location: "Acme HQ, Espoo"));
        await host.AdvanceToAsync(At("2026-03-18T21:30:00+02:00"));
        var prep = host.Outbox.One(NotificationKind.MeetingPreparationReminder);
        await host.SendAsync(Ev.MeetingCancelled("M-1", "2026-03-18T21:30:00+02:00"), Key); // After hours: the next business moment would be too late to trust.
        await host.AdvanceToAsync(At("2026-04-30T00:00:00+03:00"));

        var (notice, enqueuedAt) = Assert.Single(host.Outbox.Stored, s => s.Request.Kind == NotificationKind.MeetingCancelledNotice);
        Assert.Equal(KamEmail, notice.Recipient.Email);
        Assert.Equal("2026-03-18T21:30:00+02:00", RecordingOutbox.Local(notice)); // At once, not Thursday 09:00.
        Assert.Equal(At("2026-03-18T21:30:00+02:00"), enqueuedAt);
        Assert.Equal("meeting:M-1|MeetingCancelledNotice|cancelled", notice.NotificationId);
        Assert.Equal("M-1", notice.Fields["meeting_id"].Text);
        Assert.Equal(At("2026-03-19T14:00:00+02:00"), notice.Fields["meeting_at"].Instant);
        Assert.Equal("Pilot results", notice.Fields["meeting_subject"].Text);
        Assert.Equal("The client's board meeting moved", notice.Fields["cancellation_reason"].Text);
        Assert.True(NotificationCatalog.MissingFields(notice).Count == 0);

        var invite = notice.Invite!;
        Assert.True(invite.Cancelled);
        Assert.Equal((prep.Invite!.Uid, "meeting:M-1"), (invite.Uid, Key));
        Assert.Equal((Seq("2026-03-16T10:00:00+02:00"), Seq("2026-03-18T21:30:00+02:00")), (prep.Invite.Sequence, invite.Sequence)); // Above the invite it withdraws: heard later.
        Assert.Equal((At("2026-03-19T14:00:00+02:00"), TimeSpan.FromMinutes(90), "Europe/Helsinki"), (invite.Start, invite.Duration, invite.TimeZone));
        Assert.Equal(prep.Invite with { Sequence = invite.Sequence, Cancelled = true }, invite); // The same meeting, withdrawn.

        Assert.Empty(host.Outbox.Of(NotificationKind.MeetingOutcomeNotRecorded));
        Assert.Equal("cancelled", (await host.ResultAsync(Key)).Outcome);
        Assert.Empty(host.Upcoming.PlanOf(Key));
    }

    [Fact]
    public async Task Meeting_CancelledAfterItsStart_OrHeardOfOnlyAfterIt_NoNotice()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00"));
        await host.SendAsync(Ev.MeetingScheduled("M-2", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00"));
        await host.AdvanceToAsync(At("2026-03-19T14:30:00+02:00"));
        Assert.Equal(2, host.Outbox.Of(NotificationKind.MeetingPreparationReminder).Count);
        await host.SendAsync(Ev.MeetingCancelled("M-1", "2026-03-19T14:30:00+02:00"), Key); // The meeting began half an hour ago.
        await host.SendAsync(Ev.MeetingCancelled("M-2", "2026-03-19T13:00:00+02:00"), "meeting:M-2"); // Cancelled before the start, delivered after it.
        await host.AdvanceToAsync(At("2026-04-30T00:00:00+03:00"));

        Assert.Empty(host.Outbox.Of(NotificationKind.MeetingCancelledNotice));
        Assert.Empty(host.Outbox.Of(NotificationKind.MeetingOutcomeNotRecorded));
        Assert.Equal("cancelled", (await host.ResultAsync(Key)).Outcome);
        Assert.Equal("cancelled", (await host.ResultAsync("meeting:M-2")).Outcome);
    }

    [Fact]
    public async Task Meeting_CancellationDeliveredLateAtNight_BeforeAnEarlyMeeting_NoticeAtOnceWhenHeard_NotTheNextBusinessMorning()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-19T08:00:00+02:00"));
        await host.AdvanceToAsync(At("2026-03-18T21:00:00+02:00"));
        Assert.Equal("2026-03-18T09:00:00+02:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.MeetingPreparationReminder)));
        await host.SendAsync(Ev.MeetingCancelled("M-1", "2026-03-18T20:00:00+02:00"), Key); // Written at 20:00, reaching KamFlows an hour late.
        await host.AdvanceToAsync(At("2026-03-19T12:00:00+02:00"));

        // Heard at 21:00; held two minutes while the backlog settles, then sent: not at 09:00, after the 08:00 meeting.
        var (notice, enqueuedAt) = Assert.Single(host.Outbox.Stored, s => s.Request.Kind == NotificationKind.MeetingCancelledNotice);
        Assert.Equal("2026-03-18T21:00:00+02:00", RecordingOutbox.Local(notice));
        Assert.Equal(At("2026-03-18T21:02:00+02:00"), enqueuedAt);
        Assert.Equal((Seq("2026-03-18T21:00:00+02:00"), true), (notice.Invite!.Sequence, notice.Invite.Cancelled)); // When it was heard, not written.
        Assert.Equal("cancelled", (await host.ResultAsync(Key)).Outcome);
    }

    [Fact]
    public async Task Meeting_CancelledTwice_OneNotice_EvenWhenTheSecondComesAfterTheWorkflowEnded()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00"));
        await host.AdvanceToAsync(At("2026-03-18T15:00:00+02:00"));
        await host.SendAsync(Ev.MeetingCancelled("M-1", "2026-03-18T15:00:00+02:00"), Key);
        await host.SendAsync(Ev.MeetingCancelled("M-1", "2026-03-18T15:00:00+02:00"), Key); // The CRM sends it again (another event id).
        await host.AdvanceToAsync(At("2026-03-18T16:00:00+02:00"));
        Assert.Equal("cancelled", (await host.ResultAsync(Key)).Outcome);
        await host.SendAsync(Ev.MeetingCancelled("M-1", "2026-03-18T16:00:00+02:00"), Key); // Once more, to the ended instance.
        await host.AdvanceToAsync(At("2026-05-30T00:00:00+03:00"));

        var notice = host.Outbox.One(NotificationKind.MeetingCancelledNotice);
        Assert.Equal("2026-03-18T15:00:00+02:00", RecordingOutbox.Local(notice));
        Assert.Single(host.Outbox.Of(NotificationKind.MeetingPreparationReminder));
        Assert.Equal("cancelled", (await host.ResultAsync(Key)).Outcome); // A cancellation does not start the ended instance again.
    }

    [Fact]
    public async Task Meeting_MovedThenCancelled_TheWithdrawalSupersedesTheLastInviteSent_AndSaysNoReasonWhenNoneWasGiven()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00"));
        await host.SendAsync(Ev.MeetingScheduled("M-2", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00"));
        await host.AdvanceToAsync(At("2026-03-18T12:00:00+02:00"));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-18T12:00:00+02:00", "2026-03-24T14:00:00+02:00"), Key);
        await host.SendAsync(Ev.MeetingScheduled("M-2", "2026-03-18T12:00:00+02:00", "2026-03-24T14:00:00+02:00"), "meeting:M-2");
        await host.SendAsync(Ev.MeetingScheduled("M-2", "2026-03-18T12:05:00+02:00", "2026-03-25T14:00:00+02:00"), "meeting:M-2"); // Moved twice.
        await host.AdvanceToAsync(At("2026-03-20T10:00:00+02:00"));
        await host.SendAsync(Ev.MeetingCancelled("M-2", "2026-03-20T10:00:00+02:00"), "meeting:M-2"); // Before its new preparation: the calendar holds the second move's update.
        await host.AdvanceToAsync(At("2026-03-23T12:00:00+02:00"));
        var noReason = Ev.Make(KamFlows.Domain.Events.CanonicalEventTypes.MeetingCancelled, "2026-03-23T12:00:00+02:00", new System.Text.Json.Nodes.JsonObject { ["meeting_id"] = "M-1" });
        await host.SendAsync(noReason, Key); // After the update for the new date went out.
        await host.AdvanceToAsync(At("2026-04-30T00:00:00+03:00"));

        var m1 = host.Outbox.Of(NotificationKind.MeetingPreparationReminder).Where(p => p.SourceKey == Key).ToList();
        Assert.Equal(["2026-03-18T09:00:00+02:00", "2026-03-23T09:00:00+02:00"], m1.Select(RecordingOutbox.Local));
        Assert.Equal([Seq("2026-03-16T10:00:00+02:00"), Seq("2026-03-18T12:00:00+02:00")], m1.Select(p => p.Invite!.Sequence));
        var moves = host.Outbox.Of(NotificationKind.MeetingMovedNotice);
        Assert.Equal([(Key, Seq("2026-03-18T12:00:00+02:00")), ("meeting:M-2", Seq("2026-03-18T12:00:00+02:00")), ("meeting:M-2", Seq("2026-03-18T12:00:00+02:00") + 1)],
            moves.Select(m => (m.SourceKey, m.Invite!.Sequence))); // M-2's two moves heard in the same second: still increasing.
        var notices = host.Outbox.Of(NotificationKind.MeetingCancelledNotice).ToDictionary(n => n.SourceKey);
        Assert.Equal("2026-03-23T12:00:00+02:00", RecordingOutbox.Local(notices[Key]));
        Assert.Equal((Key, Seq("2026-03-23T12:00:00+02:00"), true), (notices[Key].Invite!.Uid, notices[Key].Invite!.Sequence, notices[Key].Invite!.Cancelled)); // Above the update's.
        Assert.Equal(At("2026-03-24T14:00:00+02:00"), notices[Key].Invite!.Start);
        Assert.Equal(string.Empty, notices[Key].Fields["cancellation_reason"].Text);

        Assert.Equal("2026-03-20T10:00:00+02:00", RecordingOutbox.Local(notices["meeting:M-2"]));
        Assert.Equal(("meeting:M-2", Seq("2026-03-20T10:00:00+02:00"), true), (notices["meeting:M-2"].Invite!.Uid, notices["meeting:M-2"].Invite!.Sequence, notices["meeting:M-2"].Invite!.Cancelled));
        Assert.True(notices["meeting:M-2"].Invite!.Sequence > moves[^1].Invite!.Sequence);
        Assert.Equal(At("2026-03-25T14:00:00+02:00"), notices["meeting:M-2"].Fields["meeting_at"].Instant);
        Assert.Single(host.Outbox.Of(NotificationKind.MeetingPreparationReminder), p => p.SourceKey == "meeting:M-2");
        Assert.Empty(host.Outbox.Of(NotificationKind.MeetingOutcomeNotRecorded));
    }

    [Fact]
    public async Task Meeting_MovedAfterItsInviteWentOut_TheKamToldAtOnceEvenAtNight_FromAndTo_TheInviteUpdated_ThePreparationAgainNotBelowIt()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00", endsAt: "2026-03-19T15:30:00+02:00",
            subject: "Pilot results", contactIds: ["C-1"], location: "Acme HQ, Espoo"));
        await host.AdvanceToAsync(At("2026-03-18T21:30:00+02:00"));
        var prep = host.Outbox.One(NotificationKind.MeetingPreparationReminder);
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-18T21:30:00+02:00", "2026-03-26T10:00:00+02:00",
            subject: "Pilot results", contactIds: ["C-1"], location: "Acme HQ, Espoo"), Key); // After hours, the evening before the old date.
        await host.AdvanceToAsync(At("2026-04-30T00:00:00+03:00"));

        var (notice, enqueuedAt) = Assert.Single(host.Outbox.Stored, s => s.Request.Kind == NotificationKind.MeetingMovedNotice);
        Assert.Equal(("meeting:M-1|MeetingMovedNotice|moved|1", KamEmail), (notice.NotificationId, notice.Recipient.Email));
        Assert.Equal("2026-03-18T21:30:00+02:00", RecordingOutbox.Local(notice)); // At once, not Thursday 09:00 (when the old time would be due).
        Assert.Equal(At("2026-03-18T21:30:00+02:00"), enqueuedAt);
        Assert.Equal("M-1", notice.Fields["meeting_id"].Text);
        Assert.Equal(At("2026-03-19T14:00:00+02:00"), notice.Fields["previous_meeting_at"].Instant); // From the time the KAM's calendar shows.
        Assert.Equal(At("2026-03-26T10:00:00+02:00"), notice.Fields["meeting_at"].Instant);
        Assert.Equal(("Pilot results", "Acme HQ, Espoo"), (notice.Fields["meeting_subject"].Text, notice.Fields["meeting_location"].Text));
        Assert.Empty(NotificationCatalog.MissingFields(notice));

        var invite = notice.Invite!;
        Assert.False(invite.Cancelled);
        Assert.Equal((At("2026-03-26T10:00:00+02:00"), TimeSpan.FromHours(1)), (invite.Start, invite.Duration)); // The new time, its own length (no end given).
        Assert.Equal(prep.Invite! with { Start = invite.Start, Duration = invite.Duration, Sequence = invite.Sequence }, invite); // Same UID: the same meeting, updated.
        Assert.Equal((Seq("2026-03-16T10:00:00+02:00"), Seq("2026-03-18T21:30:00+02:00")), (prep.Invite!.Sequence, invite.Sequence));

        var preps = host.Outbox.Of(NotificationKind.MeetingPreparationReminder);
        Assert.Equal(["2026-03-18T09:00:00+02:00", "2026-03-25T09:00:00+02:00"], preps.Select(RecordingOutbox.Local));
        Assert.Equal(invite.Sequence, preps[1].Invite!.Sequence); // The same version: not below the notice's.
        Assert.Equal(At("2026-03-26T10:00:00+02:00"), preps[1].Invite!.Start);
        Assert.Equal(["2026-03-27T09:00:00+02:00", "2026-03-31T09:00:00+03:00"], host.Outbox.Of(NotificationKind.MeetingOutcomeNotRecorded).Select(RecordingOutbox.Local));
    }

    [Fact]
    public async Task Meeting_MovedTwiceBeforeTheNoticeGoesOut_OneNoticeWithTheLatestTime_MovedBackNone()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00"));
        await host.SendAsync(Ev.MeetingScheduled("M-2", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00"));
        await host.AdvanceToAsync(At("2026-03-18T12:00:00+02:00"));
        Assert.Equal(2, host.Outbox.Of(NotificationKind.MeetingPreparationReminder).Count);
        // Written an hour ago, reaching KamFlows late: held while the backlog settles, and the next move comes meanwhile.
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-18T11:00:00+02:00", "2026-03-24T14:00:00+02:00"), Key);
        await host.SendAsync(Ev.MeetingScheduled("M-2", "2026-03-18T11:00:00+02:00", "2026-03-24T14:00:00+02:00"), "meeting:M-2");
        await host.AdvanceToAsync(At("2026-03-18T12:01:00+02:00"));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-18T12:01:00+02:00", "2026-03-25T15:00:00+02:00"), Key);
        await host.SendAsync(Ev.MeetingScheduled("M-2", "2026-03-18T12:01:00+02:00", "2026-03-19T14:00:00+02:00"), "meeting:M-2"); // Back to the time the calendar shows.
        await host.AdvanceToAsync(At("2026-03-26T00:00:00+02:00"));

        var notice = host.Outbox.One(NotificationKind.MeetingMovedNotice);
        Assert.Equal((Key, "meeting:M-1|MeetingMovedNotice|moved|2"), (notice.SourceKey, notice.NotificationId));
        Assert.Equal((At("2026-03-19T14:00:00+02:00"), At("2026-03-25T15:00:00+02:00")), (notice.Fields["previous_meeting_at"].Instant, notice.Fields["meeting_at"].Instant));
        Assert.Equal((At("2026-03-25T15:00:00+02:00"), Seq("2026-03-18T12:01:00+02:00")), (notice.Invite!.Start, notice.Invite.Sequence));
        var m1 = host.Outbox.Of(NotificationKind.MeetingPreparationReminder).Where(p => p.SourceKey == Key).ToList();
        Assert.Equal(["2026-03-18T09:00:00+02:00", "2026-03-24T09:00:00+02:00"], m1.Select(RecordingOutbox.Local)); // None for the 24th's meeting it never kept.
        Assert.True(m1[1].Invite!.Sequence >= notice.Invite.Sequence);
        Assert.Single(host.Outbox.Of(NotificationKind.MeetingPreparationReminder), p => p.SourceKey == "meeting:M-2"); // Its invite was right all along.
    }

    [Fact]
    public async Task Meeting_MovedHeardOnlyAfterTheNewStart_NoNotice()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00"));
        await host.AdvanceToAsync(At("2026-03-19T14:30:00+02:00"));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-19T14:30:00+02:00", "2026-03-19T14:15:00+02:00"), Key); // Began a quarter of an hour late.
        await host.AdvanceToAsync(At("2026-04-30T00:00:00+03:00"));

        Assert.Empty(host.Outbox.Of(NotificationKind.MeetingMovedNotice));
        Assert.Single(host.Outbox.Of(NotificationKind.MeetingPreparationReminder));
        Assert.Equal(["2026-03-20T09:00:00+02:00", "2026-03-24T09:00:00+02:00"], host.Outbox.Of(NotificationKind.MeetingOutcomeNotRecorded).Select(RecordingOutbox.Local));
    }

    [Fact]
    public async Task Meeting_ScheduledAgainAfterItWasCancelled_TheNewInstancesInviteSequenceIsAboveTheCancellations()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00"));
        await host.AdvanceToAsync(At("2026-03-18T12:00:00+02:00"));
        await host.SendAsync(Ev.MeetingCancelled("M-1", "2026-03-18T12:00:00+02:00"), Key);
        await host.AdvanceToAsync(At("2026-03-18T12:30:00+02:00"));
        Assert.Equal("cancelled", (await host.ResultAsync(Key)).Outcome);
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-18T12:30:00+02:00", "2026-03-26T14:00:00+02:00")); // The CRM reinstates it: a new instance.
        await host.AdvanceToAsync(At("2026-03-26T12:00:00+02:00"));

        var cancel = host.Outbox.One(NotificationKind.MeetingCancelledNotice);
        var preps = host.Outbox.Of(NotificationKind.MeetingPreparationReminder);
        Assert.Equal(["2026-03-18T09:00:00+02:00", "2026-03-25T09:00:00+02:00"], preps.Select(RecordingOutbox.Local));
        Assert.Equal([Key, Key, Key], new[] { preps[0].Invite!.Uid, cancel.Invite!.Uid, preps[1].Invite!.Uid });
        Assert.Equal([Seq("2026-03-16T10:00:00+02:00"), Seq("2026-03-18T12:00:00+02:00"), Seq("2026-03-18T12:30:00+02:00")],
            new[] { preps[0].Invite!.Sequence, cancel.Invite.Sequence, preps[1].Invite!.Sequence });
        Assert.True(preps[1].Invite!.Sequence > cancel.Invite.Sequence, "A calendar ignores an invite whose SEQUENCE is not above the cancellation it holds.");
        Assert.False(preps[1].Invite!.Cancelled);
        Assert.Empty(host.Outbox.Of(NotificationKind.MeetingMovedNotice)); // The new instance sent no invite before: nothing to move.
    }

    [Fact]
    public async Task Meeting_LoggedBeforeTheNextMorning_NoPrompt_TheWorkflowEnds()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00"));
        await host.AdvanceToAsync(At("2026-03-19T17:00:00+02:00"));
        Assert.Contains(host.Upcoming.PlanOf(Key), a => a.Kind == nameof(NotificationKind.MeetingOutcomeNotRecorded));
        var logged = Ev.MeetingLoggedFor("M-1", "2026-03-19T17:00:00+02:00", "2026-03-19T14:00:00+02:00");
        Assert.Equal(["account:ACME", Key], await host.SendToAllAsync(logged)); // The account stays the primary: its timeline is unchanged.
        await host.AdvanceToAsync(At("2026-04-30T00:00:00+03:00"));

        Assert.Single(host.Outbox.Of(NotificationKind.MeetingPreparationReminder));
        Assert.Empty(host.Outbox.Of(NotificationKind.MeetingOutcomeNotRecorded));
        Assert.Equal("outcome-recorded", (await host.ResultAsync(Key)).Outcome);
    }

    [Fact]
    public async Task Meeting_ScheduledAgainAfterItWasLogged_ARestartedInstanceSendsNothing()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00"));
        await host.AdvanceToAsync(At("2026-03-19T16:00:00+02:00"));
        await host.SendToAllAsync(Ev.MeetingLoggedFor("M-1", "2026-03-19T16:00:00+02:00", "2026-03-19T14:00:00+02:00"));
        Assert.Equal("outcome-recorded", (await host.ResultAsync(Key)).Outcome);
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-19T16:30:00+02:00", "2026-03-19T14:00:00+02:00", subject: "Pilot results (notes added)")); // The CRM re-sends the edited record.
        await host.AdvanceToAsync(At("2026-04-30T00:00:00+03:00"));

        Assert.Single(host.Outbox.Of(NotificationKind.MeetingPreparationReminder));
        Assert.Empty(host.Outbox.Of(NotificationKind.MeetingOutcomeNotRecorded));
        Assert.Equal("ended-before-scheduled", (await host.ResultAsync(Key)).Outcome);
    }

    [Fact]
    public async Task Meeting_SubjectEditedAfterTheMeeting_StillAsksForItsOutcome()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00"));
        await host.AdvanceToAsync(At("2026-03-19T16:00:00+02:00"));
        await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-19T16:00:00+02:00", "2026-03-19T14:00:00+02:00", subject: "Pilot results"), Key);
        await host.AdvanceToAsync(At("2026-04-30T00:00:00+03:00"));

        Assert.Equal(["2026-03-20T09:00:00+02:00", "2026-03-24T09:00:00+02:00"], host.Outbox.Of(NotificationKind.MeetingOutcomeNotRecorded).Select(RecordingOutbox.Local));
        Assert.Equal("Pilot results", host.Outbox.Of(NotificationKind.MeetingOutcomeNotRecorded)[0].Fields["meeting_subject"].Text);
    }

    [Fact]
    public async Task ProposalMeeting_ReportedAsScheduled_PreparedOnceByTheMeetingWorkflow_NotByTheProposal()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-16T10:00:00+02:00", 125_000m, "2026-05-29"));
        await host.AdvanceToAsync(At("2026-03-16T15:00:00+02:00"));
        await host.SendToAllAsync(Ev.Acknowledged("P-1", "2026-03-16T15:00:00+02:00"));
        await host.SendToAllAsync(Ev.MeetingAgreed("P-1", "2026-03-17T11:00:00+02:00", "2026-03-24T10:00:00+02:00"));
        Assert.Equal(["meeting:M-1", "proposal:P-1", "account:ACME"], await host.SendToAllAsync(
            Ev.MeetingScheduled("M-1", "2026-03-17T11:00:00+02:00", "2026-03-24T10:00:00+02:00", subject: "Proposal P-1", proposalId: "P-1", contactIds: ["C-2"])));
        await host.AdvanceToAsync(At("2026-03-24T12:00:00+02:00"));

        var prep = host.Outbox.One(NotificationKind.MeetingPreparationReminder);
        Assert.Equal(("meeting:M-1", "2026-03-23T09:00:00+02:00"), (prep.SourceKey, RecordingOutbox.Local(prep)));
        Assert.Equal(["Sari Koski"], prep.Fields["attendees"].Rows!.Select(r => r["name"].Text));
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalMeetingPreparation)); // No second preparation mail for the same meeting.
    }

    [Fact]
    public async Task ProposalMeeting_OnlyScheduled_CountsAsTheMeetingAgreed_NoMeetingNotAgreedReminders()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-16T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-16T10:00:00+02:00", 125_000m, "2026-05-29"));
        await host.AdvanceToAsync(At("2026-03-16T15:00:00+02:00"));
        await host.SendToAllAsync(Ev.Acknowledged("P-1", "2026-03-16T15:00:00+02:00"));
        await host.SendToAllAsync(Ev.MeetingScheduled("M-1", "2026-03-17T11:00:00+02:00", "2026-04-14T10:00:00+03:00", proposalId: "P-1"));
        await host.AdvanceToAsync(At("2026-04-15T00:00:00+03:00"));

        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalMeetingNotAgreed)); // First due three business days after the acknowledgement.
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalMeetingPreparation));
        Assert.Equal("2026-04-13T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.MeetingPreparationReminder)));
    }

    [Fact]
    public async Task AccountCare_AScheduledMeetingIsContactWithTheClient_ACancelledOneIsNot()
    {
        async Task<IReadOnlyList<NotificationRequest>> DormancyAfterAsync(string meetingEvent)
        {
            await using var host = await WorkflowHost.StartAsync(At("2026-02-10T10:00:00+02:00"), o => o.AccountCare.DormantAfterDays = 60, r => Acme(r));
            await host.SendAsync(Ev.AccountUpserted("2026-02-10T10:00:00+02:00"));
            await host.SendAsync(Ev.MeetingLogged("2026-02-10T12:00:00+02:00", "2026-02-10T11:00:00+02:00"), "account:ACME");
            await host.AdvanceToAsync(At("2026-03-20T10:00:00+02:00"));
            await host.SendAsync(meetingEvent, "account:ACME");
            await host.AdvanceToAsync(At("2026-04-14T10:00:00+03:00"));
            return host.Outbox.Of(NotificationKind.RelationshipDormant);
        }

        var afterCancel = Assert.Single(await DormancyAfterAsync(Ev.MeetingCancelled("M-7", "2026-03-20T10:00:00+02:00")));
        Assert.Equal(("2026-04-13T09:00:00+03:00", "2026-02-10"), (RecordingOutbox.Local(afterCancel), afterCancel.Fields["last_contact_on"].Date));
        Assert.Empty(await DormancyAfterAsync(Ev.MeetingScheduled("M-7", "2026-03-20T10:00:00+02:00", "2026-05-05T10:00:00+03:00")));
    }
}
