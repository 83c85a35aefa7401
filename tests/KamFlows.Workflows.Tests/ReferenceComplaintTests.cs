using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Tests;

/// <summary>
/// Issue 14, item 2: no reference or referral request to an account while any of its complaints is open — also one not
/// about this delivery (read from the account's complaints), and one opened after the letter was asked for (the
/// follow-ups pause, then count again from its resolution).
/// </summary>
public sealed class ReferenceComplaintTests
{
    private const string Key = "delivery:D-5";

    [Fact]
    public async Task ReferenceLetter_AnotherComplaintOfTheAccountOpen_AskWaitsForItsResolutionAndSettles()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-17T15:00:00+03:00"), accounts: r => Acme(r));
        host.Accounts.Complaints["CP-9"] = new ComplaintFacts("CP-9", null, At("2026-04-20T10:00:00+03:00"), null); // About something else.
        await host.SendAsync(Ev.DeliveryCompleted("D-5", "2026-04-17T15:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-05-12T12:00:00+03:00"));
        Assert.Empty(host.Outbox.Of(NotificationKind.ReferenceLetterAsk)); // Due 4 May, but a complaint of the account is open.

        host.Accounts.Complaints["CP-9"] = host.Accounts.Complaints["CP-9"] with { ResolvedAt = At("2026-05-12T12:00:00+03:00") };
        await host.AdvanceToAsync(At("2026-06-01T00:00:00+03:00"));

        // Read again the next business morning: resolved on 12 May, so the 14 settling days count from then.
        Assert.Equal("2026-05-26T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.ReferenceLetterAsk)));
    }

    [Fact]
    public async Task ReferenceLetter_ComplaintOpenedAfterAsking_PausesFollowUps_TheyCountAgainFromItsResolution()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-17T15:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.DeliveryCompleted("D-5", "2026-04-17T15:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-05-05T10:00:00+03:00"));
        Assert.Equal("2026-05-04T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.ReferenceLetterAsk)));

        host.Accounts.Complaints["CP-9"] = new ComplaintFacts("CP-9", null, At("2026-05-05T10:00:00+03:00"), null);
        await host.AdvanceToAsync(At("2026-06-01T10:00:00+03:00"));
        Assert.Empty(host.Outbox.Of(NotificationKind.ReferenceLetterFollowUp)); // Was due 19 May.

        host.Accounts.Complaints["CP-9"] = host.Accounts.Complaints["CP-9"] with { ResolvedAt = At("2026-06-01T10:00:00+03:00") };
        await host.AdvanceToAsync(At("2026-07-01T00:00:00+03:00"));

        // Seen resolved on the morning of 2 June; 10 business days later (Midsummer Eve, 19 June, skipped).
        Assert.Equal(["2026-06-16T09:00:00+03:00"], host.Outbox.Of(NotificationKind.ReferenceLetterFollowUp).Select(RecordingOutbox.Local));
    }

    [Fact]
    public async Task ReferenceLetter_ComplaintAboutThisDeliveryOpenedAfterAsking_PausesUntilItsResolvedEvent()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-17T15:00:00+03:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.DeliveryCompleted("D-5", "2026-04-17T15:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-05-06T10:00:00+03:00"));
        await host.SendAsync(Ev.ComplaintOpened("K-1", "2026-05-06T10:00:00+03:00", "D-5"), Key);
        await host.AdvanceToAsync(At("2026-06-03T10:00:00+03:00"));
        Assert.Empty(host.Outbox.Of(NotificationKind.ReferenceLetterFollowUp));

        await host.SendAsync(Ev.ComplaintResolved("K-1", "2026-06-03T10:00:00+03:00", "D-5"), Key);
        await host.AdvanceToAsync(At("2026-06-20T00:00:00+03:00"));
        Assert.Equal("2026-06-17T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.Of(NotificationKind.ReferenceLetterFollowUp)[0]));
    }
}
