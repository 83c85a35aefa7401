using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using NodaTime.TimeZones;

namespace KamFlows.Domain.Calendar;

/// <summary>
/// The public holidays of one country, and the official transfers that make a weekend day a working day (Russia's
/// working Saturdays), so due times count business days without the CRM having to send a holiday list.
/// <para>Sources, in order: a data file in the repository for the country and year (<c>Calendar/Holidays/{cc}-{yyyy}.json</c>,
/// each naming its legal source and whether it is official or projected); for countries with files but a year without
/// one, the statutory rule (<see cref="StatutoryHolidays"/>, projected); otherwise the maintained <c>PublicHoliday</c>
/// library (FI, SE, EE, DE, GB, US and about 35 more). A country none of them knows has no national holidays.</para>
/// <para>Invariants: every year holds finitely many days off; computed years are cached per country (thread-safe,
/// deterministic: the same date always gives the same answer in one build, as workflow replay needs).</para>
/// </summary>
public sealed class NationalHolidays : IEquatable<NationalHolidays>
{
    private static readonly ConcurrentDictionary<string, NationalHolidays?> ByCountry = new(StringComparer.Ordinal);
    private static readonly Lazy<IReadOnlyDictionary<string, string>> CountryByZone = new(BuildCountryByZone);

    // Asked for every contact and account built (IsKnownCountry) and every client zone picked (ZonesOf): built once, not scanned per call.
    private static readonly Lazy<IReadOnlySet<string>> Countries = new(() => CountryByZone.Value.Values.ToHashSet(StringComparer.Ordinal));
    private static readonly Lazy<ILookup<string, DateTimeZone>> ZonesByCountry = new(() => (TzdbDateTimeZoneSource.Default.ZoneLocations ?? [])
        .Select(l => (Country: l.CountryCode.ToUpperInvariant(), Zone: DateTimeZoneProviders.Tzdb.GetZoneOrNull(l.ZoneId)))
        .Where(l => l.Zone is not null)
        .ToLookup(l => l.Country, l => l.Zone!, StringComparer.Ordinal));

    private readonly Func<int, HolidayYear> _compute;
    private readonly ConcurrentDictionary<int, HolidayYear> _years = new();

    // The year asked last: business-day steps ask the same year again and again (an immutable record, swapped atomically).
    private HolidayYear? _last;

    private NationalHolidays(string country, string source, Func<int, HolidayYear> compute)
    {
        Country = country;
        Source = source;
        _compute = compute;
    }

    /// <summary>ISO 3166-1 alpha-2 code, upper case (e.g. <c>FI</c>).</summary>
    public string Country { get; }

    /// <summary>Where the dates come from: <c>repository data files</c> or <c>PublicHoliday library</c>.</summary>
    public string Source { get; }

    /// <summary>Countries whose holidays come from the repository's data files (the library does not cover them).</summary>
    public static IReadOnlyCollection<string> DataFileCountries => HolidayDataFiles.Countries;

    /// <summary>Whether <paramref name="code"/> is a country of the IANA time zone database (ISO 3166-1 alpha-2, any case).</summary>
    public static bool IsKnownCountry(string? code) =>
        code is { Length: 2 } && Countries.Value.Contains(code.ToUpperInvariant());

    /// <summary>Null for null, else <paramref name="code"/> upper-cased when <see cref="IsKnownCountry"/>.</summary>
    /// <exception cref="ArgumentException">The code is not an ISO 3166-1 alpha-2 country of the tz database.</exception>
    public static string? RequireOptionalCountry(string? code, [CallerArgumentExpression(nameof(code))] string? parameterName = null) =>
        code is null ? null
        : IsKnownCountry(code) ? code.ToUpperInvariant()
        : throw new ArgumentException($"'{code}' is not an ISO 3166-1 alpha-2 country code.", parameterName);

    /// <summary>The country of an IANA zone from the tz database's zone locations (<c>Europe/Sofia</c> → <c>BG</c>); null for <c>UTC</c> and the like.</summary>
    public static string? CountryOfZone(DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return CountryByZone.Value.TryGetValue(zone.Id, out var country) ? country : null;
    }

    /// <summary>The tz database zones of <paramref name="country"/> in the database's order (<c>BG</c> → <c>Europe/Sofia</c>).</summary>
    public static IReadOnlyList<DateTimeZone> ZonesOf(string country) => [.. ZonesByCountry.Value[country.ToUpperInvariant()]];

