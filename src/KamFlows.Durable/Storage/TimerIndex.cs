// The due-time index: one row per pending durable timer, partitioned by the minute it is due
// ("yyyyMMddHHmm"), so "everything due before T" is one range query whatever the number of far-future timers.
// Invariants: a row is written BEFORE the step that creates the timer commits (an orphan row only causes a
// harmless wake-up); a row is deleted only after the wake-up message for it has been enqueued.
using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace KamFlows.Durable.Storage;

/// <summary>A pending timer's index row.</summary>
internal sealed record TimerRow(string PartitionKey, string RowKey, string InstanceId, DateTimeOffset FireAt)
{
    /// <summary>Task id used for an instance's scheduled start.</summary>
    public const string StartTaskId = "start";

    public static TimerRow For(string instanceId, string executionId, string taskId, DateTimeOffset fireAt) =>
        new(Bucket(fireAt), $"{KeyEncoding.Encode(instanceId)}|{executionId}|{taskId}", instanceId, fireAt.ToUniversalTime());

    public static string Bucket(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
}

internal sealed class TimerIndex(DurableStorage storage)
{
    public async Task UpsertAsync(IReadOnlyCollection<TimerRow> rows, CancellationToken cancellationToken)
    {
        foreach (var bucket in rows.GroupBy(r => r.PartitionKey))
        {
            foreach (var batch in bucket.Chunk(100))
            {
                var ops = batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                    new TableEntity(r.PartitionKey, r.RowKey) { ["InstanceId"] = r.InstanceId, ["FireAt"] = r.FireAt })).ToList();
                await storage.Timers.SubmitTransactionAsync(ops, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Every timer due at or before the minute of <paramref name="horizon"/>.</summary>
    public async Task<List<TimerRow>> QueryDueAsync(DateTimeOffset horizon, CancellationToken cancellationToken)
    {
        var rows = new List<TimerRow>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey le {TimerRow.Bucket(horizon)}");
        await foreach (var e in storage.Timers.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey", "InstanceId", "FireAt"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new TimerRow(e.PartitionKey, e.RowKey, e.GetString("InstanceId") ?? "", e.GetDateTimeOffset("FireAt") ?? default));
        }

        return rows;
    }

    public async Task DeleteAsync(TimerRow row, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Timers.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Another host fired it first.
        }
    }
}
