// Read-modify-write of one table row under optimistic concurrency.
// Invariant: a change is written only against the version it was computed from (Add for a new row, Replace with the
// row's ETag otherwise); on 409/412 the row is read again and the change recomputed, so concurrent writers never lose
// each other's updates.
using Azure;
using Azure.Data.Tables;

namespace KamFlows.Infrastructure.Accounts;

internal static class OptimisticRow
{
    private const int MaxAttempts = 20;

    private static long _conflicts;

    /// <summary>Writes refused because another writer changed the row first (409/412), since start; each was recomputed.</summary>
    public static long Conflicts => Interlocked.Read(ref _conflicts);

    /// <summary>Counts one refused write (also for <see cref="AccountRowChanges"/>).</summary>
    public static void CountConflict()
    {
        Interlocked.Increment(ref _conflicts);
        KamFlowsMetrics.AccountWriteConflict();
    }

    /// <summary>Applies <paramref name="change"/> (which returns false when it has nothing to change) and saves the row.</summary>
    public static async Task<bool> UpdateAsync(TableClient table, string partitionKey, string rowKey, Func<TableEntity, bool> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            var row = existing.HasValue ? existing.Value! : new TableEntity(partitionKey, rowKey);
            if (!change(row))
            {
                return false;
            }

            try
            {
                if (existing.HasValue)
                {
                    await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
                }

                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Someone else wrote the row first: recompute from their version.
                CountConflict();
            }
        }

        throw new InvalidOperationException($"Row {partitionKey}/{rowKey} kept changing; gave up after {MaxAttempts} attempts.");
    }
}
