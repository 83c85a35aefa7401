// The durable intake: events are written here before the webhook answers, and processed from here afterwards.
// Invariants:
// - an event is Accepted only once both its rows are committed (one entity-group transaction per shard batch);
// - the e| row of an event id is never written twice: a second Add fails 409 and the event is reported Duplicate;
// - pending rows are read in RowKey order, which is arrival order within a shard;
// - completing an event updates its e| row and deletes its q| row in one transaction (many events of a shard share one:
//   both rows of an event are always in the same one), so an event is never left processed-but-pending or
//   deleted-but-unrecorded;
// - pruning deletes only e| rows marked processed before the cutoff: pending and failed events are never forgotten.
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using KamFlows.Infrastructure.Storage;

namespace KamFlows.Infrastructure.Intake.Storage;

/// <summary>
/// One event waiting in a shard, as read by the processor. <paramref name="AccountId"/> and <paramref name="Type"/> are
/// null for rows stored before they were kept; <paramref name="RetryAt"/> is when a failed event may be tried again.
/// </summary>
public sealed record PendingEvent(int Shard, string PendingKey, string EventId, string WebhookSource, string Json, int Attempts, DateTimeOffset ReceivedAt,
    string? AccountId = null, DateTimeOffset? RetryAt = null, string? Type = null);

/// <summary>The intake table <c>{hub}Intake</c> with a group-committing writer per shard.</summary>
public sealed class IntakeStore : IAsyncDisposable
{
    public const string TableName = "Intake";

    /// <summary>Longest JSON one event may have: an entity is at most 1 MiB, stored as UTF-16.</summary>
    public const int MaxEventJsonChars = IntakeRows.MaxEventJsonChars;

    private readonly TableClient _table;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ShardCommitter[] _committers;
    private readonly Lazy<Task> _created;

    public IntakeStore(ResolvedStorage storage, StorageRequestCounter counter, IntakeOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(counter);
        ArgumentNullException.ThrowIfNull(options);
        _table = LeanTableClient(storage, counter);
        TaskHub = storage.TaskHub;
        _clock = clock;
        var arrivals = new ArrivalClock(clock);
        _committers = Enumerable.Range(0, IntakeShards.Count)
            .Select(shard => new ShardCommitter(shard, _table, options, arrivals, _stopping.Token)).ToArray();
        _created = new Lazy<Task>(() => _table.CreateIfNotExistsAsync());
    }

    /// <summary>The intake table, for <see cref="ParkedEvents"/>.</summary>
    internal TableClient Table => _table;

    /// <summary>The task hub (prefix of the table) this store belongs to.</summary>
    public string TaskHub { get; }

    /// <summary>Entity-group transactions committed so far (for the benchmark and health).</summary>
    public long Transactions => _committers.Sum(c => c.Transactions);

    public Task EnsureCreatedAsync() => _created.Value;

