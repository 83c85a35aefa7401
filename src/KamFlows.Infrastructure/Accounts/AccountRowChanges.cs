// Read-modify-write of many rows of one account partition at once (intake's batches).
// Invariants:
// - every row is read once per attempt and every change for it is applied to that one copy, in the order added;
// - rows are written with the ETag they were read with (Add for a new row), in entity-group transactions of the one
//   partition, so a concurrent writer makes the transaction fail (409/412) and everything is re-read and recomputed;
// - the changes are the same pure functions OptimisticRow takes (false: nothing to change), so a retry, or a repeat of
//   the whole batch after a crash, writes nothing that is already there.
using Azure;
using Azure.Data.Tables;

namespace KamFlows.Infrastructure.Accounts;

/// <summary>Changes to rows of one partition, collected and then saved with one read and one write per row.</summary>
internal sealed class AccountRowChanges(TableClient table, string partitionKey)
{
    private const int MaxAttempts = 20;
    private const int MaxActionsPerTransaction = 100;
    private const int ConcurrentReads = 8;

    private readonly Dictionary<string, List<Func<TableEntity, bool>>> _changes = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Adds a change of one row (applied in <see cref="SaveAsync"/>).</summary>
    public Task Add(string rowKey, Func<TableEntity, bool> change)
    {
        if (!_changes.TryGetValue(rowKey, out var list))
        {
            _changes[rowKey] = list = [];
            _order.Add(rowKey);
        }

        list.Add(change);
        return Task.CompletedTask;
    }

    /// <summary>Reads every changed row once, applies its changes and writes the rows that changed; returns how many were written.</summary>
    public async Task<int> SaveAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var rows = await ReadAsync(cancellationToken).ConfigureAwait(false);
            var actions = new List<TableTransactionAction>();
            foreach (var (key, existing) in rows)
            {
                var row = existing ?? new TableEntity(partitionKey, key);
                var changed = false;
                foreach (var change in _changes[key])
                {
                    changed |= change(row);
                }

                if (changed)
                {
                    actions.Add(existing is null
                        ? new TableTransactionAction(TableTransactionActionType.Add, row)
                        : new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, row.ETag));
                }
            }

            try
            {
                foreach (var chunk in actions.Chunk(MaxActionsPerTransaction))
                {
                    await table.SubmitTransactionAsync(chunk, cancellationToken).ConfigureAwait(false);
                }

                return actions.Count;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another writer changed one of the rows (or a chunk before this one was written): read again and recompute.
                OptimisticRow.CountConflict();
            }
        }

        throw new InvalidOperationException($"Rows of {partitionKey} kept changing; gave up after {MaxAttempts} attempts.");
    }

    private async Task<List<(string Key, TableEntity? Row)>> ReadAsync(CancellationToken cancellationToken)
    {
        var result = new (string Key, TableEntity? Row)[_order.Count];
        using var gate = new SemaphoreSlim(ConcurrentReads);
        await Task.WhenAll(_order.Select(async (key, i) =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var found = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, key, cancellationToken: cancellationToken).ConfigureAwait(false);
                result[i] = (key, found.HasValue ? found.Value : null);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        return [.. result];
    }
}
