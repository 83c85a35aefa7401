namespace KamFlows.Workflows.Tests;

/// <summary>DOMAIN.md "After the contract": reference letters and referrals after a successful delivery.</summary>
public sealed class ReferenceLetterTests
{
    private const string Key = "delivery:D-5";

    [Fact]
    public async Task ReferenceLetter_SuccessfulDelivery_AsksAfterSettlingSkippingMayDay_FollowsUp_ThenAsksForReferrals()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-17T15:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.DeliveryCompleted("D-5", "2026-04-17T15:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-06-03T10:00:00+03:00"));

        var ask = host.Outbox.One(NotificationKind.ReferenceLetterAsk);
        Assert.Equal("2026-05-04T09:00:00+03:00", RecordingOutbox.Local(ask)); // 1 May, the settling day, is a holiday.
        Assert.Equal("2026-04-17", ask.Fields["completed_on"].Date);
        Assert.Equal("Fleet maintenance, phase 1", ask.Fields["delivery_description"].Text);
        Assert.Equal(
            ["2026-05-19T09:00:00+03:00", "2026-06-02T09:00:00+03:00"], // Ascension Day (14 May) skipped.
            host.Outbox.Of(NotificationKind.ReferenceLetterFollowUp).Select(RecordingOutbox.Local));

        await host.SendAsync(Ev.ReferenceReceived("2026-06-03T10:00:00+03:00", "letter", "D-5"));
        await host.AdvanceToAsync(At("2026-06-05T00:00:00+03:00"));

        Assert.Equal("2026-06-04T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.ReferralRequest)));
        Assert.Equal("letter-received", (await host.ResultAsync(Key)).Outcome);
    }

    [Fact]
    public async Task ReferenceLetter_OpenComplaint_WaitsForItsResolutionAndSettlesAgain()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-17T15:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.DeliveryCompleted("D-5", "2026-04-17T15:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-04-25T10:00:00+03:00"));
        await host.SendAsync(Ev.ComplaintOpened("K-1", "2026-04-25T10:00:00+03:00", "D-5"), Key); // Routed to the account and to the delivery.
        await host.AdvanceToAsync(At("2026-05-06T10:00:00+03:00"));
        Assert.Empty(host.Outbox.All); // No request while the client is unhappy.

        await host.SendAsync(Ev.ComplaintResolved("K-1", "2026-05-06T10:00:00+03:00", "D-5"), Key);
        await host.AdvanceToAsync(At("2026-05-21T00:00:00+03:00"));
        Assert.Equal("2026-05-20T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.ReferenceLetterAsk)));
    }

    [Fact]
    public async Task ReferenceLetter_AccountAllowsDirectRequests_SendsAClientFacingRequestToTheDecisionMaker()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-17T15:00:00+03:00"), accounts: r => Acme(r, allowsDirectReferenceRequests: true));
        await host.SendAsync(Ev.DeliveryCompleted("D-5", "2026-04-17T15:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-05-20T00:00:00+03:00"));

        var request = host.Outbox.One(NotificationKind.ReferenceLetterRequestToClient);
        Assert.Equal(RecipientRole.ClientContact, request.Recipient.Role); // Counts against Mikko's touch budget.
        Assert.Equal("C-1", request.Recipient.ContactId);
        Assert.Equal("mikko.laine@acme.example", request.Recipient.Email);
        Assert.False(request.Essential);
        Assert.Equal("2026-05-04T09:00:00+03:00", RecordingOutbox.Local(request));
        Assert.Equal(KamEmail, request.Fields["kam_email"].Text);
        Assert.Empty(host.Outbox.Of(NotificationKind.ReferenceLetterAsk));
        Assert.Equal(KamEmail, host.Outbox.One(NotificationKind.ReferenceLetterFollowUp).Recipient.Email);
    }

    [Fact]
    public async Task ReferenceLetter_DirectRequestsAllowedButNoContactHasAnEmail_TheKamAsksInstead()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-17T15:00:00+03:00"),
            accounts: r => r.Profiles[AccountId] = Profile(allowsDirectReferenceRequests: true));
        await host.SendAsync(Ev.DeliveryCompleted("D-5", "2026-04-17T15:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-05-05T00:00:00+03:00"));

        Assert.Empty(host.Outbox.Of(NotificationKind.ReferenceLetterRequestToClient));
        Assert.Equal("2026-05-04T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.ReferenceLetterAsk)));
    }

    [Fact]
    public async Task ReferenceLetter_DeliveryLate_NeverAsks()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-17T15:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.DeliveryCompleted("D-5", "2026-04-17T15:00:00+03:00", onTime: false));

        Assert.Equal("not-on-time", (await host.ResultAsync(Key)).Outcome);
        Assert.Empty(host.Outbox.All);
    }
}
