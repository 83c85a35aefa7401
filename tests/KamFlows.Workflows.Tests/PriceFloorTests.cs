namespace KamFlows.Workflows.Tests;

/// <summary>
/// Issue 14, item 3: the price floor of seed 000 before the client sees the price. A drafted price under the floor is
/// the head's approval task at once; a proposal sent under the floor without approval alerts the KAM first, and the
/// head only when the KAM's task stays open.
/// </summary>
public sealed class PriceFloorTests
{
    private const string Key = "proposal:P-1";

    [Fact]
    public async Task PriceFloor_DraftUnderTheFloor_HeadApproves_ThenSent_NoAlertAndTheHeadsTaskIsDone()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-25T11:00:00+02:00"), accounts: r => Acme(r, priceFloor: 140_000m));
        await host.SendAsync(Ev.ProposalDrafted("P-1", "2026-03-25T11:00:00+02:00", 125_000m, discount: 12.5m));

        var approval = host.Outbox.One(NotificationKind.ProposalPriceApprovalRequired);
        Assert.Equal(HeadEmail, approval.Recipient.Email);
        Assert.Equal("2026-03-25T12:00:00+03:00", RecordingOutbox.Local(approval)); // At once, in the head's zone: nothing has gone to the client.
        Assert.Equal(125_000m, approval.Fields["proposal_total"].Number);
        Assert.Contains(host.Upcoming.PlanOf(Key), a => a.Kind == "ProposalPriceApprovalRequired" && a.RecipientEmail == HeadEmail); // Open for the head.

