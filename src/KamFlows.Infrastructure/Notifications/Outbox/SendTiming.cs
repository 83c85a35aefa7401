using System.Globalization;
using KamFlows.Domain.Calendar;
using KamFlows.Infrastructure.Notifications.Digests;
using NodaTime;
using NodaTime.Calendars;

namespace KamFlows.Infrastructure.Notifications.Outbox;

/// <summary>
/// Time rules of the sender, on the recipient's calendar (the registered one, else Monday–Friday 08:00–18:00 in their
/// zone, so an 08:00 digest is inside): a message sent on time goes as scheduled (the workflow put it in business hours);
/// a message found later than the grace (downtime, retries) waits for the recipient's next working moment rather than
/// arriving at 3 a.m.; back-off doubles per attempt up to a maximum.
/// </summary>
public static class SendTiming
{
    private static readonly WorkingHours DefaultHours = new(new LocalTime(8, 0), new LocalTime(18, 0));

    public static BusinessCalendar CalendarOf(EmailRecipient? registered, string timeZone) =>
        registered is not null ? registered.Calendar() : new BusinessCalendar(BusinessCalendar.ZoneFromId(timeZone), DefaultHours);

    /// <summary><paramref name="candidate"/>, or the next working moment when it is past the grace and outside working hours.</summary>
    public static DateTimeOffset NotAtNight(DateTimeOffset candidate, DateTimeOffset sendAt, TimeSpan grace, BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (candidate <= sendAt + grace)
        {
            return candidate;
        }

        var instant = Instant.FromDateTimeOffset(candidate);
        return calendar.IsWithinBusinessHours(instant) ? candidate : calendar.NextBusinessMoment(instant).ToDateTimeOffset();
    }

    public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan max)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(baseDelay.Ticks * factor, max.Ticks));
        return delay < baseDelay ? baseDelay : delay;
    }

    /// <summary>The ISO week (e.g. 2026-W13) of <paramref name="at"/> on the recipient's wall clock.</summary>
    public static string IsoWeek(DateTimeOffset at, BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var date = calendar.DateOf(Instant.FromDateTimeOffset(at));
        var rule = WeekYearRules.Iso;
        return string.Create(CultureInfo.InvariantCulture, $"{rule.GetWeekYear(date):D4}-W{rule.GetWeekOfWeekYear(date):D2}");
    }

    /// <summary>Opening time of the first business day of the ISO week after <paramref name="at"/> (deterministic).</summary>
    public static DateTimeOffset FirstMorningOfNextWeek(DateTimeOffset at, BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var date = calendar.DateOf(Instant.FromDateTimeOffset(at));
        var nextMonday = date.With(DateAdjusters.Next(IsoDayOfWeek.Monday));
        return calendar.StartOfBusinessDay(nextMonday).ToDateTimeOffset();
    }
}
