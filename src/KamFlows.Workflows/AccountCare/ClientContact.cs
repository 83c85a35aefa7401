using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;

namespace KamFlows.Workflows.AccountCare;

/// <summary>
/// What counts as contact with the client, in one place: the KAM's dormancy alert (AccountCare) and the head's list of
/// dormant key accounts (the account row's LastContactAt) must agree on it.
/// </summary>
public static class ClientContact
{
    /// <summary>When the event was contact with the client (a meeting when it was held); null for the account's own bookkeeping and a cancelled meeting.</summary>
    public static DateTimeOffset? At(CanonicalEvent canonicalEvent)
    {
        ArgumentNullException.ThrowIfNull(canonicalEvent);
        return canonicalEvent.Data switch
        {
            AccountUpserted or ContactUpserted or ContactErased or RevenueReported => null,
            MeetingCancelled => null, // A meeting that will not happen is no sign of a live relationship.
            MeetingLogged meeting => meeting.HeldAt.ToDateTimeOffset(),
            _ => canonicalEvent.Time.ToDateTimeOffset(),
        };
    }
}
