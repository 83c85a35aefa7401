// The last contact with a client, kept on the account row as intake applies events, so the head's weekly report reads one
// row per account instead of every timeline. Invariants: LastContactAt only moves forward and FirstEventAt only backward
// (max and min), so a repeated or late event never changes them wrongly; what counts as contact is what the AccountCare
// workflow counts (its Apply): every event except the account's own bookkeeping, a meeting at the time it was held.
using Azure.Data.Tables;
using KamFlows.Domain.Events;
using KamFlows.Workflows.AccountCare;

namespace KamFlows.Infrastructure.Accounts;

/// <summary>Columns <c>LastContactAt</c> and <c>FirstEventAt</c> of the <c>account</c> row.</summary>
internal static class AccountContact
{
    public const string LastContactAt = "LastContactAt";
    public const string FirstEventAt = "FirstEventAt";

    /// <summary>When the event was contact with the client, by the rule the KAM's dormancy alert follows.</summary>
    public static DateTimeOffset? ContactAt(CanonicalEvent canonicalEvent) => ClientContact.At(canonicalEvent);

    /// <summary>Moves the row's first event back and its last contact forward; false when neither changes (nothing to write).</summary>
    public static bool Record(TableEntity row, CanonicalEvent canonicalEvent) =>
        Record(row, canonicalEvent.Time.ToDateTimeOffset(), ContactAt(canonicalEvent));

    /// <inheritdoc cref="Record(TableEntity, CanonicalEvent)"/>
    public static bool Record(TableEntity row, DateTimeOffset? eventAt, DateTimeOffset? contactAt)
    {
        var changed = false;
        if (eventAt is { } at && (row.GetDateTimeOffset(FirstEventAt) is not { } first || at < first))
        {
            row[FirstEventAt] = at;
            changed = true;
        }

        if (contactAt is { } contact && (row.GetDateTimeOffset(LastContactAt) is not { } last || contact > last))
        {
            row[LastContactAt] = contact;
            changed = true;
        }

        return changed;
    }
}
