using KamFlows.Workflows.SaleCycles;

namespace KamFlows.Workflows.Tests;

/// <summary>
/// Issue 14, item 1: long sales are slow on purpose (seed 000). A deal is stalled against its own pace, not before an
/// agreed next step's date plus its threshold; the head hears only of an unanswered alert; nothing about a won or lost
/// deal, nor its proposals, fires afterwards.
/// </summary>
public sealed class SaleCycleStallTests
{
    private const string Key = "opportunity:O-9";

    [Fact]
    public void StallThreshold_IsTheLongerOfStallDaysAndOneAndAHalfTimesTheMedianGap()
    {
        var options = new SaleCycleOptions();
        var state = new SaleCycleState();
        Assert.Equal(45, SaleCycle.StallThresholdDays(state, options)); // No meetings, no expected close: the configured days.

        state.MeetingsHeld["M-1"] = At("2026-01-06T10:00:00+02:00");
        state.MeetingsHeld["M-2"] = At("2026-01-20T10:00:00+02:00");
        Assert.Equal(45, SaleCycle.StallThresholdDays(state, options)); // A 14-day pace: 21 days would be shorter than 45.

        state.MeetingsHeld["M-3"] = At("2026-04-20T10:00:00+03:00"); // Gaps 14 and 90: median 52, × 1.5 = 78.
        Assert.Equal(78, SaleCycle.StallThresholdDays(state, options));

        state.MeetingsHeld["M-4"] = At("2026-07-20T10:00:00+03:00"); // Gaps 14, 90, 91: median 90 → 135.
        Assert.Equal(135, SaleCycle.StallThresholdDays(state, options));

        options.StallDays = 200;
        Assert.Equal(200, SaleCycle.StallThresholdDays(state, options));
    }

    [Fact]
    public void StallThreshold_BeforeTwoMeetings_EstimatesThePaceFromTheExpectedCloseDate()
    {
        var options = new SaleCycleOptions();
        var state = new SaleCycleState { OpenedAt = At("2026-01-05T09:00:00+02:00"), ExpectedCloseDate = new DateOnly(2028, 12, 31) };
        Assert.Equal(137, SaleCycle.StallThresholdDays(state, options)); // 1091 days / 12 meetings = 90.9, × 1.5 = 136.4 → 137.

        options.ExpectedMeetingsPerCycle = 0;
        Assert.Equal(45, SaleCycle.StallThresholdDays(state, options));
    }

