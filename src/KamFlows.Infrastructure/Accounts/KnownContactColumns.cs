// What this process last saw of each account row's contact columns (AccountContact), with the row's ETag.
// Invariants: an entry is only ever a past state of the row (taken from a read or from the answer to a write), so a write
// made from it carries that ETag and is refused (412) if the row changed since, never overwriting a newer state; the
// columns only move outward, so a change found unnecessary against a past state is unnecessary against the current one.
// Bounded: past MaxEntries the whole map is dropped and refilled by the next reads.
using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace KamFlows.Infrastructure.Accounts;

/// <summary>The account rows' contact columns as last read or written here, so an event that only moves them needs no read.</summary>
internal sealed class KnownContactColumns
{
    private const int MaxEntries = 200_000;

    private readonly ConcurrentDictionary<string, (ETag ETag, DateTimeOffset? First, DateTimeOffset? Last)> _rows = new(StringComparer.Ordinal);

    /// <summary>A partial copy of the row (contact columns and ETag only), or null when unknown.</summary>
    public TableEntity? Get(string partitionKey)
    {
        if (!_rows.TryGetValue(partitionKey, out var known))
        {
            return null;
        }

        // Absent columns stay absent (a merge writes what the row holds, never a null over a value).
        var row = new TableEntity(partitionKey, AccountRows.Account) { ETag = known.ETag };
        if (known.First is { } first)
        {
            row[AccountContact.FirstEventAt] = first;
        }

        if (known.Last is { } last)
        {
            row[AccountContact.LastContactAt] = last;
        }

        return row;
    }

    public void Remember(string partitionKey, ETag etag, TableEntity row)
    {
        if (_rows.Count >= MaxEntries)
        {
            _rows.Clear();
        }

        _rows[partitionKey] = (etag, row.GetDateTimeOffset(AccountContact.FirstEventAt), row.GetDateTimeOffset(AccountContact.LastContactAt));
    }

    public void Forget(string partitionKey) => _rows.TryRemove(partitionKey, out _);
}
