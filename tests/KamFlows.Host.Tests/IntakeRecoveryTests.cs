using System.Globalization;
using System.Net;
using Azure.Data.Tables;
using KamFlows.Infrastructure.Intake;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Host.Tests;

/// <summary>Processing happens from storage: events answered 202 by a host that stopped before processing them are processed by the next one.</summary>
public sealed class IntakeRecoveryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Intake_HostStopsAfter202BeforeProcessing_NextHostProcessesEverythingInOrder()
    {
        string hub;
        await using (var first = await KamFlowsTestHost.StartAsync(s => s["KamFlows:Intake:ProcessInBackground"] = "false"))
        {
            hub = first.TaskHub;
            Assert.Equal(HttpStatusCode.Accepted, (await first.PostEventsAsync(TestEvents.ProposalAcknowledged("ack", "ACME", "P-3", T0.AddHours(1)))).StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await first.PostEventsAsync(TestEvents.ProposalSent("sent", "ACME", "P-3", T0))).StatusCode);
            Assert.Empty(await first.ReceivedByAsync("proposal:P-3"));
        }

        await using var second = await KamFlowsTestHost.StartAsync(s =>
        {
            s["KamFlows:Storage:TaskHub"] = hub;
            s["KamFlows:Intake:SweepInterval"] = "00:00:00.200";
        });

        Assert.Equal(["ack", "sent"], await second.WaitForReceivedAsync("proposal:P-3", 2));
        await second.WaitForIntakeDrainedAsync();
    }

    [Fact]
    public async Task ProcessAllOnce_WithBackgroundProcessingOff_ProcessesWhatIsPending()
    {
        await using var host = await KamFlowsTestHost.StartAsync(s => s["KamFlows:Intake:ProcessInBackground"] = "false");
        await host.PostEventsAsync(TestEvents.Account("a", "ACME", T0, "Acme"));
        await host.PostEventsAsync(TestEvents.Account("b", "GLOBEX", T0, "Globex"));

        var processor = host.Services.GetRequiredService<IntakeProcessor>();
        Assert.Equal(2, await processor.ProcessAllOnceAsync(CancellationToken.None));
        Assert.Equal(0, await processor.ProcessAllOnceAsync(CancellationToken.None));
        Assert.Equal(2, await host.CountRowsAsync("Accounts"));
    }

    [Fact]
    public async Task Processor_StoredEventThatNoLongerParses_IsParkedAndTheShardGoesOn()
    {
        await using var host = await KamFlowsTestHost.StartAsync(s => s["KamFlows:Intake:ProcessInBackground"] = "false");
        await host.PostEventsAsync(TestEvents.Account("first", "ACME", T0, "Acme"));
        var shard = IntakeShards.PartitionKey(IntakeShards.For("ACME"));
        var intake = host.Table("Intake");
        // A pending row whose JSON is damaged, queued between two good events.
        await intake.AddEntityAsync(new TableEntity(shard, "e|broken") { ["Status"] = "pending" });
        await intake.AddEntityAsync(new TableEntity(shard, "q|" + DateTimeOffset.UtcNow.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|broken")
        {
            ["Source"] = "events", ["JsonChunks"] = 1, ["Json0"] = "{\"specversion\":",
        });
        await host.PostEventsAsync(TestEvents.Account("last", "ACME", T0.AddMinutes(1), "Acme Oy"));

        var processor = host.Services.GetRequiredService<IntakeProcessor>();
        Assert.Equal(3, await processor.ProcessAllOnceAsync(CancellationToken.None));

        Assert.Equal(1, processor.Parked);
        Assert.Equal("failed", (await intake.GetEntityAsync<TableEntity>(shard, "e|broken")).Value.GetString("Status"));
        Assert.Equal("processed", (await intake.GetEntityAsync<TableEntity>(shard, "e|last")).Value.GetString("Status"));
    }

    [Fact]
    public async Task Pruning_ProcessedEventOlderThanTheRetention_IsForgotten_AndTheSameIdIsAcceptedAgain()
    {
        await using var host = await KamFlowsTestHost.StartAsync(s =>
        {
            s["KamFlows:Intake:DedupeRetention"] = "1.00:00:00";
            s["KamFlows:Intake:PruneInterval"] = "00:00:00.200";
            s["KamFlows:Intake:SweepInterval"] = "00:00:00.200";
        });
        var body = TestEvents.Account("prune-me", "ACME", T0, "Acme");
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(body)).StatusCode);
        await host.WaitForIntakeDrainedAsync();
        var shard = IntakeShards.PartitionKey(IntakeShards.For("ACME"));
        var intake = host.Table("Intake");
        Assert.Equal(HttpStatusCode.OK, (await host.PostEventsAsync(body)).StatusCode); // Within the retention: a duplicate.

        // Processed two days ago, as far as the row says: the host's pruning loop forgets it.
        await intake.UpdateEntityAsync(new TableEntity(shard, "e|prune-me") { ["FinishedAt"] = DateTimeOffset.UtcNow.AddDays(-2) }, Azure.ETag.All);
        var processor = host.Services.GetRequiredService<IntakeProcessor>();
        await KamFlows.Testing.Eventually.WaitUntilAsync(async () => processor.Pruned == 1); // Counted once every shard was pruned.
        Assert.False((await intake.GetEntityIfExistsAsync<TableEntity>(shard, "e|prune-me")).HasValue);

        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(body)).StatusCode);
    }
}
