// Reads and writes instance partitions. Invariants:
// - a step commits in ONE entity-group transaction guarded by the instance row's ETag (412 → reload, retry);
// - every other write into a partition (client inbox messages) also touches the instance row, so it changes
//   that ETag and no step can commit without having seen it;
// - rows written with caller-chosen keys are idempotent (409 means "already there").
using Azure;
using Azure.Data.Tables;
using KamFlows.Durable.History;

namespace KamFlows.Durable.Storage;

/// <summary>A concurrent writer changed the partition since it was loaded.</summary>
internal sealed class ConcurrencyConflictException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Result of delivering an inbox message.</summary>
internal enum DeliveryResult
{
    Delivered,
    Duplicate,
    InstanceNotFound,
}

/// <summary>What one step writes.</summary>
internal sealed record StepCommit(
    InstanceRecord Record,
    IReadOnlyList<HistoryChunk> NewChunks,
    IReadOnlyList<string> InboxDeletes,
    IReadOnlyList<string> StaleDeletes);

internal sealed class InstanceStore(DurableStorage storage, PayloadStore payloads, TimeProvider leaseClock, TimeSpan eventIdRetention)
{
    private const int MaxTransactionOperations = 100;

    public PayloadStore Payloads => payloads;

    public static string PartitionKeyOf(string instanceId) => KeyEncoding.Encode(instanceId);

    public async Task<InstanceState?> LoadAsync(string instanceId, CancellationToken cancellationToken)
    {
        var pk = PartitionKeyOf(instanceId);
        InstanceRecord? record = null;
        var historyRows = new List<TableEntity>();
        var inbox = new List<InboxMessage>();
        var expiredTombstones = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {pk}");
        await foreach (var row in storage.Instances.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey == InstanceRecord.RowKey)
            {
                record = InstanceRecord.FromEntity(row);
            }
            else if (row.RowKey.StartsWith(HistoryChunk.RowKeyPrefix, StringComparison.Ordinal))
            {
                historyRows.Add(row);
            }
            else if (row.RowKey.StartsWith(InboxMessage.RowKeyPrefix, StringComparison.Ordinal))
            {
                if (row.GetBoolean("Consumed") != true)
                {
                    inbox.Add(InboxMessage.FromEntity(row));
                }
                else if (row.GetInt64("Order") < (leaseClock.GetUtcNow() - eventIdRetention).UtcTicks)
                {
                    expiredTombstones.Add(row.RowKey);
                }
            }
        }

        if (record is null)
        {
            return null;
        }

        var state = new InstanceState { InstanceId = instanceId, PartitionKey = pk, Record = record };
        if (record.Status == OrchestrationRuntimeStatus.Pending)
        {
            state.PendingInput = await payloads.ResolveAsync(record.Input, cancellationToken).ConfigureAwait(false);
        }

        foreach (var row in historyRows)
        {
            if (HistoryChunk.ExecutionOf(row.RowKey) == record.ExecutionId)
            {
                state.Chunks.Add(await HistoryChunk.FromEntityAsync(row, payloads, cancellationToken).ConfigureAwait(false));
            }
            else
            {
                state.StaleRowKeys.Add(row.RowKey);
            }
        }

        state.StaleRowKeys.AddRange(expiredTombstones);
        state.Chunks.Sort((a, b) => a.Step.CompareTo(b.Step));
        foreach (var m in inbox.OrderBy(m => m.Order).ThenBy(m => m.RowKey, StringComparer.Ordinal))
        {
            state.Inbox.Add(m with { Payload = await payloads.ResolveAsync(m.Payload, cancellationToken).ConfigureAwait(false) });
        }

