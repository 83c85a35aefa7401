using Ical.Net;
using Ical.Net.CalendarComponents;

namespace KamFlows.Infrastructure.Notifications.Invites;

/// <summary>
/// Complete VTIMEZONEs (RFC 5545 §3.6.5) for every iCalendar KamFlows writes: Ical.Net builds each zone's STANDARD and
/// DAYLIGHT observances (offsets, onsets and recurrence rules) from the tz database, so a calendar app that does not know
/// the TZID still places every time correctly. A VTIMEZONE with only a TZID is not valid.
/// </summary>
public static class CalendarZones
{
    /// <summary>Adds the zone <paramref name="zoneId"/> with the rules in force from a year before <paramref name="earliestLocal"/> on.</summary>
    public static void Add(Calendar calendar, string zoneId, DateTime earliestLocal)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentException.ThrowIfNullOrWhiteSpace(zoneId);
        // A year of margin covers the daylight-saving change before the first time, whatever the hemisphere.
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(zoneId, earliestLocal.AddYears(-1), includeHistoricalData: false));
    }
}
