using Azure.Data.Tables;
using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Storage;
using KamFlows.Infrastructure.Intake;
using KamFlows.Infrastructure.Intake.Storage;
using KamFlows.Testing;

namespace KamFlows.Infrastructure.Tests.Intake;

/// <summary>The intake table on Azurite: group commit, duplicates inside and across batches, arrival order.</summary>
public sealed class IntakeStoreTests
{
    internal static async Task<(StorageClients Clients, ResolvedStorage Storage)> ClientsAsync()
    {
        var storage = new ResolvedStorage { TaskHub = Names.TaskHub("i"), ConnectionString = await SharedAzurite.ConnectionStringAsync(), Description = "test" };
        return (new StorageClients(storage, new StorageRequestCounter()), storage);
    }

    private static async Task<(StorageClients Clients, IntakeStore Store)> StoreAsync()
    {
        var (clients, storage) = await ClientsAsync();
        return (clients, new IntakeStore(storage, new StorageRequestCounter(), new IntakeOptions(), TimeProvider.System));
    }

    internal static IncomingEvent Event(string id, string account = "ACME", int minute = 0) => new(CanonicalEventParser.ParseOrThrow($$"""
        {"specversion":"1.0","id":"{{id}}","source":"/t","type":"kam.proposal.acknowledged","time":"2026-03-02T09:{{minute:00}}:00Z",
         "data":{"proposal_id":"P-1","account_id":"{{account}}"} }
        """), "events");

