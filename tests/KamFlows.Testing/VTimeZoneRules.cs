using Ical.Net.CalendarComponents;
using Xunit;

namespace KamFlows.Testing;

/// <summary>
/// Places a local time with nothing but a VTIMEZONE's own STANDARD and DAYLIGHT observances (offsets, onsets, yearly
/// BYMONTH/BYDAY rules), the way a calendar app that does not know the TZID must: a VTIMEZONE missing a part, or with a
/// wrong rule or offset, gives the wrong instant.
/// </summary>
public static class VTimeZoneRules
{
    /// <summary>The UTC instant of <paramref name="local"/> (a wall-clock time in the zone) by the zone's observances.</summary>
    public static DateTime ToUtc(VTimeZone zone, DateTime local)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var onsets = new List<(DateTime Onset, TimeSpan OffsetTo)>();
        foreach (var observance in zone.TimeZoneInfos)
        {
            var start = observance.DtStart!.Value;
            var offsetTo = observance.OffsetTo!.Offset;
            onsets.Add((start, offsetTo));
            if (observance.RecurrenceRule is { } rule)
            {
                var month = Assert.Single(rule.ByMonth);
                var day = Assert.Single(rule.ByDay);
                for (var year = start.Year; year <= local.Year; year++)
                {
                    var onset = NthWeekday(year, month, day.DayOfWeek, day.Offset ?? 1).Add(start.TimeOfDay);
                    if (onset >= start)
                    {
                        onsets.Add((onset, offsetTo));
                    }
                }
            }
        }

        var (_, offset) = onsets.Where(o => o.Onset <= local).OrderBy(o => o.Onset).LastOrDefault();
        Assert.True(onsets.Any(o => o.Onset <= local), $"No observance of {zone.TzId} covers {local:O}.");
        return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
    }

    /// <summary>The zone's observances by name (STANDARD, DAYLIGHT) with their offsets.</summary>
    public static IReadOnlyList<(string Name, TimeSpan From, TimeSpan To)> Observances(VTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return zone.TimeZoneInfos.Select(i => (i.Name!, i.OffsetFrom!.Offset, i.OffsetTo!.Offset)).ToList();
    }

    private static DateTime NthWeekday(int year, int month, DayOfWeek day, int n)
    {
        if (n > 0)
        {
            var first = new DateTime(year, month, 1);
            return first.AddDays(((7 + (int)day - (int)first.DayOfWeek) % 7) + (7 * (n - 1)));
        }

        var last = new DateTime(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-((7 + (int)last.DayOfWeek - (int)day) % 7) + (7 * (n + 1)));
    }
}
