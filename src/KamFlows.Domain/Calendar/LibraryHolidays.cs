using PublicHoliday;

namespace KamFlows.Domain.Calendar;

/// <summary>
/// National holidays from the maintained <c>PublicHoliday</c> library (martinjw/Holiday): FI, SE, EE, DE, GB, US and the
/// other countries of its <see cref="PublicHolidayCountryCode"/>. Its dates are already the days off (e.g. a US holiday
/// on a Saturday is observed on the Friday); the library has no working-day transfers, so none are returned.
/// </summary>
internal static class LibraryHolidays
{
    private const string Source = "PublicHoliday library 4.0.0 (github.com/martinjw/Holiday): national public holidays";

    public static bool Covers(string country) => Code(country) is not null;

    public static HolidayYear Year(string country, int year)
    {
        var code = Code(country) ?? throw new ArgumentException($"The PublicHoliday library does not cover {country}.", nameof(country));
        var calendar = PublicHolidayFactory.GetPublicHolidayForCountry(code);
        var names = new Dictionary<DateTime, string>();
        foreach (var holiday in calendar.PublicHolidaysInformation(year))
        {
            names.TryAdd(holiday.ObservedDate.Date, holiday.EnglishName ?? holiday.Name ?? string.Empty);
        }

        // PublicHolidays gives the national days off (observed dates, no regional ones); the information list only names them.
        var days = new Dictionary<LocalDate, string>();
        foreach (var date in calendar.PublicHolidays(year))
        {
            days.TryAdd(LocalDate.FromDateTime(date), names.GetValueOrDefault(date.Date, "Public holiday"));
        }

        return new HolidayYear(country, year, HolidayYear.Official, Source, days, new HashSet<LocalDate>());
    }

    // The enum spells codes in Pascal case ("Fi", "Gb"); Enum.TryParse with ignoreCase maps ISO codes onto it.
    private static PublicHolidayCountryCode? Code(string country) =>
        country.Length == 2 && Enum.TryParse<PublicHolidayCountryCode>(country, ignoreCase: true, out var code) && Enum.IsDefined(code) ? code : null;
}
