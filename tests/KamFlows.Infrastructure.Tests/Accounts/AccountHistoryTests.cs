using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Tests.Intake;
using KamFlows.Infrastructure.Timeline;

namespace KamFlows.Infrastructure.Tests.Accounts;

/// <summary>A new KAM's briefing reads the account's timeline on Azurite: the latest entries before the handover, newest first, without what was missed.</summary>
public sealed class AccountHistoryTests
{
    private static CanonicalEvent E(string id, string type, string time, string data) =>
        CanonicalEventParser.ParseOrThrow($$"""{"specversion":"1.0","id":"{{id}}","source":"/t","type":"{{type}}","time":"{{time}}","data":{{data}}}""");

    [Fact]
    public async Task GetRecentHistory_LatestEntriesBeforeTheTime_NewestFirst_WithTheObjectTheyConcern()
    {
        var (clients, _) = await IntakeStoreTests.ClientsAsync();
        var timeline = new TimelineStore(clients);
        var reader = new AccountReader(new AccountStore(clients, timeline), null, timeline);
        var account = "HIST-" + Guid.NewGuid().ToString("N")[..8];
        var ct = CancellationToken.None;

        await timeline.AppendAsync(account, EventSummaries.For(E("e1", "kam.meeting.logged", "2026-02-20T09:00:00Z", $$"""{"account_id":"{{account}}","meeting_id":"M-1","held_at":"2026-02-20T08:00:00Z"}""")), ct);
        await timeline.AppendAsync(account, EventSummaries.For(E("e2", "kam.proposal.sent", "2026-02-25T13:00:00Z",
            $$"""{"account_id":"{{account}}","proposal_id":"P-1","version":1,"total":{"amount":1000,"currency":"EUR"},"valid_until":"2026-03-31"}""")), ct);
        await timeline.AppendAsync(account, new TimelineEntry(new DateTimeOffset(2026, 2, 26, 7, 0, 0, TimeSpan.Zero), TimelineOrigin.Caused,
            "ProposalCallToConfirmReceipt", "Call to confirm receipt of P-1", "proposal:P-1", "n-1"), ct);
        await timeline.AppendAsync(account, new TimelineEntry(new DateTimeOffset(2026, 2, 27, 7, 0, 0, TimeSpan.Zero), TimelineOrigin.Missed,
            "ContractRenewal", "Missed: renewal", account, "n-2"), ct);
        await timeline.AppendAsync(account, EventSummaries.For(E("e3", "kam.meeting.logged", "2026-03-09T09:00:00Z", $$"""{"account_id":"{{account}}","meeting_id":"M-2","held_at":"2026-03-09T08:00:00Z"}""")), ct);

        var history = await reader.GetRecentHistoryAsync(account, new DateTimeOffset(2026, 3, 5, 14, 0, 0, TimeSpan.Zero), 10, ct);
        Assert.Equal(
            ["2026-02-26 ProposalCallToConfirmReceipt P-1", "2026-02-25 kam.proposal.sent P-1", "2026-02-20 kam.meeting.logged "],
            history.Select(h => $"{h.Time:yyyy-MM-dd} {h.Kind} {h.Subject}"));

        var latestTwo = await reader.GetRecentHistoryAsync(account, new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero), 2, ct);
        Assert.Equal(["kam.meeting.logged", "ProposalCallToConfirmReceipt"], latestTwo.Select(h => h.Kind)); // Missed entries do not count.
    }
}
