using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using KamFlows.Infrastructure.Intake;
using KamFlows.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KamFlows.Host.Tests;

/// <summary>How far behind processing is: in /health, as metrics, and as a warning when the oldest pending event is too old.</summary>
public sealed class IntakeBacklogTests
{
    [Fact]
    public async Task Backlog_OldPendingEvent_ShownInHealthAndMetrics_AndWarned_UntilProcessed()
    {
        var logs = new CollectedLogs();
        await using var host = await KamFlowsTestHost.StartAsync(s =>
        {
            s["KamFlows:Intake:BacklogWarningAge"] = "00:00:01";
            s["KamFlows:Intake:SweepInterval"] = "00:00:01";
        }, logs: logs);
        var processor = host.Services.GetRequiredService<IntakeProcessor>();
        var shard = IntakeShards.For("LATE");

        // An event accepted an hour ago whose second attempt failed: set aside until its retry in an hour.
        var receivedAt = DateTimeOffset.UtcNow.AddHours(-1);
        var key = "q|" + receivedAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|late-1";
        var intake = host.Table("Intake");
        await intake.AddEntityAsync(new TableEntity(IntakeShards.PartitionKey(shard), "e|late-1") { ["Status"] = "pending", ["ReceivedAt"] = receivedAt });
        await intake.AddEntityAsync(new TableEntity(IntakeShards.PartitionKey(shard), key)
        {
            ["Source"] = "events", ["ReceivedAt"] = receivedAt, ["Account"] = "LATE", ["Type"] = "kam.proposal.acknowledged",
            ["Attempts"] = 2, ["RetryAt"] = DateTimeOffset.UtcNow.AddHours(1), ["JsonChunks"] = 1,
            ["Json0"] = TestEvents.ProposalAcknowledged("late-1", "LATE", "P-L", receivedAt),
        });
        processor.Notify(shard);

        JsonElement health = default;
        await Eventually.WaitUntilAsync(async () =>
        {
            health = (await host.Management.GetFromJsonAsync<JsonElement>("/api/health")).GetProperty("intake");
            return health.GetProperty("pending").GetInt32() == 1;
        });
        Assert.InRange(health.GetProperty("oldestPendingAgeSeconds").GetDouble(), 3590, 4000);
        var shardHealth = Assert.Single(health.GetProperty("shards").EnumerateArray());
        Assert.Equal(shard, shardHealth.GetProperty("shard").GetInt32());
        Assert.Equal(1, shardHealth.GetProperty("pending").GetInt32());
        Assert.True(health.GetProperty("complete").GetBoolean());

        var (pending, oldest) = ReadGauges(host.TaskHub, shard);
        Assert.Equal(1, pending);
        Assert.InRange(oldest, 3590, 4000);

        await Eventually.WaitUntilAsync(() => Task.FromResult(logs.Entries.Any(e => e.EventId.Id == 4101 && e.Level == LogLevel.Warning)));
        Assert.Contains("1 events pending", logs.Entries.First(e => e.EventId.Id == 4101).Message, StringComparison.Ordinal);

        // Its retry is due now: it is processed and the backlog is empty again.
        await intake.UpdateEntityAsync(new TableEntity(IntakeShards.PartitionKey(shard), key) { ["RetryAt"] = DateTimeOffset.UtcNow.AddSeconds(-1) }, Azure.ETag.All);
        await Eventually.WaitUntilAsync(async () =>
        {
            // Read again at the next sweep of the shard from its start (SweepInterval).
            health = (await host.Management.GetFromJsonAsync<JsonElement>("/api/health")).GetProperty("intake");
            return health.GetProperty("pending").GetInt32() == 0;
        });
        Assert.Equal(0, health.GetProperty("oldestPendingAgeSeconds").GetDouble());
        Assert.Equal((0, 0.0), ReadGauges(host.TaskHub, shard));
    }

    [Theory]
    [InlineData("BacklogWarningAge", "00:00:00.500")]
    [InlineData("MaxEventsPerAccountBatch", "0")]
    [InlineData("MaxConcurrentBatches", "0")]
    public void IntakeOptions_OutOfRange_NamesTheKey(string name, string value)
    {
        var options = new IntakeOptions();
        typeof(IntakeOptions).GetProperty(name)!.SetValue(options, name == "BacklogWarningAge" ? TimeSpan.Parse(value, CultureInfo.InvariantCulture) : int.Parse(value, CultureInfo.InvariantCulture));
        Assert.Contains(options.Validate(), e => e.StartsWith("KamFlows:Intake:" + name, StringComparison.Ordinal));
        Assert.Empty(new IntakeOptions().Validate());
    }

    private static (long Pending, double OldestSeconds) ReadGauges(string taskHub, int shard)
    {
        long pending = -1;
        double oldest = -1;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Infrastructure.KamFlowsMetrics.Name && instrument.Name.StartsWith("kamflows.intake.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "kamflows.intake.pending" && Has(tags, "kamflows.taskhub", taskHub) && Has(tags, "kamflows.intake.shard", shard))
            {
                pending = value;
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "kamflows.intake.oldest_pending_age" && Has(tags, "kamflows.taskhub", taskHub))
            {
                oldest = value;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return (pending, oldest);
    }

    private static bool Has(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key, object value)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key && Equals(tag.Value, value))
            {
                return true;
            }
        }

        return false;
    }
}
