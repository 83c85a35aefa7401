using NodaTime.TimeZones;

namespace KamFlows.Domain.Calendar;

/// <summary>
/// When a person works: an IANA time zone, working week days, daily working hours, the holidays the CRM sent and the
/// national holidays of their country (with official transfers, such as Russia's working Saturdays).
/// All due times for reminders and tasks are computed here so they land on business days and
/// hours in the recipient's own zone.
/// <para>Invariants: at least one working day of the week; holidays are local dates in <see cref="Zone"/>.
/// Every loop terminates because the holiday list and each year's national days off are finite and some weekday always works.</para>
/// <para>Daylight saving (one rule everywhere, see <see cref="AtLocalTime"/>): a local time that does
/// not exist because clocks spring forward maps to the first instant after the gap (the clock
/// jumps 03:00→04:00 in Helsinki on the last Sunday of March, so 03:30 becomes 04:00 EEST); a local
/// time that occurs twice when clocks fall back maps to its first, earlier occurrence.
/// Date arithmetic is done on local dates, never by adding 24-hour durations, so "the next business
/// day 09:00" is 09:00 on the wall clock whatever the offset did overnight.</para>
/// </summary>
public sealed class BusinessCalendar : IEquatable<BusinessCalendar>
{
    public static readonly IReadOnlySet<IsoDayOfWeek> MondayToFriday = new HashSet<IsoDayOfWeek>
    {
        IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday,
    };

    private static readonly ZoneLocalMappingResolver Resolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    private readonly HashSet<IsoDayOfWeek> _workingDays;
    private readonly HashSet<LocalDate> _holidays;

    /// <param name="zone">The IANA zone the person works in.</param>
    /// <param name="hours">Daily working hours; default 09:00–18:00.</param>
    /// <param name="workingDays">Working days of the week; default Monday–Friday.</param>
    /// <param name="holidays">Local dates that are not worked although their weekday is (the CRM's list).</param>
    /// <param name="national">The country's public holidays and official transfers, added to <paramref name="holidays"/>.</param>
    public BusinessCalendar(
        DateTimeZone zone,
        WorkingHours? hours = null,
        IEnumerable<IsoDayOfWeek>? workingDays = null,
        IEnumerable<LocalDate>? holidays = null,
        NationalHolidays? national = null)
    {
        National = national;
        ArgumentNullException.ThrowIfNull(zone);
        Zone = zone;
        Hours = hours ?? WorkingHours.NineToSix;
        _workingDays = [.. workingDays ?? MondayToFriday];
        if (_workingDays.Count == 0)
        {
            throw new ArgumentException("A business calendar needs at least one working day.", nameof(workingDays));
        }

        if (_workingDays.Any(d => d == IsoDayOfWeek.None || !Enum.IsDefined(d)))
        {
            throw new ArgumentException("Working days must be Monday to Sunday.", nameof(workingDays));
        }

        _holidays = [.. holidays ?? []];
    }

    public DateTimeZone Zone { get; }

    public WorkingHours Hours { get; }

    public IReadOnlySet<IsoDayOfWeek> WorkingDays => _workingDays;

    /// <summary>The holidays the CRM sent (national ones are in <see cref="National"/>).</summary>
    public IReadOnlySet<LocalDate> Holidays => _holidays;

    /// <summary>The national holidays this calendar counts, or null (no country known, e.g. a UTC calendar).</summary>
    public NationalHolidays? National { get; }

    /// <summary>The country whose holidays apply (ISO 3166-1 alpha-2), or null.</summary>
    public string? Country => National?.Country;

    /// <summary>
    /// A person's calendar: <paramref name="country"/> (or, when none is given, the country of <paramref name="zone"/>)
    /// brings its national holidays, and the CRM's <paramref name="holidays"/> are added to them.
    /// </summary>
    public static BusinessCalendar ForPerson(
        DateTimeZone zone,
        string? country,
        WorkingHours? hours = null,
        IEnumerable<IsoDayOfWeek>? workingDays = null,
        IEnumerable<LocalDate>? holidays = null) =>
        new(zone, hours, workingDays, holidays, NationalHolidays.ForPerson(country, zone));

    /// <summary>A Monday–Friday, 09:00–18:00 calendar in the IANA zone <paramref name="zoneId"/>.</summary>
    /// <exception cref="ArgumentException">The zone id is not in the IANA time zone database.</exception>
    public static BusinessCalendar ForZone(string zoneId, IEnumerable<LocalDate>? holidays = null) =>
        new(ZoneFromId(zoneId), holidays: holidays);