    /// <summary>
    /// Stores the events durably (each batched with concurrent requests of its shard) and says, per event, whether it
    /// was new or a duplicate. Throws if storage failed; then none of the events may be reported as accepted.
    /// </summary>
    public async Task<IReadOnlyList<IntakeOutcome>> AcceptAsync(IReadOnlyList<IncomingEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        await EnsureCreatedAsync().ConfigureAwait(false);
        var receivedAt = _clock.GetUtcNow();
        var tasks = events.Select(e => _committers[IntakeShards.For(e.AccountId)].EnqueueAsync(e, receivedAt)).ToArray();
        var dispositions = await Task.WhenAll(tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
        return events.Select((e, i) => new IntakeOutcome(e.Id, dispositions[i])).ToList();
    }

    /// <summary>The oldest pending events of a shard, in arrival order.</summary>
    public Task<IReadOnlyList<PendingEvent>> ReadPendingAsync(int shard, int max, CancellationToken cancellationToken) =>
        ReadPendingAsync(shard, afterKey: null, max, cancellationToken);

    /// <summary>Pending events of a shard in arrival order, after the pending row key <paramref name="afterKey"/> when given.</summary>
    public async Task<IReadOnlyList<PendingEvent>> ReadPendingAsync(int shard, string? afterKey, int max, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync().ConfigureAwait(false);
        var pk = IntakeShards.PartitionKey(shard);
        var filter = afterKey is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {IntakeRows.PendingPrefix} and RowKey lt {IntakeRows.PendingEnd}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey gt {afterKey} and RowKey lt {IntakeRows.PendingEnd}");
        var result = new List<PendingEvent>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(new PendingEvent(shard, row.RowKey, IntakeRows.EventIdOfPendingKey(row.RowKey), row.GetString("Source"), IntakeRows.ReadJson(row),
                row.GetInt32("Attempts") ?? 0, row.GetDateTimeOffset("ReceivedAt") ?? default, row.GetString("Account"), row.GetDateTimeOffset("RetryAt"), row.GetString("Type")));
            if (result.Count >= max)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>Marks the event processed, keeping <paramref name="retainedJson"/> (the event without personal data), and removes it from the pending list.</summary>
    public Task CompleteAsync(PendingEvent pending, string retainedJson, CancellationToken cancellationToken) =>
        FinishAsync(pending, IntakeRows.Processed, retainedJson, error: null, cancellationToken);

    /// <summary>
    /// Gives up on an event that failed too often, so the events behind it can be processed; it stays visible as failed,
    /// keeping <paramref name="retainedJson"/> (the event without personal data; empty when it could not be read).
    /// </summary>
    public Task ParkAsync(PendingEvent pending, string retainedJson, string error, CancellationToken cancellationToken) =>
        FinishAsync(pending, IntakeRows.Failed, retainedJson, error, cancellationToken);

    /// <summary>
    /// Marks many events of one shard processed (as <see cref="CompleteAsync"/>), 50 per entity-group transaction: both
    /// rows of an event always go in the same transaction.
    /// </summary>
    public async Task CompleteManyAsync(IReadOnlyList<(PendingEvent Pending, string RetainedJson)> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var shard in events.GroupBy(e => e.Pending.Shard))
        {
            var pk = IntakeShards.PartitionKey(shard.Key);
            foreach (var chunk in shard.Chunk(50))
            {
                if (chunk.Length == 1)
                {
                    await CompleteAsync(chunk[0].Pending, chunk[0].RetainedJson, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    await _table.SubmitTransactionAsync(chunk.SelectMany(e => FinishActions(pk, e.Pending, IntakeRows.Processed, e.RetainedJson, error: null)), cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (TableTransactionFailedException ex) when (ex.Status == 404)
                {
                    // Another host finished some of them first: one by one, where a missing row is fine.
                    foreach (var (pending, retained) in chunk)
                    {
                        await CompleteAsync(pending, retained, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    /// <summary>Counts a failed processing attempt on the pending row; it is not tried again before <paramref name="retryAt"/>.</summary>
    public async Task RecordFailureAsync(PendingEvent pending, string error, DateTimeOffset retryAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var row = new TableEntity(IntakeShards.PartitionKey(pending.Shard), pending.PendingKey)
        {
            ["Attempts"] = pending.Attempts + 1,
            ["LastError"] = Truncate(error),
            ["RetryAt"] = retryAt,
        };
        try
        {
            await _table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Another host finished it meanwhile.
        }
    }

    /// <summary>Deletes a shard's e| rows of events processed before <paramref name="cutoff"/> (their ids may then be accepted again); returns how many.</summary>
    public async Task<int> PruneProcessedAsync(int shard, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync().ConfigureAwait(false);
        var pk = IntakeShards.PartitionKey(shard);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {pk} and RowKey ge {IntakeRows.EventPrefix} and RowKey lt {IntakeRows.EventEnd} and Status eq {IntakeRows.Processed} and FinishedAt lt {cutoff}");
        var deleted = 0;
        var batch = new List<string>(100);
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            batch.Add(row.RowKey);
            if (batch.Count == 100)
            {
                deleted += await DeleteAsync(pk, batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        return deleted + (batch.Count > 0 ? await DeleteAsync(pk, batch, cancellationToken).ConfigureAwait(false) : 0);
    }

    /// <summary>Status of an event id in the intake (pending, processed, failed), or null when never accepted.</summary>
    public async Task<string?> GetStatusAsync(string accountId, string eventId, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync().ConfigureAwait(false);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(IntakeShards.PartitionKey(IntakeShards.For(accountId)), IntakeRows.EventKey(eventId),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? row.Value!.GetString("Status") : null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var committer in _committers)
        {
            await committer.StopAsync().ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    // The intake's own client, without per-request logging, tracing and telemetry headers: it sends the most requests.
    private static TableClient LeanTableClient(ResolvedStorage storage, StorageRequestCounter counter)
    {
        var options = new TableClientOptions();
        options.Diagnostics.IsLoggingEnabled = false;
        options.Diagnostics.IsDistributedTracingEnabled = false;
        options.Diagnostics.IsTelemetryEnabled = false;
        options.AddPolicy(counter.TablePolicy, HttpPipelinePosition.PerRetry);
        var name = storage.TaskHub + TableName;
        return storage.ConnectionString is { } cs
            ? new TableServiceClient(cs, options).GetTableClient(name)
            : new TableServiceClient(storage.TableServiceUri!, storage.Credential!, options).GetTableClient(name);
    }

    private TableTransactionAction[] FinishActions(string pk, PendingEvent pending, string status, string json, string? error)
    {
        var eventRow = new TableEntity(pk, IntakeRows.EventKey(pending.EventId))
        {
            ["Status"] = status,
            ["FinishedAt"] = _clock.GetUtcNow(),
            ["Error"] = error is null ? null : Truncate(error),
        };
        IntakeRows.WriteJson(eventRow, json);
        return
        [
            new TableTransactionAction(TableTransactionActionType.UpdateMerge, eventRow, ETag.All),
            new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(pk, pending.PendingKey), ETag.All),
        ];
    }

    private async Task FinishAsync(PendingEvent pending, string status, string json, string? error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var pk = IntakeShards.PartitionKey(pending.Shard);
        try
        {
            await _table.SubmitTransactionAsync(FinishActions(pk, pending, status, json, error), cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404)
        {
            // Another host finished the same event first: its outcome stands.
        }
    }

    private async Task<int> DeleteAsync(string partitionKey, List<string> rowKeys, CancellationToken cancellationToken)
    {
        try
        {
            await _table.SubmitTransactionAsync(rowKeys.Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partitionKey, key), ETag.All)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404)
        {
            // Another host pruned some of them meanwhile: delete one by one, a missing row being fine.
            foreach (var key in rowKeys)
            {
                try
                {
                    await _table.DeleteEntityAsync(partitionKey, key, ETag.All, cancellationToken).ConfigureAwait(false);
                }
                catch (RequestFailedException one) when (one.Status == 404)
                {
                    // Already gone.
                }
            }
        }

        return rowKeys.Count;
    }

    private static string Truncate(string text) => text.Length <= 4000 ? text : text[..4000];
}
