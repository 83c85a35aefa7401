// Read-modify-write of many rows of one account partition at once (intake's batches).
// Invariants:
// - every row is read once per attempt and every change for it is applied to that one copy, in the order added;
// - rows are written with the ETag they were read with (Add for a new row), in entity-group transactions of the one
//   partition, so a concurrent writer makes the transaction fail (409/412) and everything is re-read and recomputed;
// - the changes are the same pure functions OptimisticRow takes (false: nothing to change), so a retry, or a repeat of
//   the whole batch after a crash, writes nothing that is already there;
// - the account row, when only its contact columns change, is not read if this process knows a past state of it
//   (KnownContactColumns): the change is computed on that state and merged under its ETag; a refusal (412) forgets it and
//   the next attempt reads, as for any conflict.
using Azure;
using Azure.Data.Tables;

namespace KamFlows.Infrastructure.Accounts;

/// <summary>Changes to rows of one partition, collected and then saved with one read and one write per row.</summary>
internal sealed class AccountRowChanges(TableClient table, string partitionKey, KnownContactColumns? known = null)
{
    private const int MaxAttempts = 20;
    private const int MaxActionsPerTransaction = 100;
    private const int ConcurrentReads = 8;

    private readonly Dictionary<string, List<Func<TableEntity, bool>>> _changes = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly HashSet<string> _fullChanges = new(StringComparer.Ordinal);

    /// <summary>Adds a change of the account row's contact columns only (<see cref="AccountContact"/>): may run on a known past state instead of a read.</summary>
    public Task AddContactChange(Func<TableEntity, bool> change) => AddCore(AccountRows.Account, change, full: false);

    /// <summary>Adds a change of one row (applied in <see cref="SaveAsync"/>).</summary>
    public Task Add(string rowKey, Func<TableEntity, bool> change) => AddCore(rowKey, change, full: true);

    private Task AddCore(string rowKey, Func<TableEntity, bool> change, bool full)
    {
        if (full)
        {
            _fullChanges.Add(rowKey);
        }

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
            // A known past state of the account row stands in for its read when only its contact columns change.
            var knownAccount = known is not null && _changes.ContainsKey(AccountRows.Account) && !_fullChanges.Contains(AccountRows.Account)
                ? known.Get(partitionKey) : null;
            var rows = await ReadAsync(knownAccount is null ? null : AccountRows.Account, cancellationToken).ConfigureAwait(false);
            if (knownAccount is not null)
            {
                rows.Add((AccountRows.Account, knownAccount));
            }

            var actions = new List<TableTransactionAction>();
            foreach (var (key, existing) in rows)
            {
                var row = existing ?? new TableEntity(partitionKey, key);
                var changed = false;
                foreach (var change in _changes[key])
                {
                    changed |= change(row);
                }

                if (key == AccountRows.Account && existing is not null && !ReferenceEquals(existing, knownAccount))
                {
                    known?.Remember(partitionKey, existing.ETag, existing); // As read: the next batch may not need to read it.
                }

                if (changed)
                {
                    actions.Add(existing is null
                        ? new TableTransactionAction(TableTransactionActionType.Add, row)
                        : ReferenceEquals(existing, knownAccount)
                            ? new TableTransactionAction(TableTransactionActionType.UpdateMerge, row, row.ETag) // Only the contact columns, under the known ETag.
                            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, row.ETag));
                }
            }

            try
            {
                foreach (var chunk in actions.Chunk(MaxActionsPerTransaction))
                {
                    var responses = await table.SubmitTransactionAsync(chunk, cancellationToken).ConfigureAwait(false);
                    RememberWritten(chunk, responses.Value);
                }

                return actions.Count;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another writer changed one of the rows (or a chunk before this one was written): read again and recompute.
                known?.Forget(partitionKey);
                OptimisticRow.CountConflict();
            }
        }

        throw new InvalidOperationException($"Rows of {partitionKey} kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>The account row as this transaction wrote it, with the ETag the service answered, for the next batch of the account.</summary>
    private void RememberWritten(TableTransactionAction[] chunk, IReadOnlyList<Response> responses)
    {
        if (known is null)
        {
            return;
        }

        for (var i = 0; i < chunk.Length && i < responses.Count; i++)
        {
            if (chunk[i].Entity is TableEntity row && row.RowKey == AccountRows.Account)
            {
                if (responses[i].Headers.ETag is { } etag)
                {
                    known.Remember(partitionKey, etag, row);
                }
                else
                {
                    known.Forget(partitionKey);
                }
            }
        }
    }

    private async Task<List<(string Key, TableEntity? Row)>> ReadAsync(string? skip, CancellationToken cancellationToken)
    {
        var keys = _order.Where(k => k != skip).ToList();
        var result = new (string Key, TableEntity? Row)[keys.Count];
        using var gate = new SemaphoreSlim(ConcurrentReads);
        await Task.WhenAll(keys.Select(async (key, i) =>
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
