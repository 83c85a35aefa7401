// The last contact of an account whose events were all applied before intake kept it (AccountContact), computed once from
// what is stored and written to its account row. Invariants: the same rule as AccountContact (bookkeeping events are not
// contact; a meeting counts at held_at, read from its meeting row); written as min/max under the row's ETag, so a
// concurrent intake write is never undone; once FirstEventAt is set the account is never backfilled again.
using System.Globalization;
using Azure.Data.Tables;
using KamFlows.Domain.Events;
using KamFlows.Workflows.AccountCare;

namespace KamFlows.Infrastructure.Accounts;

/// <summary>Fills <c>LastContactAt</c>/<c>FirstEventAt</c> of an account row written before they existed, from its timeline and meeting rows.</summary>
internal static class AccountContactBackfill
{
    public static bool Needed(TableEntity accountRow) =>
        accountRow.GetDateTimeOffset(AccountContact.FirstEventAt) is null && accountRow.GetDateTimeOffset(AccountContact.LastContactAt) is null;

    /// <summary>Computes and stores the columns; returns them as stored.</summary>
    public static async Task<(DateTimeOffset? Last, DateTimeOffset? First)> RunAsync(AccountStore store, TableEntity accountRow, CancellationToken cancellationToken)
    {
        var accountId = accountRow.PartitionKey;
        var received = await store.Timeline.ReceivedKindsAsync(accountId, cancellationToken).ConfigureAwait(false);
        DateTimeOffset? first = received.Count > 0 ? received.Min(e => e.Time) : null;
        // Meetings count at held_at, from the meeting rows below.
        DateTimeOffset? last = received.Where(e => e.Kind != CanonicalEventTypes.MeetingLogged && ClientContact.IsContact(e.Kind)).Select(e => (DateTimeOffset?)e.Time).Max();
        var (from, to) = AccountRows.Range(AccountRows.Meeting);
        var meetings = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {from} and RowKey lt {to}");
        await foreach (var meeting in store.Accounts.QueryAsync<TableEntity>(meetings, select: ["HeldAt"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (meeting.GetDateTimeOffset("HeldAt") is { } held && (last is null || held > last))
            {
                last = held;
            }
        }

        // No timeline at all: the account's own upsert (its event mark) is the first thing known of it.
        first ??= MarkTime(accountRow.GetString("DetailsMark"));
        DateTimeOffset? storedFirst = null, storedLast = null;
        await OptimisticRow.UpdateAsync(store.Accounts, accountId, AccountRows.Account, row =>
        {
            var changed = AccountContact.Record(row, first, last);
            storedFirst = row.GetDateTimeOffset(AccountContact.FirstEventAt);
            storedLast = row.GetDateTimeOffset(AccountContact.LastContactAt);
            return changed;
        }, cancellationToken).ConfigureAwait(false);
        return (storedLast, storedFirst);
    }

    /// <summary>The event time in an EventMark (<c>{utcTicks:D19}|{eventId}</c>).</summary>
    private static DateTimeOffset? MarkTime(string? mark) =>
        mark is { Length: > 19 } && long.TryParse(mark.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
}
