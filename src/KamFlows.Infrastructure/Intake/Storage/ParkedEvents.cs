// Events the processor parked as failed, for operators: list, inspect, retry, discard.
// Invariants:
// - only e| rows whose Status is failed are retried or discarded; anything else is reported, never changed;
// - retry and discard are conditional on the e| row's ETag as read: of two operators (or a retry racing a discard) one
//   wins and the other gets Conflict, so an event is never queued twice;
// - a retry writes, in one transaction, the e| row back to pending (as acceptance wrote it) and a new q| row at the end of
//   its shard with attempts 0 and the kept event JSON: the processor sees a freshly accepted event;
// - the kept JSON is the event without personal data (intake drops it when it parks an event), so a retried contact
//   update applies everything but personal data, which stays as it was;
// - a discarded event keeps its e| row (Status discarded): its id stays known, so a re-send is still a duplicate.
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using KamFlows.Domain.Events;

namespace KamFlows.Infrastructure.Intake.Storage;

/// <summary>One event parked as failed (or, when inspected, whatever became of it); <see cref="Json"/> is the kept event (no personal data), empty when it could not be read.</summary>
public sealed record ParkedEvent(string EventId, int Shard, string Status, string? Source, string? Type, string? AccountId,
    DateTimeOffset? ReceivedAt, DateTimeOffset? FailedAt, string? Error, string Json);

/// <summary>A page of parked events; <see cref="ContinuationToken"/> asks for the next one (null at the end).</summary>
public sealed record ParkedEventPage(IReadOnlyList<ParkedEvent> Events, string? ContinuationToken);

/// <summary>What an operator's retry or discard did.</summary>
public enum ParkedEventChange
{
    /// <summary>Done: retried (queued again) or discarded.</summary>
    Done,

    /// <summary>No event with this id was ever accepted (or it was forgotten after its retention).</summary>
    NotFound,

    /// <summary>The event is not failed (pending, processed or discarded): nothing changed.</summary>
    NotFailed,

    /// <summary>Someone else changed the event between read and write: nothing changed here; read it again.</summary>
    Conflict,

    /// <summary>The stored event could not be read when it was parked, so there is nothing to process again.</summary>
    NothingToRetry,
}

public sealed class ParkedEvents(IntakeStore store, TimeProvider clock)
{
    public const string Discarded = "discarded";

    /// <summary>Failed events of every shard, a page at a time.</summary>
    public async Task<ParkedEventPage> ListAsync(int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        await store.EnsureCreatedAsync().ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"RowKey ge {IntakeRows.EventPrefix} and RowKey lt {IntakeRows.EventEnd} and Status eq {IntakeRows.Failed}");
        await foreach (var page in store.Table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize).ConfigureAwait(false))
        {
            return new ParkedEventPage(page.Values.Select(Read).ToList(), page.ContinuationToken);
        }

        return new ParkedEventPage([], null);
    }

    /// <summary>The event with this id, whatever its status; null when never accepted.</summary>
    public async Task<ParkedEvent?> GetAsync(string eventId, CancellationToken cancellationToken) =>
        await FindAsync(eventId, cancellationToken).ConfigureAwait(false) is { } row ? Read(row) : null;

    /// <summary>Queues a failed event again, as if it had just been accepted.</summary>
    public async Task<(ParkedEventChange Change, ParkedEvent? Event)> RetryAsync(string eventId, CancellationToken cancellationToken)
    {
        if (await FindAsync(eventId, cancellationToken).ConfigureAwait(false) is not { } row)
        {
            return (ParkedEventChange.NotFound, null);
        }

        var parked = Read(row);
        if (parked.Status != IntakeRows.Failed)
        {
            return (ParkedEventChange.NotFailed, parked);
        }

        if (parked.Json.Length == 0)
        {
            return (ParkedEventChange.NothingToRetry, parked);
        }

        var now = clock.GetUtcNow();
        var eventRow = new TableEntity(row.PartitionKey, row.RowKey)
        {
            ["Status"] = IntakeRows.Pending,
            ["Source"] = parked.Source,
            ["Type"] = parked.Type,
            ["ReceivedAt"] = parked.ReceivedAt,
            ["RetriedAt"] = now,
        };
        var pendingRow = new TableEntity(row.PartitionKey, IntakeRows.PendingKey(now.UtcTicks, eventId))
        {
            ["Source"] = parked.Source,
            ["ReceivedAt"] = parked.ReceivedAt,
            ["Account"] = parked.AccountId, // As acceptance writes them: the processor groups by account and type without parsing.
            ["Type"] = parked.Type,
        };
        IntakeRows.WriteJson(pendingRow, parked.Json);
        var change = await SubmitAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, eventRow, row.ETag),
            new TableTransactionAction(TableTransactionActionType.Add, pendingRow),
        ], cancellationToken).ConfigureAwait(false);
        return (change, parked with { Status = change == ParkedEventChange.Done ? IntakeRows.Pending : parked.Status });
    }

    /// <summary>Gives up on a failed event for good; its id stays known.</summary>
    public async Task<(ParkedEventChange Change, ParkedEvent? Event)> DiscardAsync(string eventId, CancellationToken cancellationToken)
    {
        if (await FindAsync(eventId, cancellationToken).ConfigureAwait(false) is not { } row)
        {
            return (ParkedEventChange.NotFound, null);
        }

        var parked = Read(row);
        if (parked.Status != IntakeRows.Failed)
        {
            return (ParkedEventChange.NotFailed, parked);
        }

        var change = ParkedEventChange.Done;
        try
        {
            var update = new TableEntity(row.PartitionKey, row.RowKey) { ["Status"] = Discarded, ["DiscardedAt"] = clock.GetUtcNow() };
            await store.Table.UpdateEntityAsync(update, row.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            change = ParkedEventChange.Conflict;
        }

        return (change, parked with { Status = change == ParkedEventChange.Done ? Discarded : parked.Status });
    }

    // The shard follows from the account id, which the caller does not give: one point read per shard, in parallel.
    private async Task<TableEntity?> FindAsync(string eventId, CancellationToken cancellationToken)
    {
        await store.EnsureCreatedAsync().ConfigureAwait(false);
        var key = IntakeRows.EventKey(eventId);
        var reads = await Task.WhenAll(Enumerable.Range(0, IntakeShards.Count).Select(async shard =>
        {
            var found = await store.Table.GetEntityIfExistsAsync<TableEntity>(IntakeShards.PartitionKey(shard), key, cancellationToken: cancellationToken).ConfigureAwait(false);
            return found.HasValue ? found.Value : null;
        })).ConfigureAwait(false);
        return reads.FirstOrDefault(r => r is not null);
    }

    private async Task<ParkedEventChange> SubmitAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            await store.Table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return ParkedEventChange.Done;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409 or 404)
        {
            return ParkedEventChange.Conflict;
        }
    }

    private static ParkedEvent Read(TableEntity row)
    {
        var json = IntakeRows.ReadJson(row);
        string? accountId = null;
        if (json.Length > 0 && CanonicalEventParser.Parse(json) is { IsValid: true } parsed)
        {
            accountId = parsed.Event.AccountId;
        }

        return new ParkedEvent(row.RowKey[IntakeRows.EventPrefix.Length..], int.Parse(row.PartitionKey, NumberStyles.Integer, CultureInfo.InvariantCulture),
            row.GetString("Status") ?? string.Empty, row.GetString("Source"), row.GetString("Type"), accountId,
            row.GetDateTimeOffset("ReceivedAt"), row.GetDateTimeOffset("FinishedAt"), row.GetString("Error"), json);
    }
}
