// The upcoming-actions projection on one table, three row families:
//   a|{account}   / {due ticks}|{source}|{n}  — per account, ordered by due time (range query on RowKey)
//   p|{email}     / {due ticks}|{source}|{n}  — per person the action is for (the KAM's own; the head's own)
//   s|{source}    / plan                      — the rows a source wrote last time, so a new plan replaces them
// Replacing is idempotent and converges after a crash at any point: the index first lists old and new rows, new rows
// are written, old ones deleted, then the index lists only the new ones.
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using KamFlows.Infrastructure.Storage;
using KamFlows.Workflows.Ports;

namespace KamFlows.Infrastructure.Planning;

/// <summary><see cref="IUpcomingActions"/> on Azure Tables (table <c>{taskhub}Upcoming</c>).</summary>
public sealed class TableUpcomingActions : IUpcomingActions
{
    public const string TableName = "Upcoming";

    private const string IndexRowKey = "plan";
    private const int BatchSize = 100;
    private readonly TableClient _table;
    private readonly Lazy<Task> _created;

    public TableUpcomingActions(StorageClients storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableName);
        _created = new Lazy<Task>(() => _table.CreateIfNotExistsAsync(), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public async Task ReplacePlanAsync(string sourceKey, string accountId, string kamEmail, IReadOnlyList<PlannedAction> actions, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceKey);
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(actions);
        await _created.Value.ConfigureAwait(false);
        var indexKey = "s|" + Encode(sourceKey);
        var old = await ReadIndexAsync(indexKey, cancellationToken).ConfigureAwait(false);
        var rows = new List<TableEntity>();
        for (var i = 0; i < actions.Count; i++)
        {
            var a = actions[i];
            var rowKey = RowKey(a.DueAt, sourceKey, i);
            var person = (string.IsNullOrWhiteSpace(a.RecipientEmail) ? kamEmail : a.RecipientEmail).Trim().ToLowerInvariant();
            foreach (var partition in new[] { "a|" + Encode(accountId), "p|" + Encode(person) })
            {
                rows.Add(new TableEntity(partition, rowKey)
                {
                    ["SourceKey"] = sourceKey,
                    ["AccountId"] = accountId,
                    ["KamEmail"] = kamEmail,
                    ["Kind"] = a.Kind,
                    ["DueAt"] = a.DueAt.UtcDateTime,
                    ["DueOffsetMinutes"] = (int)a.DueAt.Offset.TotalMinutes,
                    ["RecipientEmail"] = a.RecipientEmail,
                    ["Title"] = a.Title,
                });
            }
        }

        var fresh = rows.Select(r => new RowRef(r.PartitionKey, r.RowKey)).ToList();
        var stale = old.Except(fresh).ToList();
        if (stale.Count > 0)
        {
            await WriteIndexAsync(indexKey, [.. old.Union(fresh)], cancellationToken).ConfigureAwait(false);
        }

        foreach (var partition in rows.GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var chunk in partition.Chunk(BatchSize))
            {
                await _table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var partition in stale.GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var chunk in partition.Chunk(BatchSize))
            {
                foreach (var row in chunk)
                {
                    // One by one: a row already gone (an earlier, interrupted replace) must not fail the others.
                    await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (stale.Count > 0 || !old.SequenceEqual(fresh))
        {
            await WriteIndexAsync(indexKey, fresh, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<(string SourceKey, PlannedAction Action)>> ForAccountAsync(string accountId, DateTimeOffset fromTime, DateTimeOffset untilTime, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        var rows = await RangeAsync("a|" + Encode(accountId), fromTime, untilTime, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => (r.GetString("SourceKey"), ToAction(r)))];
    }

    public async Task<IReadOnlyList<(string AccountId, string SourceKey, PlannedAction Action)>> ForKamAsync(string kamEmail, DateTimeOffset fromTime, DateTimeOffset untilTime, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(kamEmail);
        var rows = await RangeAsync("p|" + Encode(kamEmail.Trim().ToLowerInvariant()), fromTime, untilTime, cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => (r.GetString("AccountId"), r.GetString("SourceKey"), ToAction(r)))];
    }

    private async Task<List<TableEntity>> RangeAsync(string partitionKey, DateTimeOffset fromTime, DateTimeOffset untilTime, CancellationToken cancellationToken)
    {
        await _created.Value.ConfigureAwait(false);
        var from = Ticks(fromTime);
        var until = Ticks(untilTime);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {from} and RowKey lt {until}");
        var rows = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(e);
        }

        return rows;
    }

    private static PlannedAction ToAction(TableEntity e)
    {
        var utc = e.GetDateTimeOffset("DueAt") ?? DateTimeOffset.MinValue;
        var offset = TimeSpan.FromMinutes(e.GetInt32("DueOffsetMinutes") ?? 0);
        return new PlannedAction(e.GetString("Kind"), utc.ToOffset(offset), e.GetString("RecipientEmail"), e.GetString("Title"));
    }

    private async Task<List<RowRef>> ReadIndexAsync(string indexKey, CancellationToken cancellationToken)
    {
        var index = await _table.GetEntityIfExistsAsync<TableEntity>(indexKey, IndexRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!index.HasValue || index.Value!.GetString("Rows") is not { } json)
        {
            return [];
        }

        return JsonSerializer.Deserialize<List<RowRef>>(json) ?? [];
    }

    private async Task WriteIndexAsync(string indexKey, IReadOnlyList<RowRef> rows, CancellationToken cancellationToken) =>
        await _table.UpsertEntityAsync(new TableEntity(indexKey, IndexRowKey) { ["Rows"] = JsonSerializer.Serialize(rows) }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);

    /// <summary>Due time as 19-digit UTC ticks first, so string order is time order; then the source and position for uniqueness.</summary>
    internal static string RowKey(DateTimeOffset dueAt, string sourceKey, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{Ticks(dueAt)}|{Encode(sourceKey)}|{index:D4}");

    private static string Ticks(DateTimeOffset time) => time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Table keys forbid '/', '\', '#', '?' and control characters: they (and '%') are percent-encoded.</summary>
    internal static string Encode(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
            {
                sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private sealed record RowRef(string PartitionKey, string RowKey);
}
