// Account timelines in {hub}Timeline: partition = account id, RowKey = {timeTicks:D19}|{referenceId}, so a partition
// reads in time order. Invariants: appends are upserts of a key derived from the entry itself, so a re-processed event
// or a re-run activity writes the same row again instead of a second one; no row carries personal data, and
// EraseContactAsync rewrites every entry about an erased person without their name.
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using KamFlows.Domain.Contacts;
using KamFlows.Infrastructure.Storage;

namespace KamFlows.Infrastructure.Timeline;

/// <summary>Reads and writes account timelines.</summary>
public sealed class TimelineStore : ITimelineWriter
{
    public const string TableName = "Timeline";

    private readonly TableClient _table;
    private readonly Lazy<Task> _created;

    public TimelineStore(StorageClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _table = clients.Table(TableName);
        _created = new Lazy<Task>(() => _table.CreateIfNotExistsAsync());
    }

    public async Task AppendAsync(string accountId, TimelineEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _created.Value.ConfigureAwait(false);
        await _table.UpsertEntityAsync(Row(accountId, entry), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends several entries of one account in entity-group transactions of up to 100 rows (the same upserts as <see cref="AppendAsync"/>).</summary>
    public async Task AppendManyAsync(string accountId, IEnumerable<TimelineEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await _created.Value.ConfigureAwait(false);
        // One row per key (a transaction may not name a row twice); the last entry for a key wins, as with upserts one by one.
        var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var row = Row(accountId, entry);
            rows[row.RowKey] = row;
        }

        if (rows.Count == 1)
        {
            // One row: a plain upsert is a cheaper request than a transaction of one.
            await _table.UpsertEntityAsync(rows.Values.First(), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var chunk in rows.Values.Chunk(100))
        {
            await _table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private static TableEntity Row(string accountId, TimelineEntry entry) => new(accountId, RowKey(entry.Time, entry.ReferenceId))
    {
        ["Time"] = entry.Time,
        ["Origin"] = entry.Origin.ToString(),
        ["Kind"] = entry.Kind,
        ["Summary"] = entry.Summary,
        ["SourceKey"] = entry.SourceKey,
        ["ReferenceId"] = entry.ReferenceId,
        ["ContactId"] = entry.ContactId,
    };

    /// <summary>The account's entries, oldest first; at most <paramref name="max"/>, from <paramref name="from"/> on when given.</summary>
    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(string accountId, DateTimeOffset? from, int max, CancellationToken cancellationToken)
    {
        await _created.Value.ConfigureAwait(false);
        var filter = from is { } f
            ? TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {Ticks(f)}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {accountId}");
        var entries = new List<TimelineEntry>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(ToEntry(row));
            if (entries.Count >= max)
            {
                break;
            }
        }

        return entries;
    }

    /// <summary>The latest <paramref name="max"/> entries before <paramref name="before"/> within <paramref name="window"/> that <paramref name="keep"/> accepts, newest first.</summary>
    public async Task<IReadOnlyList<TimelineEntry>> ReadLatestAsync(string accountId, DateTimeOffset before, TimeSpan window, int max, Func<TimelineEntry, bool> keep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keep);
        await _created.Value.ConfigureAwait(false);
        // Rows sort oldest first: read the window and keep its tail.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {Ticks(before - window)} and RowKey lt {Ticks(before)}");
        var latest = new Queue<TimelineEntry>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var entry = ToEntry(row);
            if (!keep(entry))
            {
                continue;
            }

            latest.Enqueue(entry);
            if (latest.Count > max)
            {
                latest.Dequeue();
            }
        }

        return [.. latest.Reverse()];
    }

    /// <summary>Time and kind (event type) of every event the account's timeline received, oldest first; no summaries are read.</summary>
    public async Task<IReadOnlyList<(DateTimeOffset Time, string Kind)>> ReceivedKindsAsync(string accountId, CancellationToken cancellationToken)
    {
        await _created.Value.ConfigureAwait(false);
        var received = nameof(TimelineOrigin.Received);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and Origin eq {received}");
        var entries = new List<(DateTimeOffset, string)>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["Time", "Kind"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.GetDateTimeOffset("Time") is { } time)
            {
                entries.Add((time, row.GetString("Kind") ?? string.Empty));
            }
        }

        return entries;
    }

    /// <summary>Blanks an erased person in every entry about them; returns how many entries were rewritten.</summary>
    public async Task<int> EraseContactAsync(string accountId, string contactId, CancellationToken cancellationToken)
    {
        await _created.Value.ConfigureAwait(false);
        var rewritten = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and ContactId eq {contactId}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var summary = TimelineSummaries.ForErasedContact(row.GetString("Kind"), contactId);
            if (summary == row.GetString("Summary"))
            {
                continue;
            }

            row["Summary"] = summary;
            try
            {
                await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                rewritten++;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Rewritten concurrently by a re-processed event; the next erasure pass or this one's caller retries.
                throw new InvalidOperationException($"Timeline entry {row.RowKey} of {accountId} changed during erasure of {contactId}; retry.", ex);
            }
        }

        return rewritten;
    }

    private static string RowKey(DateTimeOffset time, string referenceId) => Ticks(time) + "|" + referenceId;

    private static string Ticks(DateTimeOffset time) => time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    private static TimelineEntry ToEntry(TableEntity row) => new(
        row.GetDateTimeOffset("Time") ?? default,
        Enum.TryParse<TimelineOrigin>(row.GetString("Origin"), out var origin) ? origin : TimelineOrigin.Received,
        row.GetString("Kind") ?? string.Empty,
        row.GetString("Summary") ?? string.Empty,
        row.GetString("SourceKey"),
        row.GetString("ReferenceId") ?? string.Empty,
        row.GetString("ContactId"));
}

/// <summary>Text of entries whose subject was erased: they keep what happened, not who.</summary>
internal static class TimelineSummaries
{
    public static string ForErasedContact(string? kind, string contactId) =>
        $"{kind ?? "event"} about contact {contactId} ({Contact.ErasedName})";
}