        await host.SendAsync(Ev.PriceApproved("P-1", "2026-03-25T15:00:00+02:00"), Key);
        Assert.DoesNotContain(host.Upcoming.PlanOf(Key), a => a.Kind == "ProposalPriceApprovalRequired");
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-26T10:00:00+02:00", 125_000m, "2026-04-30"));
        await host.AdvanceToAsync(At("2026-04-10T00:00:00+03:00"));

        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalSentUnderFloor));
        Assert.Single(host.Outbox.Of(NotificationKind.ProposalPriceApprovalRequired));
        Assert.DoesNotContain(host.Outbox.Of(NotificationKind.TaskOverdueEscalation), r => r.Fields["task_kind"].Text!.StartsWith("ProposalPrice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PriceFloor_SentUnderTheFloorWithoutApproval_AlertsTheKamAtOnce_TheHeadOnlyWhenItStaysOpen()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-27T16:00:00+02:00"), accounts: r => Acme(r, priceFloor: 140_000m));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-27T16:00:00+02:00", 125_000m, "2026-04-30"));
        await host.SendAsync(Ev.MeetingAgreed("P-1", "2026-03-27T17:00:00+02:00", "2026-04-08T10:00:00+03:00"), Key); // Received, meeting agreed: only the price is left open.
        await host.AdvanceToAsync(At("2026-04-10T00:00:00+03:00"));

        var alert = host.Outbox.One(NotificationKind.ProposalSentUnderFloor);
        Assert.Equal(KamEmail, alert.Recipient.Email);
        Assert.Equal("2026-03-27T16:00:00+02:00", RecordingOutbox.Local(alert));
        Assert.Equal("not_requested", alert.Fields["approval_state"].Text);
        Assert.Equal("below", alert.Fields["floor_check"].Text);
        Assert.Equal(140_000m, alert.Fields["price_floor"].Number);
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalPriceApprovalRequired)); // No "before it goes to the client" once it has gone.

        // The head: two business days after the KAM's own alert, never before it.
        var toHead = host.Outbox.All.Where(r => r.Recipient.Email == HeadEmail).ToList();
        var escalation = Assert.Single(toHead);
        Assert.Equal(NotificationKind.TaskOverdueEscalation, escalation.Kind);
        Assert.Equal("ProposalSentUnderFloor", escalation.Fields["task_kind"].Text);
        Assert.Equal("2026-03-31T16:00:00+03:00", RecordingOutbox.Local(escalation));
        Assert.True(escalation.SendAt > alert.SendAt);
    }

    [Fact]
    public async Task PriceFloor_ApprovedSoonAfterSending_TheKamsTaskClosesBeforeAnyEscalation()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-27T16:00:00+02:00"), accounts: r => Acme(r, priceFloor: 140_000m));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-27T16:00:00+02:00", 125_000m, "2026-04-30"));
        await host.SendAsync(Ev.MeetingAgreed("P-1", "2026-03-27T17:00:00+02:00", "2026-04-08T10:00:00+03:00"), Key);
        await host.AdvanceToAsync(At("2026-03-30T11:00:00+03:00"));
        await host.SendAsync(Ev.PriceApproved("P-1", "2026-03-30T11:00:00+03:00"), Key);
        await host.AdvanceToAsync(At("2026-04-10T00:00:00+03:00"));

        Assert.Single(host.Outbox.Of(NotificationKind.ProposalSentUnderFloor));
        Assert.DoesNotContain(host.Outbox.All, r => r.Recipient.Email == HeadEmail);
    }

    [Fact]
    public async Task PriceFloor_HeadDeclinedTheDraft_SentAnyway_TheAlertSaysTheHeadDeclinedIt()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-25T11:00:00+02:00"), accounts: r => Acme(r, priceFloor: 140_000m));
        await host.SendAsync(Ev.ProposalDrafted("P-1", "2026-03-25T11:00:00+02:00", 125_000m));
        await host.SendAsync(Ev.PriceDeclined("P-1", "2026-03-25T14:00:00+02:00"), Key);
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-26T10:00:00+02:00", 125_000m, "2026-04-30"));
        await host.AdvanceToAsync(At("2026-03-27T00:00:00+02:00"));

        var alert = host.Outbox.One(NotificationKind.ProposalSentUnderFloor);
        Assert.Equal("declined", alert.Fields["approval_state"].Text);
        Assert.Equal("2026-03-26T10:00:00+02:00", RecordingOutbox.Local(alert));
    }

    [Fact]
    public async Task PriceFloor_DraftAtOrAboveTheFloor_NothingForTheHead_AndAnAcknowledgementBeforeTheSendIsKeptForIt()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-25T11:00:00+02:00"), accounts: r => Acme(r, priceFloor: 140_000m));
        await host.SendAsync(Ev.ProposalDrafted("P-1", "2026-03-25T11:00:00+02:00", 150_000m));
        await host.SendAsync(Ev.Acknowledged("P-1", "2026-03-26T11:00:00+02:00"), Key); // Overtook the sent event.
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-26T10:00:00+02:00", 150_000m, "2026-04-30"));
        await host.AdvanceToAsync(At("2026-03-31T00:00:00+03:00"));

        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalPriceApprovalRequired));
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalSentUnderFloor));
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalCallToConfirmReceipt)); // The held acknowledgement was applied once sent.
        Assert.Single(host.Outbox.Of(NotificationKind.ProposalAskNextSteps));
    }

    [Fact]
    public async Task PriceFloor_SentInAnotherCurrencyThanTheFloor_TheAlertSaysSoRatherThanUnderTheFloor()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-26T10:00:00+02:00"), accounts: r => Acme(r, priceFloor: 140_000m));
        await host.SendAsync(Ev.Make(Domain.Events.CanonicalEventTypes.ProposalSent, "2026-03-26T10:00:00+02:00", new System.Text.Json.Nodes.JsonObject
        {
            ["proposal_id"] = "P-1", ["total"] = new System.Text.Json.Nodes.JsonObject { ["amount"] = 1_900_000m, ["currency"] = "SEK" }, ["valid_until"] = "2026-04-30",
        }));

        var alert = host.Outbox.One(NotificationKind.ProposalSentUnderFloor);
        Assert.Equal("other_currency", alert.Fields["floor_check"].Text);
        Assert.Contains(host.Upcoming.PlanOf(Key), a => a.Kind == "ProposalSentUnderFloor" && a.Title.Contains("another currency", StringComparison.Ordinal));
    }
}
