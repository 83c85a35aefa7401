using System.Globalization;
using System.Net;
using Azure.Data.Tables;
using KamFlows.Infrastructure.Intake;
using KamFlows.Infrastructure.Storage;
using KamFlows.Testing;
using KamFlows.Workflows.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Host.Tests;

/// <summary>
/// The processor's invariants on the real host: an account's events in batches and in arrival order, a busy account
/// beside the others, a failing event holding its account for one retry only, and a crash between steps repeating
/// harmlessly.
/// </summary>
public sealed class IntakeProcessingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static async Task PostAllAsync(KamFlowsTestHost host, IReadOnlyList<string> events)
    {
        foreach (var chunk in events.Chunk(50))
        {
            var response = await host.PostEventsAsync(TestEvents.Batch(chunk), "application/cloudevents-batch+json");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
    }

    private static async Task<TableEntity> EventRowAsync(KamFlowsTestHost host, string accountId, string eventId) =>
        (await host.Table("Intake").GetEntityAsync<TableEntity>(IntakeShards.PartitionKey(IntakeShards.For(accountId)), "e|" + eventId)).Value;

    private static async Task<Dictionary<string, string>> RowsAsync(TableClient table)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            rows[row.PartitionKey + "/" + row.RowKey] = string.Join(";", row.Keys.Where(k => k is not ("odata.etag" or "Timestamp")).Order(StringComparer.Ordinal)
                .Select(k => k + "=" + Convert.ToString(row[k], CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    /// <summary>An account id other than <paramref name="accountId"/> in the same intake shard.</summary>
    private static string NeighbourOf(string accountId) =>
        Enumerable.Range(0, 10_000).Select(i => "NEIGHBOUR-" + i.ToString(CultureInfo.InvariantCulture)).First(a => IntakeShards.For(a) == IntakeShards.For(accountId));

    [Fact]
    public async Task Processor_ManyEventsOfOneAccount_AreDeliveredInArrivalOrder_WithFarFewerStorageRequestsThanEvents()
    {
        await using var host = await KamFlowsTestHost.StartAsync(s => s["KamFlows:Intake:ProcessInBackground"] = "false");
        var ids = Enumerable.Range(0, 120).Select(i => "ev-" + i.ToString("D3", CultureInfo.InvariantCulture)).ToList();
        // Acknowledgements before the proposal was sent, out of time order: arrival order is what counts.
        await PostAllAsync(host, [.. ids.Select((id, i) => TestEvents.ProposalAcknowledged(id, "ACME", "P-1", T0.AddMinutes(120 - i)))]);

        var counter = host.Services.GetRequiredService<StorageRequestCounter>();
        var before = counter.Table;
        var (done, blocked) = await host.Services.GetRequiredService<IntakeProcessor>().ProcessShardAsync(IntakeShards.For("ACME"), CancellationToken.None);
        var requests = counter.Table - before;

        Assert.Equal((120, false), (done, blocked));
        Assert.Equal(ids, await host.WaitForReceivedAsync("proposal:P-1", 120));
        Assert.Equal(120, (await host.Services.GetRequiredService<Infrastructure.Timeline.TimelineStore>().ReadAsync("ACME", null, 1000, CancellationToken.None)).Count);
        // One by one this was four table requests per event (read and write the proposal row, the timeline, completion).
        Assert.True(requests < 30, $"{requests} table requests to process 120 events of one account");
    }

    [Fact]
    public async Task Processor_BusyAccount_DoesNotHoldUpAnotherAccountOfItsShard()
    {
        await using var host = await KamFlowsTestHost.StartAsync(s =>
        {
            s["KamFlows:Intake:ProcessInBackground"] = "false";
            s["KamFlows:Intake:MaxEventsPerAccountBatch"] = "20";
        });
        var neighbour = NeighbourOf("HOT");
        await PostAllAsync(host, [.. Enumerable.Range(0, 200).Select(i => TestEvents.ProposalAcknowledged("hot-" + i, "HOT", "P-HOT", T0.AddSeconds(i)))]);
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(TestEvents.ProposalAcknowledged("calm", neighbour, "P-CALM", T0))).StatusCode);

        var (done, _) = await host.Services.GetRequiredService<IntakeProcessor>().ProcessShardAsync(IntakeShards.For("HOT"), CancellationToken.None);

        Assert.Equal(201, done);
        var calmDone = (await EventRowAsync(host, neighbour, "calm")).GetDateTimeOffset("FinishedAt")!.Value;
        var hotDone = new List<DateTimeOffset>();
        for (var i = 0; i < 200; i++)
        {
            hotDone.Add((await EventRowAsync(host, "HOT", "hot-" + i)).GetDateTimeOffset("FinishedAt")!.Value);
        }

        // Arrival order would have put it behind all 200; in its own lane it is done while the busy account's batches go on.
        Assert.True(hotDone.Count(t => t > calmDone) >= 100, $"{hotDone.Count(t => t > calmDone)} of the busy account's events finished after the other account's");
        Assert.Equal(Enumerable.Range(0, 200).Select(i => "hot-" + i), await host.WaitForReceivedAsync("proposal:P-HOT", 200));
    }

    [Fact]
    public async Task Processor_FailingEvent_HoldsItsAccountForOneRetry_ThenIsSetAsideBehindTheOthers_ThenParked()
    {
        var failing = new FailingTeamListener("BAD");
        await using var host = await KamFlowsTestHost.StartAsync(s =>
        {
            s["KamFlows:Intake:ProcessInBackground"] = "false";
            s["KamFlows:Intake:RetryDelay"] = "00:00:01";
            s["KamFlows:Intake:MaxProcessingAttempts"] = "3";
        }, services: s => s.AddSingleton<Infrastructure.Intake.IAccountTeamListener>(failing));
        var neighbour = NeighbourOf("BAD");
        await PostAllAsync(host,
        [
            TestEvents.ProposalAcknowledged("e1", "BAD", "P-B", T0),
            TestEvents.Account("up", "BAD", T0, "Bad Oy"),
            TestEvents.ProposalAcknowledged("e2", "BAD", "P-B", T0.AddMinutes(1)),
            TestEvents.ProposalAcknowledged("e3", "BAD", "P-B", T0.AddMinutes(2)),
            TestEvents.ProposalAcknowledged("n1", neighbour, "P-N", T0),
        ]);
        var processor = host.Services.GetRequiredService<IntakeProcessor>();
        var shard = IntakeShards.For("BAD");

        // First failure: the account's later events wait for its retry; another account of the shard does not.
        var (done, blocked) = await processor.ProcessShardAsync(shard, CancellationToken.None);
        Assert.Equal((2, true), (done, blocked));
        Assert.Equal(["e1"], await host.ReceivedByAsync("proposal:P-B"));
        Assert.Equal(["n1"], await host.WaitForReceivedAsync("proposal:P-N", 1));
        Assert.Equal("pending", (await EventRowAsync(host, "BAD", "e2")).GetString("Status"));

        // Its retry fails too: it is set aside and the events behind it go on; its last attempt parks it.
        await Eventually.WaitUntilAsync(async () =>
        {
            await processor.ProcessShardAsync(shard, CancellationToken.None);
            return processor.Parked == 1;
        });
        Assert.Equal(["e1", "e2", "e3"], await host.ReceivedByAsync("proposal:P-B"));
        var parked = await EventRowAsync(host, "BAD", "up");
        Assert.Equal("failed", parked.GetString("Status"));
        Assert.Contains("The team directory is down", parked.GetString("Error"), StringComparison.Ordinal);
        // The events behind it were done before its last attempt: held for its first retry only, not for all three.
        Assert.True((await EventRowAsync(host, "BAD", "e3")).GetDateTimeOffset("FinishedAt") < parked.GetDateTimeOffset("FinishedAt"));
        Assert.Equal((0, false), await processor.ProcessShardAsync(shard, CancellationToken.None));
    }

    [Fact]
    public async Task Processor_CrashAfterApplyingAndDeliveringBeforeCompleting_RepeatChangesNoState()
    {
        await using var host = await KamFlowsTestHost.StartAsync(s => s["KamFlows:Intake:ProcessInBackground"] = "false");
        var events = new List<string> { TestEvents.Account("a", "ACME", T0, "Acme"), TestEvents.ProposalSent("s", "ACME", "P-1", T0) };
        events.AddRange(Enumerable.Range(0, 28).Select(i => TestEvents.ProposalAcknowledged("k" + i, "ACME", "P-" + (i % 4), T0.AddMinutes(i))));
        await PostAllAsync(host, events);
        var intake = host.Table("Intake");
        var shard = IntakeShards.PartitionKey(IntakeShards.For("ACME"));
        var pendingRows = new List<TableEntity>();
        await foreach (var row in intake.QueryAsync<TableEntity>(r => r.PartitionKey == shard && r.RowKey.CompareTo("q|") > 0 && r.RowKey.CompareTo("q}") < 0))
        {
            pendingRows.Add(row);
        }

        var processor = host.Services.GetRequiredService<IntakeProcessor>();
        Assert.Equal(30, await processor.ProcessAllOnceAsync(CancellationToken.None));
        var accounts = await RowsAsync(host.Table("Accounts"));
        var timeline = await RowsAsync(host.Table("Timeline"));
        var received = await host.WaitForReceivedAsync("proposal:P-1", 8);

        // As if the process died after every step but the last: the pending rows are back and the events not marked processed.
        foreach (var row in pendingRows)
        {
            await intake.UpsertEntityAsync(new TableEntity(row), TableUpdateMode.Replace);
            await intake.UpdateEntityAsync(new TableEntity(shard, "e|" + row.RowKey[22..]) { ["Status"] = "pending" }, Azure.ETag.All);
        }

        Assert.Equal(30, await processor.ProcessAllOnceAsync(CancellationToken.None));
        Assert.Equal(accounts, await RowsAsync(host.Table("Accounts")));
        Assert.Equal(timeline, await RowsAsync(host.Table("Timeline")));
        // Delivered again, in the same order (at least once; a workflow drops an event id it has seen).
        Assert.Equal([.. received, .. received], await host.WaitForReceivedAsync("proposal:P-1", 16));
        await host.WaitForIntakeDrainedAsync();
    }

    [Fact]
    public async Task Processor_WorkflowInstanceNotStartedYet_AccountWaitsWithoutCountingAnAttempt_OthersGoOn()
    {
        await using var host = await KamFlowsTestHost.StartAsync(s => s["KamFlows:Intake:ProcessInBackground"] = "false");
        // An instance whose start the engine will process in an hour: Pending until then.
        await host.Workflows.ScheduleNewOrchestrationInstanceAsync(Workflows.WorkflowCatalog.ProposalFollowUp, new RecorderInput(),
            new Microsoft.DurableTask.StartOrchestrationOptions("proposal:P-W") { StartAt = DateTimeOffset.UtcNow.AddHours(1) });
        var neighbour = NeighbourOf("WAIT");
        await PostAllAsync(host, [TestEvents.ProposalAcknowledged("w1", "WAIT", "P-W", T0), TestEvents.ProposalAcknowledged("n1", neighbour, "P-N", T0)]);
        var processor = host.Services.GetRequiredService<IntakeProcessor>();

        for (var pass = 0; pass < 2; pass++)
        {
            var (done, blocked) = await processor.ProcessShardAsync(IntakeShards.For("WAIT"), CancellationToken.None);
            Assert.True(blocked);
            Assert.Equal(pass == 0 ? 1 : 0, done); // The neighbour's event, the first time.
        }

        Assert.Equal("pending", (await EventRowAsync(host, "WAIT", "w1")).GetString("Status"));
        Assert.Equal("processed", (await EventRowAsync(host, neighbour, "n1")).GetString("Status"));
        var shard = IntakeShards.PartitionKey(IntakeShards.For("WAIT"));
        await foreach (var row in host.Table("Intake").QueryAsync<TableEntity>(r => r.PartitionKey == shard && r.RowKey.CompareTo("q|") > 0 && r.RowKey.CompareTo("q}") < 0))
        {
            Assert.Null(row.GetInt32("Attempts")); // Waiting for the engine is not the event's failure: it is never parked for it.
        }

        Assert.Equal(0, processor.Parked);
    }

    /// <summary>Fails while told to, for one account: a listener told of an account update (a dependency that is down).</summary>
    private sealed class FailingTeamListener(string accountId) : Infrastructure.Intake.IAccountTeamListener
    {
        public Task AccountTeamChangedAsync(AccountProfile profile, CancellationToken cancellationToken) =>
            profile.AccountId == accountId ? throw new InvalidOperationException($"The team directory is down for {accountId}.") : Task.CompletedTask;
    }
}

/// <summary>The storing path: a CloudEvents batch costs fewer storage round trips per event than the same events one request each.</summary>
public sealed class IntakeStoringCostTests
{
    [Fact]
    public async Task Webhook_BatchOf50_FewerStorageRequestsThan50SingleRequests_AndEveryEventStored()
    {
        await using var host = await KamFlowsTestHost.StartAsync(s => s["KamFlows:Intake:ProcessInBackground"] = "false");
        var counter = host.Services.GetRequiredService<StorageRequestCounter>();
        var t0 = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        string Event(string prefix, int i) => TestEvents.ProposalAcknowledged(prefix + i, "ACC-" + (i % 40).ToString(CultureInfo.InvariantCulture), "P-" + i, t0.AddMinutes(i));
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(Event("warm", 0))).StatusCode); // Creates the table.

        var before = counter.Table;
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(Event("single-", i))).StatusCode);
        }

        var singles = counter.Table - before;
        before = counter.Table;
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(TestEvents.Batch([.. Enumerable.Range(0, 50).Select(i => Event("batched-", i))]),
            "application/cloudevents-batch+json")).StatusCode);
        var batched = counter.Table - before;

        Assert.Equal(50, singles); // One entity-group transaction per request.
        // One transaction per intake shard the batch touches (40 accounts over 64 shards), never more than one per event.
        Assert.True(batched < singles, $"a batch of 50 cost {batched} table requests, 50 single requests {singles}");
        Assert.Equal(101, await host.CountRowsAsync("Intake") / 2);
    }
}