    // The tz database lists these countries' zones west to east (or east to west), so its first is a fringe one
    // (Kaliningrad, Lord Howe, St John's, Noronha): the zone most of their business runs on instead.
    private static readonly FrozenDictionary<string, string> PrincipalZoneIds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["RU"] = "Europe/Moscow", ["AU"] = "Australia/Sydney", ["CA"] = "America/Toronto", ["BR"] = "America/Sao_Paulo",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The zone a client in <paramref name="country"/> most likely keeps when nothing says otherwise: the country's principal zone, else its first; null when it has none.</summary>
    public static DateTimeZone? PrincipalZoneOf(string country) =>
        PrincipalZoneIds.TryGetValue(country.ToUpperInvariant(), out var id) ? DateTimeZoneProviders.Tzdb[id]
        : ZonesOf(country) is [var first, ..] ? first : null;

    /// <summary>The holidays of <paramref name="country"/> (any case), or null when no source knows the country.</summary>
    public static NationalHolidays? For(string? country)
    {
        if (string.IsNullOrWhiteSpace(country))
        {
            return null;
        }

        return ByCountry.GetOrAdd(country.Trim().ToUpperInvariant(), static code =>
            HolidayDataFiles.Countries.Contains(code)
                ? new NationalHolidays(code, "repository data files", year => HolidayDataFiles.Find(code, year) ?? StatutoryHolidays.Project(code, year))
                : LibraryHolidays.Covers(code)
                    ? new NationalHolidays(code, "PublicHoliday library", year => LibraryHolidays.Year(code, year))
                    : null);
    }

    /// <summary>
    /// A person's national holidays: the <paramref name="country"/> given (their own, or their calendar's), else the
    /// country of their <paramref name="zone"/>.
    /// </summary>
    public static NationalHolidays? ForPerson(string? country, DateTimeZone zone) =>
        For(string.IsNullOrWhiteSpace(country) ? CountryOfZone(zone) : country);

    /// <summary>A public holiday or a day off moved onto this date (a weekday that is not worked).</summary>
    public bool IsDayOff(LocalDate date) => Year(date.Year).DaysOff.ContainsKey(date);

    /// <summary>A weekend day made a working day by an official transfer (e.g. Saturday 1 November 2025 in Russia).</summary>
    public bool IsTransferredWorkingDay(LocalDate date) => Year(date.Year).WorkingDays.Contains(date);

    /// <summary>The year's days off with their names, in date order, and whether the dates are official or projected.</summary>
    public HolidayYear Year(int year)
    {
        if (Volatile.Read(ref _last) is { } last && last.Year == year)
        {
            return last;
        }

        var found = _years.GetOrAdd(year, _compute);
        Volatile.Write(ref _last, found);
        return found;
    }

    public bool Equals(NationalHolidays? other) => other is not null && other.Country == Country;

    public override bool Equals(object? obj) => Equals(obj as NationalHolidays);

    public override int GetHashCode() => Country.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => $"{Country} ({Source})";

    private static Dictionary<string, string> BuildCountryByZone()
    {
        var source = TzdbDateTimeZoneSource.Default;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var location in source.ZoneLocations ?? [])
        {
            map[location.ZoneId] = location.CountryCode;
        }

        // Aliases (Europe/Kiev for Europe/Kyiv, Asia/Calcutta …) point at the canonical zone's country.
        foreach (var (alias, canonical) in source.CanonicalIdMap)
        {
            if (!map.ContainsKey(alias) && map.TryGetValue(canonical, out var country))
            {
                map[alias] = country;
            }
        }

        return map;
    }
}

/// <summary>
/// One country's year: its days off (date → name) and the weekend days worked instead. <see cref="Status"/> is
/// <c>official</c> (a law or decree states every date) or <c>projected</c> (derived from the statutory rule; the
/// government's transfers were not known).
/// </summary>
public sealed record HolidayYear(
    string Country,
    int Year,
    string Status,
    string Source,
    IReadOnlyDictionary<LocalDate, string> DaysOff,
    IReadOnlySet<LocalDate> WorkingDays)
{
    public const string Official = "official";
    public const string Projected = "projected";

    public static HolidayYear Empty(string country, int year, string source) =>
        new(country, year, Projected, source, new Dictionary<LocalDate, string>(), new HashSet<LocalDate>());
}