        return state;
    }

    /// <summary>Commits a step; returns the instance row's new ETag (null if the service did not say).</summary>
    public async Task<ETag?> CommitAsync(InstanceState state, StepCommit commit, CancellationToken cancellationToken)
    {
        var pk = state.PartitionKey;
        var record = commit.Record with
        {
            Input = await payloads.OffloadAsync(pk, commit.Record.Input, cancellationToken).ConfigureAwait(false),
            Output = await payloads.OffloadAsync(pk, commit.Record.Output, cancellationToken).ConfigureAwait(false),
            CustomStatus = await payloads.OffloadAsync(pk, commit.Record.CustomStatus, cancellationToken).ConfigureAwait(false),
        };
        var ops = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, record.ToEntity(pk), state.Record.ETag),
        };
        foreach (var chunk in commit.NewChunks)
        {
            ops.Add(new(TableTransactionActionType.Add, await chunk.ToEntityAsync(pk, payloads, cancellationToken).ConfigureAwait(false)));
        }

        foreach (var rk in commit.InboxDeletes)
        {
            // An event delivered with an id leaves a tombstone, so the same id is refused (409) for a while after.
            ops.Add(InboxMessage.KeepsTombstone(rk)
                ? new(TableTransactionActionType.UpdateReplace, new TableEntity(pk, rk) { ["Consumed"] = true, ["Order"] = leaseClock.GetUtcNow().UtcTicks }, ETag.All)
                : new(TableTransactionActionType.Delete, new TableEntity(pk, rk), ETag.All));
        }

        foreach (var rk in commit.StaleDeletes)
        {
            ops.Add(new(TableTransactionActionType.Delete, new TableEntity(pk, rk), ETag.All));
        }

        try
        {
            var response = await storage.Instances.SubmitTransactionAsync(ops, cancellationToken).ConfigureAwait(false);
            var etag = response.Value.Count > 0 ? response.Value[0].Headers.ETag : null;
            return etag;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409 or 404)
        {
            throw new ConcurrencyConflictException($"Instance '{state.InstanceId}' changed while its step ran ({ex.Status} {ex.ErrorCode}).", ex);
        }
    }

    public async Task<InstanceRecord?> GetRecordAsync(string instanceId, CancellationToken cancellationToken)
    {
        var response = await storage.Instances.GetEntityIfExistsAsync<TableEntity>(PartitionKeyOf(instanceId), InstanceRecord.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? InstanceRecord.FromEntity(response.Value!) : null;
    }

    /// <summary>Creates a new instance (and its first inbox message). False if the instance already exists.</summary>
    public async Task<bool> TryCreateAsync(InstanceRecord record, InboxMessage? message, CancellationToken cancellationToken)
    {
        var pk = PartitionKeyOf(record.InstanceId);
        var stored = record with { Input = await payloads.OffloadAsync(pk, record.Input, cancellationToken).ConfigureAwait(false) };
        var ops = new List<TableTransactionAction> { new(TableTransactionActionType.Add, stored.ToEntity(pk)) };
        if (message is not null)
        {
            ops.Add(new(TableTransactionActionType.UpsertReplace, (await OffloadAsync(pk, message, cancellationToken).ConfigureAwait(false)).ToEntity(pk)));
        }

        try
        {
            await storage.Instances.SubmitTransactionAsync(ops, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409 && ex.FailedTransactionActionIndex == 0)
        {
            return false;
        }
    }

    /// <summary>Replaces a finished instance by a new execution (guarded by the ETag read). False if it changed meanwhile.</summary>
    public async Task<bool> TryReplaceAsync(InstanceRecord record, InboxMessage? message, CancellationToken cancellationToken)
    {
        var pk = PartitionKeyOf(record.InstanceId);
        var stored = record with { Input = await payloads.OffloadAsync(pk, record.Input, cancellationToken).ConfigureAwait(false) };
        var ops = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, stored.ToEntity(pk), record.ETag) };
        if (message is not null)
        {
            ops.Add(new(TableTransactionActionType.UpsertReplace, (await OffloadAsync(pk, message, cancellationToken).ConfigureAwait(false)).ToEntity(pk)));
        }

        try
        {
            await storage.Instances.SubmitTransactionAsync(ops, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>Adds a message to an existing instance's inbox, touching its instance row in the same transaction.</summary>
    public async Task<DeliveryResult> AppendInboxAsync(string instanceId, InboxMessage message, CancellationToken cancellationToken)
    {
        var pk = PartitionKeyOf(instanceId);
        var touch = new TableEntity(pk, InstanceRecord.RowKey) { ["InboxAt"] = message.Order };
        var ops = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateMerge, touch, ETag.All),
            new(TableTransactionActionType.Add, (await OffloadAsync(pk, message, cancellationToken).ConfigureAwait(false)).ToEntity(pk)),
        };
        try
        {
            await storage.Instances.SubmitTransactionAsync(ops, cancellationToken).ConfigureAwait(false);
            return DeliveryResult.Delivered;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404 && ex.FailedTransactionActionIndex is 0 or null)
        {
            return DeliveryResult.InstanceNotFound;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            return DeliveryResult.Duplicate;
        }
    }

    /// <summary>Marks an instance failed without reading it (its history may be what cannot be read).</summary>
    public async Task MarkFailedAsync(string instanceId, TaskFailureDetails failure, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(PartitionKeyOf(instanceId), InstanceRecord.RowKey)
        {
            ["Status"] = nameof(OrchestrationRuntimeStatus.Failed),
            ["Failure"] = System.Text.Json.JsonSerializer.Serialize(failure, HistoryJson.Options),
            ["CompletedAt"] = now,
            ["LastUpdatedAt"] = now,
            ["ClaimOwner"] = null,
            ["ClaimUntil"] = null,
        };
        try
        {
            await storage.Instances.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Nothing to mark.
        }
    }

    /// <summary>Deletes every row of an instance's partition and its payload blobs.</summary>
    public async Task<int> DeletePartitionAsync(string instanceId, CancellationToken cancellationToken)
    {
        var pk = PartitionKeyOf(instanceId);
        var keys = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {pk}");
        await foreach (var row in storage.Instances.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(row.RowKey);
        }

        // The instance row goes last, so a crash midway leaves a purgeable instance, not headless rows.
        keys.Sort((a, b) => a == InstanceRecord.RowKey ? 1 : b == InstanceRecord.RowKey ? -1 : string.CompareOrdinal(a, b));
        foreach (var batch in keys.Chunk(MaxTransactionOperations))
        {
            var ops = batch.Select(rk => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(pk, rk), ETag.All)).ToList();
            await storage.Instances.SubmitTransactionAsync(ops, cancellationToken).ConfigureAwait(false);
        }

        await payloads.DeleteAllAsync(pk, cancellationToken).ConfigureAwait(false);
        return keys.Count;
    }

    /// <summary>Reads the current execution's history (for clients).</summary>
    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken)
    {
        var state = await LoadAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return state is null ? [] : [.. state.Events];
    }

    private async Task<InboxMessage> OffloadAsync(string pk, InboxMessage message, CancellationToken cancellationToken) =>
        message with { Payload = await payloads.OffloadAsync(pk, message.Payload, cancellationToken).ConfigureAwait(false) };
}
