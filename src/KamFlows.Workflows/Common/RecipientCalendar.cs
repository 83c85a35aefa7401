using System.Globalization;
using KamFlows.Domain.Calendar;
using KamFlows.Domain.Events;
using KamFlows.Workflows.Ports;
using NodaTime;
using NodaTime.Text;

namespace KamFlows.Workflows.Common;

/// <summary>
/// The business calendar of one recipient (KAM or head) with the reminder time of day: every due time of a reminder
/// or task is computed here, on local dates, so it lands on a business day at the same wall-clock time whatever
/// daylight saving does.
/// </summary>
public sealed class RecipientCalendar
{
    private static readonly LocalTimePattern HourMinute = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");

    public RecipientCalendar(BusinessCalendar calendar, TimeOnly reminderTime)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        Calendar = calendar;
        var time = new LocalTime(reminderTime.Hour, reminderTime.Minute);

        // A reminder time outside the person's working hours would send at night: their opening time is used instead.
        ReminderTime = calendar.Hours.Contains(time) ? time : calendar.Hours.Opens;
    }

    public BusinessCalendar Calendar { get; }

    /// <summary>The local time of day reminders and tasks reach this person.</summary>
    public LocalTime ReminderTime { get; }

    public string TimeZone => Calendar.Zone.Id;

    /// <summary>
    /// Builds the calendar of a team member as the account profile describes it, with the national holidays of their
    /// country (else their zone's) and the CRM's holidays; unreadable parts fall back to Monday–Friday 09:00–18:00 (UTC
    /// for an unknown zone).
    /// </summary>
    public static RecipientCalendar For(TeamMemberProfile member, TimeOnly reminderTime)
    {
        ArgumentNullException.ThrowIfNull(member);
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(member.TimeZone ?? string.Empty) ?? DateTimeZone.Utc;
        var days = (member.WorkingDays ?? []).Select(d => WireName.TryParseDay(d, out var day) ? day : IsoDayOfWeek.None)
            .Where(d => d != IsoDayOfWeek.None).Distinct().ToList();
        WorkingHours? hours = null;
        if (HourMinute.Parse(member.Opens ?? string.Empty) is { Success: true } opens
            && HourMinute.Parse(member.Closes ?? string.Empty) is { Success: true } closes
            && opens.Value < closes.Value)
        {
            hours = new WorkingHours(opens.Value, closes.Value);
        }

        var holidays = (member.Holidays ?? []).Select(h => new LocalDate(h.Year, h.Month, h.Day));
        var calendar = BusinessCalendar.ForPerson(zone, member.Country, hours, days.Count > 0 ? days : null, holidays);
        return new RecipientCalendar(calendar, reminderTime);
    }

    /// <summary>
    /// The client's calendar, for deadlines that concern the client (a proposal's validity): Monday–Friday with the
    /// national holidays of the account's country. Null when the account has no country: the KAM's calendar stands in.
    /// The zone is the KAM's when it lies in that country, else the country's principal zone (<paramref name="principalZone"/>,
    /// decision rules 3; before, its first tz database zone); client deadlines are dates, so the zone only decides which day
    /// an instant falls on.
    /// </summary>
    public static RecipientCalendar? ForClient(AccountProfile profile, RecipientCalendar kam, bool principalZone = true)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(kam);
        if (profile.Country is not { Length: > 0 } country)
        {
            return null;
        }

        var zone = ClientZoneUnlessKams(country, kam.Calendar.Zone, principalZone) ?? kam.Calendar.Zone;
        return new RecipientCalendar(BusinessCalendar.ForPerson(zone, country), new TimeOnly(kam.ReminderTime.Hour, kam.ReminderTime.Minute));
    }

    /// <summary>
    /// The zone of a client in <paramref name="country"/> when it is not the KAM's: null when the KAM's zone lies in that
    /// country (or the country has no tz database zone), else the country's principal zone (Moscow for RU, not Kaliningrad). The client's calendar and the
    /// zone of mail to a client contact both follow this rule.
    /// </summary>
    internal static DateTimeZone? ClientZoneUnlessKams(string country, DateTimeZone kamZone, bool principalZone = true) =>
        string.Equals(NationalHolidays.CountryOfZone(kamZone), country, StringComparison.OrdinalIgnoreCase) ? null
        : principalZone ? NationalHolidays.PrincipalZoneOf(country)
        : NationalHolidays.ZonesOf(country) is [var first, ..] ? first : null;

    /// <summary>
    /// The KAM's reminder time on the day <paramref name="days"/> of the client's business days before
    /// <paramref name="date"/>, or on the KAM's last business day before it: "1 business day left" is true for the client.
    /// </summary>
    public DateTimeOffset BusinessDaysBefore(LocalDate date, int days, RecipientCalendar? client) =>
        client is null ? BusinessDaysBefore(date, days) : OnOrBefore(client.Calendar.BusinessDaysBefore(date, days));

    /// <summary>
    /// A task towards the client <paramref name="days"/> business days after <paramref name="time"/> (a call to confirm
    /// receipt): the client's business days are counted from the client's date of <paramref name="time"/> (the time they
    /// had to answer), and the task comes at this person's reminder time on the first date from then that is a business
    /// day for both (the KAM makes the call, the client takes it), never before <paramref name="time"/>. Without a client
    /// calendar, this person's own business days.
    /// </summary>
    public DateTimeOffset BusinessDaysAfter(DateTimeOffset time, int days, RecipientCalendar? client)
    {
        if (client is null)
        {
            return BusinessDaysAfter(time, days);
        }

        var date = client.Calendar.AddBusinessDays(client.DateOf(time), days);
        for (var tried = 0; tried < 366; tried++, date = date.PlusDays(1))
        {
            if (IsBusinessDay(date) && client.IsBusinessDay(date) && At(date) > time)
            {
                return At(date);
            }
        }

        return OnOrAfter(date); // No shared business day within a year (calendars that never meet): this person's next one.
    }

    /// <summary>
    /// This person's first reminder time at or after the end of <paramref name="date"/> in the client's zone (a proposal's
    /// validity date is the client's date: it has not expired before their day is over); without a client calendar, the
    /// reminder time of this person's first business day after <paramref name="date"/>.
    /// </summary>
    public DateTimeOffset AfterEndOf(LocalDate date, RecipientCalendar? client)
    {
        if (client is null)
        {
            return OnOrAfter(date.PlusDays(1));
        }

        var end = client.Calendar.Zone.AtStartOfDay(date.PlusDays(1)).ToDateTimeOffset();
        var day = DateOf(end);
        var notice = OnOrAfter(day);
        while (notice < end)
        {
            day = day.PlusDays(1);
            notice = OnOrAfter(day);
        }

        return notice;
    }

    /// <summary>The local date of <paramref name="time"/> in this person's zone.</summary>
    public LocalDate DateOf(DateTimeOffset time) => Instant.FromDateTimeOffset(time).InZone(Calendar.Zone).Date;

    public bool IsBusinessDay(LocalDate date) => Calendar.IsBusinessDay(date);

    /// <summary>The reminder time on <paramref name="date"/> (which the caller made a business day).</summary>
    public DateTimeOffset At(LocalDate date) => Calendar.AtLocalTime(date, ReminderTime).ToDateTimeOffset();

    /// <summary>The reminder time on <paramref name="date"/>, or on the last business day before it (deadlines: never late).</summary>
    public DateTimeOffset OnOrBefore(LocalDate date) => At(Calendar.IsBusinessDay(date) ? date : Calendar.PreviousBusinessDay(date));

    /// <summary>The reminder time on <paramref name="date"/>, or on the first business day after it.</summary>
    public DateTimeOffset OnOrAfter(LocalDate date) => At(Calendar.IsBusinessDay(date) ? date : Calendar.NextBusinessDay(date));

    /// <summary>The reminder time <paramref name="days"/> business days after the local date of <paramref name="time"/> (Friday + 1 → Monday).</summary>
    public DateTimeOffset BusinessDaysAfter(DateTimeOffset time, int days) => At(Calendar.AddBusinessDays(DateOf(time), days));

    /// <summary>The reminder time <paramref name="days"/> business days before <paramref name="date"/>.</summary>
    public DateTimeOffset BusinessDaysBefore(LocalDate date, int days) => At(Calendar.BusinessDaysBefore(date, days));

    /// <summary>The same wall-clock time <paramref name="days"/> business days later (e.g. an escalation period).</summary>
    public DateTimeOffset SameTimeBusinessDaysLater(DateTimeOffset time, int days) =>
        Calendar.AddBusinessDays(Instant.FromDateTimeOffset(time), days).ToDateTimeOffset();

    /// <summary>The first moment at or after <paramref name="time"/> within this person's business hours.</summary>
    public DateTimeOffset NextBusinessMoment(DateTimeOffset time) =>
        Calendar.NextBusinessMoment(Instant.FromDateTimeOffset(time)).ToDateTimeOffset();

    /// <summary><paramref name="time"/> as an offset date-time in this person's zone (for messages and tests).</summary>
    public DateTimeOffset ToLocal(DateTimeOffset time) => Instant.FromDateTimeOffset(time).InZone(Calendar.Zone).ToDateTimeOffset();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Calendar} reminders at {HourMinute.Format(ReminderTime)}");
}
