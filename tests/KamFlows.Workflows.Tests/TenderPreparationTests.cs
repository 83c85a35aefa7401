namespace KamFlows.Workflows.Tests;

/// <summary>DOMAIN.md "Tenders": preparation from T−9 months with milestones relative to T.</summary>
public sealed class TenderPreparationTests
{
    private const string Key = "tender:T-77";

    [Fact]
    public async Task TenderPreparation_AnnouncedNineMonthsAhead_SendsEveryMilestoneAtNineOnItsBusinessDay_ThenTheResult()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-02T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.TenderAnnounced("T-77", "2026-03-02T10:00:00+02:00", "2026-12-01"));
        await host.AdvanceToAsync(At("2026-12-02T00:00:00+02:00"));

        var milestones = host.Outbox.Of(NotificationKind.TenderMilestoneDue);
        Assert.Equal(
            [
                "map_dmu 2026-03-06T09:00:00+02:00",
                "key_success_factors 2026-04-02T09:00:00+03:00", // T−240 is Easter Sunday; Good Friday is a holiday.
                "shape_requirements 2026-06-04T09:00:00+03:00",
                "references_ready 2026-08-03T09:00:00+03:00",
                "bid_no_bid 2026-09-02T09:00:00+03:00",
                "proposal_team 2026-10-02T09:00:00+03:00",
                "draft_review 2026-10-30T09:00:00+02:00", // T−30 is a Sunday, after the change back to winter time.
                "final_approval 2026-11-24T09:00:00+02:00",
                "submission 2026-12-01T09:00:00+02:00",
            ],
            milestones.Select(m => $"{m.Fields["milestone"].Text} {RecordingOutbox.Local(m)}"));
        Assert.All(milestones, m => Assert.Equal(m.SendAt, m.Invite!.Start));
        Assert.Equal("2026-04-02", milestones[1].Fields["due_on"].Date);
        Assert.Empty(host.Outbox.Of(NotificationKind.TenderMilestonesOverdue));

        await host.AdvanceToAsync(At("2026-12-15T10:00:00+02:00"));
        await host.SendAsync(Ev.TenderResult("T-77", "2026-12-15T10:00:00+02:00", "won"));
        var result = host.Outbox.One(NotificationKind.TenderResultFollowUp);
        Assert.Equal("won", result.Fields["outcome"].Text);
        Assert.Equal("2026-12-15T10:00:00+02:00", RecordingOutbox.Local(result));
        Assert.Equal("won", (await host.ResultAsync(Key)).Outcome);
    }

    [Fact]
    public async Task TenderPreparation_RegisteredLate_ReportsThePastMilestonesOnceInsteadOfABurst()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-06-10T10:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.TenderAnnounced("T-77", "2026-06-10T10:00:00+03:00", "2026-12-01"));
        await host.AdvanceToAsync(At("2026-08-04T00:00:00+03:00"));

        var overdue = host.Outbox.One(NotificationKind.TenderMilestonesOverdue);
        Assert.Equal("tender:T-77|TenderMilestonesOverdue|registration", overdue.NotificationId);
        Assert.Equal("2026-06-10T10:00:00+03:00", RecordingOutbox.Local(overdue));
        Assert.Equal(
            ["map_dmu 2026-03-06", "key_success_factors 2026-04-02", "shape_requirements 2026-06-04"],
            Milestones(overdue.Fields["overdue_milestones"]));
        Assert.Equal(["references_ready"], host.Outbox.Of(NotificationKind.TenderMilestoneDue).Select(m => m.Fields["milestone"].Text));
        Assert.Equal("2026-08-03T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.TenderMilestoneDue)));
    }

    [Fact]
    public async Task TenderPreparation_DateMovedLater_FutureMilestonesMoveAndPastOnesStayDone()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-02T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.TenderAnnounced("T-77", "2026-03-02T10:00:00+02:00", "2026-12-01"));
        await host.AdvanceToAsync(At("2026-04-10T10:00:00+03:00"));
        await host.SendAsync(Ev.TenderDateChanged("T-77", "2026-04-10T10:00:00+03:00", "2027-01-15"));
        await host.AdvanceToAsync(At("2026-09-18T00:00:00+03:00"));

        var moved = host.Outbox.One(NotificationKind.TenderDateMoved);
        Assert.Equal("2026-04-10T10:00:00+03:00", RecordingOutbox.Local(moved));
        Assert.Equal("2026-12-01", moved.Fields["previous_tender_date"].Date);
        Assert.Equal("2027-01-15", moved.Fields["tender_date"].Date);
        Assert.Equal("shape_requirements 2026-07-17", Milestones(moved.Fields["moved_milestones"])[0]);
        Assert.Equal(7, moved.Fields["moved_milestones"].Rows!.Count);
        Assert.Equal(
            ["map_dmu 2026-03-06T09:00:00+02:00", "key_success_factors 2026-04-02T09:00:00+03:00",
             "shape_requirements 2026-07-17T09:00:00+03:00", "references_ready 2026-09-17T09:00:00+03:00"],
            host.Outbox.Of(NotificationKind.TenderMilestoneDue).Select(m => $"{m.Fields["milestone"].Text} {RecordingOutbox.Local(m)}"));
        Assert.Empty(host.Outbox.Of(NotificationKind.TenderMilestonesOverdue));
    }

    [Fact]
    public async Task TenderPreparation_DateMovedEarlier_MilestonesNowPastAreReportedOnceAsOverdue()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-02T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.TenderAnnounced("T-77", "2026-03-02T10:00:00+02:00", "2026-12-01"));
        await host.AdvanceToAsync(At("2026-03-10T10:00:00+02:00"));
        await host.SendAsync(Ev.TenderDateChanged("T-77", "2026-03-10T10:00:00+02:00", "2026-09-01"));
        await host.AdvanceToAsync(At("2026-05-05T00:00:00+03:00"));

        var overdue = host.Outbox.One(NotificationKind.TenderMilestonesOverdue);
        Assert.Equal("tender:T-77|TenderMilestonesOverdue|move-1", overdue.NotificationId);
        Assert.Equal(
            ["key_success_factors 2026-01-02", "shape_requirements 2026-03-05"],
            Milestones(overdue.Fields["overdue_milestones"]));
        Assert.Equal(
            ["map_dmu 2026-03-06T09:00:00+02:00", "references_ready 2026-05-04T09:00:00+03:00"],
            host.Outbox.Of(NotificationKind.TenderMilestoneDue).Select(m => $"{m.Fields["milestone"].Text} {RecordingOutbox.Local(m)}"));
    }

    [Fact]
    public async Task TenderPreparation_DateChangeBeforeAnnouncement_IsHeldAndAppliedAfterIt()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-02T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.TenderDateChanged("T-77", "2026-03-02T09:59:00+02:00", "2027-01-15"), Key);
        Assert.Equal("holding", (await host.StatusAsync(Key))!.Phase);
        await host.SendAsync(Ev.TenderAnnounced("T-77", "2026-03-02T09:00:00+02:00", "2026-12-01"));
        await host.AdvanceToAsync(At("2026-05-01T00:00:00+03:00"));

        Assert.Equal("2027-01-15", host.Outbox.One(NotificationKind.TenderDateMoved).Fields["tender_date"].Date);
        // With T = 2027-01-15, T−270 and T−240 are 2026-04-20 and 2026-05-20: only the first is due before May.
        Assert.Equal(["map_dmu 2026-04-20T09:00:00+03:00"],
            host.Outbox.Of(NotificationKind.TenderMilestoneDue).Select(m => $"{m.Fields["milestone"].Text} {RecordingOutbox.Local(m)}"));
    }

    /// <summary>Milestone rows as "code date" (the templates word the code in the recipient's language).</summary>
    private static List<string> Milestones(KamFlows.Workflows.Notifications.TemplateValue table) =>
        [.. table.Rows!.Select(r => $"{r["milestone"].Text} {r["due_on"].Date}")];
}