    /// <summary>Looks up an IANA zone id such as <c>Europe/Helsinki</c>.</summary>
    /// <exception cref="ArgumentException">The id is not in the IANA time zone database.</exception>
    public static DateTimeZone ZoneFromId(string zoneId) =>
        (zoneId is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId))
        ?? throw new ArgumentException($"'{zoneId}' is not an IANA time zone id (e.g. Europe/Helsinki).", nameof(zoneId));

    /// <summary>A CRM holiday or a national day off (public holiday, or a day off moved onto this date).</summary>
    public bool IsHoliday(LocalDate date) => _holidays.Contains(date) || National?.IsDayOff(date) == true;

    /// <summary>
    /// Worked: a working weekday that is no holiday, or a day an official transfer made a working day (a Russian
    /// working Saturday) unless the CRM lists it as a holiday.
    /// </summary>
    public bool IsBusinessDay(LocalDate date) =>
        !_holidays.Contains(date)
        && (National?.IsTransferredWorkingDay(date) == true || (_workingDays.Contains(date.DayOfWeek) && National?.IsDayOff(date) != true));

    /// <summary>The local date of <paramref name="instant"/> in this calendar's zone.</summary>
    public LocalDate DateOf(Instant instant) => instant.InZone(Zone).Date;

    /// <summary>The first business day strictly after <paramref name="date"/>.</summary>
    public LocalDate NextBusinessDay(LocalDate date) => Step(date, 1);

    /// <summary>The last business day strictly before <paramref name="date"/>.</summary>
    public LocalDate PreviousBusinessDay(LocalDate date) => Step(date, -1);

    /// <summary>
    /// Moves <paramref name="days"/> business days forward (negative: backward), counting only
    /// business days and not counting <paramref name="date"/> itself; zero returns <paramref name="date"/>
    /// unchanged even when it is not a business day.
    /// </summary>
    public LocalDate AddBusinessDays(LocalDate date, int days)
    {
        var direction = Math.Sign(days);
        var result = date;
        for (var remaining = Math.Abs((long)days); remaining > 0; remaining--)
        {
            result = Step(result, direction);
        }

        return result;
    }

    /// <summary>The date <paramref name="days"/> business days before <paramref name="date"/> (e.g. reminders before a proposal expires).</summary>
    public LocalDate BusinessDaysBefore(LocalDate date, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        return AddBusinessDays(date, -days);
    }

    /// <summary>
    /// <paramref name="time"/> on <paramref name="date"/> in this zone, with the daylight-saving rule
    /// of this class: a skipped time becomes the first instant after the gap, a repeated time its earlier occurrence.
    /// </summary>
    public ZonedDateTime AtLocalTime(LocalDate date, LocalTime time) => Zone.ResolveLocal(date.At(time), Resolver);

    /// <summary>Opening time on <paramref name="date"/> if it is a business day, otherwise on the next business day.</summary>
    public ZonedDateTime StartOfBusinessDay(LocalDate date) => AtLocalTime(OnOrAfter(date), Hours.Opens);

    /// <summary>Closing time on <paramref name="date"/> if it is a business day, otherwise on the next business day.</summary>
    public ZonedDateTime EndOfBusinessDay(LocalDate date) => AtLocalTime(OnOrAfter(date), Hours.Closes);

    /// <summary>
    /// <paramref name="time"/> on the first business day after the local date of <paramref name="instant"/>,
    /// e.g. "call the next business day at 09:00" for a proposal sent on Friday afternoon gives Monday 09:00.
    /// </summary>
    public ZonedDateTime NextBusinessDayAt(Instant instant, LocalTime time) =>
        AtLocalTime(NextBusinessDay(DateOf(instant)), time);

    /// <summary>
    /// The same wall-clock time <paramref name="days"/> business days later (or earlier when negative),
    /// e.g. Friday 16:00 plus one business day is Monday 16:00.
    /// </summary>
    public ZonedDateTime AddBusinessDays(Instant instant, int days)
    {
        var local = instant.InZone(Zone);
        return days == 0 ? local : AtLocalTime(AddBusinessDays(local.Date, days), local.TimeOfDay);
    }

    /// <summary>Whether <paramref name="instant"/> is on a business day within working hours (local time).</summary>
    public bool IsWithinBusinessHours(Instant instant)
    {
        var local = instant.InZone(Zone);
        return IsBusinessDay(local.Date) && Hours.Contains(local.TimeOfDay);
    }

    /// <summary>
    /// The first moment at or after <paramref name="instant"/> that is within business hours: the instant
    /// itself when already inside; today's opening when before it; otherwise the next business day's opening.
    /// </summary>
    public ZonedDateTime NextBusinessMoment(Instant instant)
    {
        var local = instant.InZone(Zone);
        if (IsBusinessDay(local.Date))
        {
            if (Hours.Contains(local.TimeOfDay))
            {
                return local;
            }

            if (local.TimeOfDay < Hours.Opens)
            {
                var opening = AtLocalTime(local.Date, Hours.Opens);

                // Only when clocks fall back around opening time can the first occurrence of today's opening
                // precede the instant (its local time repeats); then the repeated, later opening applies.
                return opening.ToInstant() >= instant ? opening : Zone.MapLocal(local.Date.At(Hours.Opens)).Last();
            }
        }

        return StartOfBusinessDay(NextBusinessDay(local.Date));
    }

    public bool Equals(BusinessCalendar? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Zone.Id == other.Zone.Id
                && Hours == other.Hours
                && _workingDays.SetEquals(other._workingDays)
                && _holidays.SetEquals(other._holidays)
                && Equals(National, other.National)));

    public override bool Equals(object? obj) => Equals(obj as BusinessCalendar);

    public override int GetHashCode() => HashCode.Combine(Zone.Id, Hours, _workingDays.Count, _holidays.Count);

    public override string ToString() =>
        $"{Zone.Id} {string.Join(",", _workingDays.Order().Select(d => d.ToString()[..3]))} {Hours}, {_holidays.Count} holidays"
        + (National is { } national ? $" + {national.Country} national holidays" : string.Empty);

    private LocalDate OnOrAfter(LocalDate date) => IsBusinessDay(date) ? date : NextBusinessDay(date);

    private LocalDate Step(LocalDate date, int direction)
    {
        do
        {
            date = date.PlusDays(direction);
        }
        while (!IsBusinessDay(date));

        return date;
    }
}
