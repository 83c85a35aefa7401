using System.Globalization;
using Azure.Data.Tables;
using KamFlows.Domain.Events;

namespace KamFlows.Infrastructure.Accounts;

/// <summary>
/// Orders the events that change one aspect of a row: <c>{eventTimeTicks:D19}|{eventId}</c>. An aspect changes only
/// for a mark greater than the one stored, so re-applying an event changes nothing (idempotence) and an older event
/// arriving late does not overwrite a newer one (out-of-order delivery).
/// </summary>
internal static class EventMark
{
    public static string Of(CanonicalEvent canonicalEvent) =>
        canonicalEvent.Time.ToInstant().ToDateTimeOffset().UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + canonicalEvent.Id;

    /// <summary>Moves the aspect's mark forward and returns true when <paramref name="mark"/> is newer than the stored one.</summary>
    public static bool Advance(TableEntity row, string aspect, string mark)
    {
        var column = aspect + "Mark";
        if (string.CompareOrdinal(mark, row.GetString(column)) <= 0)
        {
            return false;
        }

        row[column] = mark;
        return true;
    }
}
