// Per client contact and ISO week, the ids of automated client-facing messages that used the budget
// (row PartitionKey budget|{contact}, RowKey yyyy-Www in the contact's zone, in the outbox table).
// Invariants: a reservation is idempotent per notification id (a retried or recovered send does not count twice);
// the list only grows past the limit never (checked and written under the row's ETag).
using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace KamFlows.Infrastructure.Notifications.Outbox;

/// <summary>How many automated client-facing messages a contact has had this week, so nobody at the client is flooded.</summary>
public sealed class TouchBudget
{
    private readonly TableClient _table;

    public TouchBudget(TableClient table) => _table = table;

    /// <summary>Counts <paramref name="notificationId"/> against the week's budget; false when the budget is used up by others.</summary>
    public async Task<bool> TryReserveAsync(string contactKey, string isoWeek, string notificationId, int limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (ids, etag) = await ReadAsync(contactKey, isoWeek, cancellationToken).ConfigureAwait(false);
            if (ids.Contains(notificationId))
            {
                return true;
            }

            if (ids.Count >= limit)
            {
                return false;
            }

            ids.Add(notificationId);
            if (await TryWriteAsync(contactKey, isoWeek, ids, etag, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }
    }

    /// <summary>Gives the reservation back (the message failed for good, so the contact was not touched).</summary>
    public async Task ReleaseAsync(string contactKey, string isoWeek, string notificationId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (ids, etag) = await ReadAsync(contactKey, isoWeek, cancellationToken).ConfigureAwait(false);
            if (!ids.Remove(notificationId) || await TryWriteAsync(contactKey, isoWeek, ids, etag, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    public async Task<IReadOnlyList<string>> UsedAsync(string contactKey, string isoWeek, CancellationToken cancellationToken) =>
        (await ReadAsync(contactKey, isoWeek, cancellationToken).ConfigureAwait(false)).Ids;

    private async Task<(List<string> Ids, ETag? ETag)> ReadAsync(string contactKey, string isoWeek, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(OutboxKeys.BudgetPartition(contactKey), isoWeek, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue
            ? (JsonSerializer.Deserialize<List<string>>(row.Value!.GetString("Ids") ?? "[]") ?? [], row.Value.ETag)
            : ([], null);
    }

    private async Task<bool> TryWriteAsync(string contactKey, string isoWeek, List<string> ids, ETag? etag, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(OutboxKeys.BudgetPartition(contactKey), isoWeek) { ["Ids"] = JsonSerializer.Serialize(ids) };
        try
        {
            if (etag is { } current)
            {
                await _table.UpdateEntityAsync(entity, current, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false; // Another sender changed the week's list: read it again.
        }
    }
}