    [Fact]
    public async Task Accept_ManyConcurrentEvents_FewTransactionsAndEveryEventStoredOnce()
    {
        var (_, created) = await StoreAsync();
        await using var store = created;
        await store.EnsureCreatedAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => store.AcceptAsync([Event("e" + i, "A" + (i % 5))], CancellationToken.None)));

        Assert.All(outcomes, o => Assert.Equal(IntakeDisposition.Accepted, o[0].Disposition));
        Assert.True(store.Transactions < 200, $"{store.Transactions} transactions for 400 events: requests were not grouped");
        var pending = 0;
        for (var shard = 0; shard < IntakeShards.Count; shard++)
        {
            pending += (await store.ReadPendingAsync(shard, 1000, CancellationToken.None)).Count;
        }

        Assert.Equal(400, pending);
    }

    [Fact]
    public async Task Accept_DuplicateInsideABatchAndAlreadyStored_ReportedDuplicateOthersStored()
    {
        var (clients, created) = await StoreAsync();
        await using var store = created;
        Assert.Equal(IntakeDisposition.Accepted, (await store.AcceptAsync([Event("old")], CancellationToken.None))[0].Disposition);

        var outcomes = await store.AcceptAsync([Event("a"), Event("old"), Event("b"), Event("a")], CancellationToken.None);

        Assert.Equal([IntakeDisposition.Accepted, IntakeDisposition.Duplicate, IntakeDisposition.Accepted, IntakeDisposition.Duplicate], outcomes.Select(o => o.Disposition));
        var table = clients.Table(IntakeStore.TableName);
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            rows.Add(row.RowKey);
        }

        Assert.Equal(6, rows.Count); // e| and q| rows for old, a, b
        Assert.Equal(3, rows.Count(r => r.StartsWith("e|", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ReadPending_SequentialAccepts_ComeBackInArrivalOrder_CompleteRemovesThem()
    {
        var (_, created) = await StoreAsync();
        await using var store = created;
        foreach (var id in new[] { "z", "a", "m", "b" })
        {
            await store.AcceptAsync([Event(id)], CancellationToken.None);
        }

        var shard = IntakeShards.For("ACME");
        var pending = await store.ReadPendingAsync(shard, 10, CancellationToken.None);
        Assert.Equal(["z", "a", "m", "b"], pending.Select(p => p.EventId));

        await store.CompleteAsync(pending[0], "{}", CancellationToken.None);
        await store.ParkAsync(pending[1], string.Empty, "boom", CancellationToken.None);
        Assert.Equal(["m", "b"], (await store.ReadPendingAsync(shard, 10, CancellationToken.None)).Select(p => p.EventId));
        Assert.Equal("processed", await store.GetStatusAsync("ACME", "z", CancellationToken.None));
        Assert.Equal("failed", await store.GetStatusAsync("ACME", "a", CancellationToken.None));
        Assert.Equal(IntakeDisposition.Duplicate, (await store.AcceptAsync([Event("z")], CancellationToken.None))[0].Disposition);
    }

    private static async Task<(IntakeStore Store, Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock)> FakeClockStoreAsync()
    {
        var (_, storage) = await ClientsAsync();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        return (new IntakeStore(storage, new StorageRequestCounter(), new IntakeOptions(), clock), clock);
    }

    [Fact]
    public async Task PruneProcessed_ForgetsOnlyEventsProcessedBeforeTheCutoff_WhoseIdsAreThenAcceptedAgain()
    {
        var (store, clock) = await FakeClockStoreAsync();
        await using var _ = store;
        var shard = IntakeShards.For("ACME");
        await store.AcceptAsync([Event("old"), Event("failed"), Event("recent"), Event("waiting")], CancellationToken.None);
        var pending = await store.ReadPendingAsync(shard, 10, CancellationToken.None);
        await store.CompleteAsync(pending.Single(p => p.EventId == "old"), "{}", CancellationToken.None);
        await store.ParkAsync(pending.Single(p => p.EventId == "failed"), string.Empty, "boom", CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(20));
        await store.CompleteAsync(pending.Single(p => p.EventId == "recent"), "{}", CancellationToken.None);

        Assert.Equal(1, await store.PruneProcessedAsync(shard, clock.GetUtcNow() - TimeSpan.FromDays(10), CancellationToken.None));
        Assert.Equal(0, await store.PruneProcessedAsync(shard, clock.GetUtcNow() - TimeSpan.FromDays(10), CancellationToken.None));

        Assert.Null(await store.GetStatusAsync("ACME", "old", CancellationToken.None));
        Assert.Equal("failed", await store.GetStatusAsync("ACME", "failed", CancellationToken.None));
        Assert.Equal("processed", await store.GetStatusAsync("ACME", "recent", CancellationToken.None));
        Assert.Equal("pending", await store.GetStatusAsync("ACME", "waiting", CancellationToken.None));
        var again = await store.AcceptAsync([Event("old"), Event("failed"), Event("recent"), Event("waiting")], CancellationToken.None);
        Assert.Equal([IntakeDisposition.Accepted, IntakeDisposition.Duplicate, IntakeDisposition.Duplicate, IntakeDisposition.Duplicate], again.Select(o => o.Disposition));
    }

    [Fact]
    public async Task PruneProcessed_MoreThanOneTransaction_DeletesThemAll()
    {
        var (store, clock) = await FakeClockStoreAsync();
        await using var _ = store;
        var shard = IntakeShards.For("ACME");
        await store.AcceptAsync([.. Enumerable.Range(0, 230).Select(i => Event("p" + i))], CancellationToken.None);
        foreach (var pending in await store.ReadPendingAsync(shard, 1000, CancellationToken.None))
        {
            await store.CompleteAsync(pending, "{}", CancellationToken.None);
        }

        Assert.Equal(230, await store.PruneProcessedAsync(shard, clock.GetUtcNow().AddSeconds(1), CancellationToken.None));
        Assert.Null(await store.GetStatusAsync("ACME", "p229", CancellationToken.None));
    }

    [Theory]
    [InlineData("00:00:00", true)]
    [InlineData("1.00:00:00", true)]
    [InlineData("23:59:00", false)]
    [InlineData("-1.00:00:00", false)]
    public void DedupeRetention_ZeroOrAtLeastADay(string retention, bool valid)
    {
        var errors = new IntakeOptions { DedupeRetention = TimeSpan.Parse(retention, System.Globalization.CultureInfo.InvariantCulture) }.Validate();
        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.Contains("KamFlows:Intake:DedupeRetention", e, StringComparison.Ordinal));
    }
}