    [Fact]
    public async Task SaleCycle_QuarterlyMeetings_StalledOnlyAfterOneAndAHalfTimesItsOwnPace()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-01-05T09:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.OpportunityUpserted("O-9", "2026-01-05T09:00:00+02:00", "evaluation_of_options"));
        await host.SendAsync(Ev.MeetingLogged("2026-01-07T10:00:00+02:00", "2026-01-07T10:00:00+02:00", opportunityId: "O-9"), Key);
        await host.AdvanceToAsync(At("2026-04-08T10:00:00+03:00"));
        await host.SendAsync(Ev.MeetingLogged("2026-04-08T10:00:00+03:00", "2026-04-08T10:00:00+03:00", opportunityId: "O-9"), Key); // 91 days later.
        await host.AdvanceToAsync(At("2026-07-08T10:00:00+03:00"));
        await host.SendAsync(Ev.MeetingLogged("2026-07-08T10:00:00+03:00", "2026-07-08T10:00:00+03:00", opportunityId: "O-9"), Key); // 91 days later.
        await host.AdvanceToAsync(At("2026-12-31T00:00:00+02:00"));

        // After the first meeting the deal has no pace yet: 45 days (21 February is a Saturday). Between the second and the
        // third meeting it waits 137 days (1.5 × 91), so the quarterly rhythm is never nagged; after the third, 137 days
        // after 8 July is Sunday 22 November: the alert goes on Monday the 23rd.
        Assert.Equal(
            ["2026-02-23T09:00:00+02:00", "2026-11-23T09:00:00+02:00"],
            host.Outbox.Of(NotificationKind.DealStalled).Select(RecordingOutbox.Local));
        Assert.Equal(138m, host.Outbox.Of(NotificationKind.DealStalled)[1].Fields["days_without_progress"].Number);
    }

    [Fact]
    public async Task SaleCycle_AgreedNextStepFarAhead_IsOnTrackUntilThatDatePlusTheThreshold()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-03T09:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.OpportunityUpserted("O-9", "2026-03-03T09:00:00+02:00", "evaluation_of_options"));
        await host.SendAsync(Ev.MeetingLogged("2026-03-03T15:00:00+02:00", "2026-03-03T14:00:00+02:00", opportunityId: "O-9",
            nextStep: "Pilot review", nextStepDue: "2026-05-12"), Key);
        await host.AdvanceToAsync(At("2026-06-20T00:00:00+03:00"));

        // The reviewer's case: nothing on 17 April nor 4 May; the step is reminded the business day before 12 May.
        Assert.Empty(host.Outbox.Of(NotificationKind.DealStalledEscalation));
        Assert.Contains(host.Outbox.Of(NotificationKind.SaleCycleNextStep), r => RecordingOutbox.Local(r) == "2026-05-11T09:00:00+03:00");
        Assert.Equal("2026-06-26T09:00:00+03:00", host.Upcoming.PlanOf(Key).Single(a => a.Kind == "DealStalled").DueAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SaleCycle_KamAnswersTheStallAlertWithAMeetingAndANextStep_TheHeadIsNotTold()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-01-12T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.OpportunityUpserted("O-9", "2026-01-12T10:00:00+02:00", "evaluation_of_options"));
        await host.AdvanceToAsync(At("2026-03-02T11:00:00+02:00"));
        Assert.Equal("2026-02-26T09:00:00+02:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.DealStalled)));

        await host.SendAsync(Ev.MeetingLogged("2026-03-02T11:00:00+02:00", "2026-03-02T10:00:00+02:00", opportunityId: "O-9",
            nextStep: "Expert meeting on the pilot scope", nextStepDue: "2026-04-15"), Key);
        await host.AdvanceToAsync(At("2026-04-10T00:00:00+03:00"));

        Assert.Empty(host.Outbox.Of(NotificationKind.DealStalledEscalation)); // Was due 12 March had the alert gone unanswered.
        Assert.Single(host.Outbox.Of(NotificationKind.DealStalled));
    }

    [Theory]
    [InlineData("won", "accepted")]
    [InlineData("lost", "lost")]
    public async Task SaleCycle_DealWonOrLost_ClosesItsProposals_NothingAboutThemFiresAfterwards(string stage, string proposalOutcome)
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-02T09:00:00+02:00"), accounts: r => Acme(r));
        await host.SendToAllAsync(Ev.OpportunityUpserted("O-9", "2026-03-02T09:00:00+02:00", "decision"));
        Assert.Equal(["proposal:P-1", "opportunity:O-9", "account:ACME"],
            await host.SendToAllAsync(Ev.ProposalSentForDeal("P-1", "O-9", "2026-03-02T10:00:00+02:00", 125_000m, "2026-04-30")));
        await host.SendToAllAsync(Ev.Acknowledged("P-1", "2026-03-02T15:00:00+02:00"));
        await host.AdvanceToAsync(At("2026-03-10T10:00:00+02:00"));
        await host.SendToAllAsync(Ev.StageChanged("O-9", "2026-03-10T10:00:00+02:00", stage));
        await host.AdvanceToAsync(At("2026-06-30T00:00:00+03:00"));

        Assert.Equal(stage, (await host.ResultAsync(Key)).Outcome);
        Assert.Equal(proposalOutcome, (await host.ResultAsync("proposal:P-1")).Outcome);
        var after = At("2026-03-10T10:00:00+02:00");
        Assert.DoesNotContain(host.Outbox.All, r => (r.SourceKey is "proposal:P-1" or Key) && r.SendAt > after);
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalExpired));
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalExpiryReminder));
        Assert.Empty(host.Upcoming.PlanOf("proposal:P-1"));
    }

    [Fact]
    public async Task SaleCycle_ContractSignedForTheDeal_ItsOpenProposalIsAccepted_AndExpiresNoMore()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-02T09:00:00+02:00"), accounts: r => Acme(r));
        await host.SendToAllAsync(Ev.OpportunityUpserted("O-9", "2026-03-02T09:00:00+02:00", "decision"));
        await host.SendToAllAsync(Ev.ProposalSentForDeal("P-1", "O-9", "2026-03-02T10:00:00+02:00", 125_000m, "2026-04-30"));
        await host.SendToAllAsync(Ev.Acknowledged("P-1", "2026-03-02T15:00:00+02:00"));
        await host.AdvanceToAsync(At("2026-03-20T10:00:00+02:00"));
        var contract = Ev.Make(Domain.Events.CanonicalEventTypes.ContractSigned, "2026-03-20T10:00:00+02:00", new System.Text.Json.Nodes.JsonObject
        {
            ["contract_id"] = "C-9", ["opportunity_id"] = "O-9", ["starts_on"] = "2026-04-01", ["ends_on"] = "2027-03-31",
        });
        Assert.Equal(["account:ACME", Key], await host.SendToAllAsync(contract)); // Not routed to the proposal: the sale cycle tells it.
        await host.AdvanceToAsync(At("2026-06-30T00:00:00+03:00"));

        Assert.Equal("won", (await host.ResultAsync(Key)).Outcome);
        Assert.Equal("accepted", (await host.ResultAsync("proposal:P-1")).Outcome);
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalExpiryReminder));
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalExpired));
    }
}
