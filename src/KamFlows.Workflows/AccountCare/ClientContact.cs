using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;

namespace KamFlows.Workflows.AccountCare;

/// <summary>
/// What counts as contact with the client, in one place: the KAM's dormancy alert (AccountCare) and the head's list of
/// dormant key accounts (the account row's LastContactAt) must agree on it.
/// </summary>
public static class ClientContact
{
    // The account's own bookkeeping, and a meeting that will not happen: no sign of a live relationship.
    private static readonly HashSet<string> NotContact = new(StringComparer.Ordinal)
    {
        CanonicalEventTypes.AccountUpserted, CanonicalEventTypes.ContactUpserted, CanonicalEventTypes.ContactErased,
        CanonicalEventTypes.RevenueReported, CanonicalEventTypes.MeetingCancelled,
    };

    /// <summary>Whether an event of this canonical type is contact with the client (for histories that keep only the type).</summary>
    public static bool IsContact(string eventType) => !NotContact.Contains(eventType);

    /// <summary>When the event was contact with the client (a meeting when it was held); null for the account's own bookkeeping and a cancelled meeting.</summary>
    public static DateTimeOffset? At(CanonicalEvent canonicalEvent)
    {
        ArgumentNullException.ThrowIfNull(canonicalEvent);
        return !IsContact(canonicalEvent.Type) ? null
            : canonicalEvent.Data is MeetingLogged meeting ? meeting.HeldAt.ToDateTimeOffset()
            : canonicalEvent.Time.ToDateTimeOffset();
    }
}
