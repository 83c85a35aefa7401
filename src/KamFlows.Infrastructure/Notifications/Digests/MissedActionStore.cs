// Plan items the workflows recorded as missed while catching up, per recipient, until a digest reports them.
// Table {hub}Missed: PartitionKey = r|{recipient email, lower-case, escaped}, RowKey = {item id, escaped}.
// Invariants: recording is insert-if-absent by item id (an activity that runs twice records once) and the timeline
// entry is an upsert of a key derived from the item (TimelineStore), so repeats change nothing; a row is reported by one
// digest: the digest first stamps every unreported row with its own deterministic id, then composes from the rows that
// carry that id, so a digest pass repeated after a crash reports the same rows again in the same digest and the next
// digest never repeats them.
using Azure;
using Azure.Data.Tables;
using KamFlows.Infrastructure.Storage;
using KamFlows.Infrastructure.Timeline;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Ports;

namespace KamFlows.Infrastructure.Notifications.Digests;

/// <summary>One missed item as a digest reports it.</summary>
public sealed record MissedActionRow(string Id, string AccountId, string AccountName, string SourceKey, string Kind, string Title, DateTimeOffset DueAt, string? ReportedIn);

/// <summary><see cref="IMissedActions"/> on Azure Tables, with the account timeline entry and the digests' reads.</summary>
public sealed class MissedActionStore : IMissedActions
{
    public const string TableName = "Missed";

    private readonly TableClient _table;
    private readonly ITimelineWriter? _timeline;
    private readonly TimeProvider _time;
    private readonly Lazy<Task> _created;

    public MissedActionStore(StorageClients storage, TimeProvider time, ITimelineWriter? timeline = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableName);
        _time = time;
        _timeline = timeline;
        _created = new Lazy<Task>(() => _table.CreateIfNotExistsAsync(), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public async Task<int> RecordAsync(MissedActionsRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _created.Value.ConfigureAwait(false);
        var added = 0;
        foreach (var item in record.Items)
        {
            var row = new TableEntity(Partition(item.RecipientEmail), Uri.EscapeDataString(item.Id))
            {
                ["AccountId"] = record.AccountId,
                ["AccountName"] = record.AccountName,
                ["SourceKey"] = record.SourceKey,
                ["Kind"] = item.Kind,
                ["Title"] = item.Title,
                ["DueAt"] = item.DueAt.UtcDateTime,
                ["DueOffsetMinutes"] = (int)item.DueAt.Offset.TotalMinutes,
                ["Audience"] = item.Audience.ToString(),
                ["RecordedAt"] = _time.GetUtcNow().UtcDateTime,
            };
            try
            {
                await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                added++;
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Recorded by an earlier run of the same activity.
            }

            if (_timeline is not null)
            {
                await _timeline.AppendAsync(record.AccountId, new TimelineEntry(item.DueAt, TimelineOrigin.Missed, item.Kind,
                    "Not sent, past due while KamFlows caught up: " + item.Title, record.SourceKey, item.Id), cancellationToken).ConfigureAwait(false);
            }
        }

        return added;
    }

    /// <summary>
    /// The recipient's missed items for the digest <paramref name="digestId"/>: those not reported yet are stamped with it
    /// first, then every row carrying it is returned (oldest first).
    /// </summary>
    public async Task<IReadOnlyList<MissedActionRow>> TakeForDigestAsync(string recipientEmail, string digestId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(digestId);
        await _created.Value.ConfigureAwait(false);
        var rows = new List<MissedActionRow>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(recipientEmail)}");
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var reportedIn = entity.GetString("ReportedIn");
            if (reportedIn is not null && !string.Equals(reportedIn, digestId, StringComparison.Ordinal))
            {
                continue;
            }

            if (reportedIn is null)
            {
                entity["ReportedIn"] = digestId;
                try
                {
                    await _table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                }
                catch (RequestFailedException ex) when (ex.Status == 412)
                {
                    var now = (await _table.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
                    if (!string.Equals(now.GetString("ReportedIn"), digestId, StringComparison.Ordinal))
                    {
                        continue; // Another digest took it meanwhile.
                    }
                }
            }

            rows.Add(ToRow(entity, digestId));
        }

        return [.. rows.OrderBy(r => r.DueAt).ThenBy(r => r.Id, StringComparer.Ordinal)];
    }

    /// <summary>Every missed item of one recipient (reported or not), oldest first.</summary>
    public async Task<IReadOnlyList<MissedActionRow>> ForRecipientAsync(string recipientEmail, CancellationToken cancellationToken)
    {
        await _created.Value.ConfigureAwait(false);
        var rows = new List<MissedActionRow>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(recipientEmail)}");
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ToRow(entity, entity.GetString("ReportedIn")));
        }

        return [.. rows.OrderBy(r => r.DueAt).ThenBy(r => r.Id, StringComparer.Ordinal)];
    }

    private static string Partition(string email) => "r|" + Uri.EscapeDataString(UnsubscribeLinks.Normalize(email));

    private static MissedActionRow ToRow(TableEntity e, string? reportedIn)
    {
        var offset = TimeSpan.FromMinutes(e.GetInt32("DueOffsetMinutes") ?? 0);
        var due = (e.GetDateTimeOffset("DueAt") ?? default).ToOffset(offset);
        return new MissedActionRow(Uri.UnescapeDataString(e.RowKey), e.GetString("AccountId") ?? string.Empty, e.GetString("AccountName") ?? string.Empty,
            e.GetString("SourceKey") ?? string.Empty, e.GetString("Kind") ?? string.Empty, e.GetString("Title") ?? string.Empty, due, reportedIn);
    }
}
