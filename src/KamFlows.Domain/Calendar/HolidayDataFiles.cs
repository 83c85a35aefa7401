using System.Reflection;
using System.Text.Json;

namespace KamFlows.Domain.Calendar;

/// <summary>
/// The holiday data files built into the assembly (<c>Calendar/Holidays/{cc}-{yyyy}.json</c>): one per country and year,
/// for countries the PublicHoliday library does not cover (RU, BG). A file that does not parse fails loudly at first use
/// (a test reads every file), never silently as "no holidays".
/// </summary>
internal static class HolidayDataFiles
{
    private const string Prefix = "KamFlows.Holidays.";

    private static readonly Lazy<IReadOnlyDictionary<(string Country, int Year), HolidayYear>> All = new(Load);

    public static IReadOnlyCollection<string> Countries => [.. All.Value.Keys.Select(k => k.Country).Distinct().Order(StringComparer.Ordinal)];

    public static IReadOnlyList<HolidayYear> Files => [.. All.Value.Values.OrderBy(y => y.Country, StringComparer.Ordinal).ThenBy(y => y.Year)];

    public static HolidayYear? Find(string country, int year) => All.Value.TryGetValue((country, year), out var found) ? found : null;

    private static Dictionary<(string, int), HolidayYear> Load()
    {
        var assembly = typeof(HolidayDataFiles).Assembly;
        var result = new Dictionary<(string, int), HolidayYear>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var year = Parse(assembly, name);
            result[(year.Country, year.Year)] = year;
        }

        return result;
    }

    private static HolidayYear Parse(Assembly assembly, string resource)
    {
        var file = resource[Prefix.Length..];
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        string Text(string field) => root.TryGetProperty(field, out var e) && e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s
            ? s
            : throw new InvalidDataException($"{file}: '{field}' must be a non-empty string.");
        var country = Text("country");
        var year = root.TryGetProperty("year", out var y) && y.TryGetInt32(out var yy) ? yy : throw new InvalidDataException($"{file}: 'year' must be a number.");
        if (!string.Equals(file, $"{country.ToLowerInvariant()}-{year}.json", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{file}: the file name must be '{country.ToLowerInvariant()}-{year}.json' for its country and year.");
        }

        var status = Text("status");
        if (status is not (HolidayYear.Official or HolidayYear.Projected))
        {
            throw new InvalidDataException($"{file}: 'status' must be '{HolidayYear.Official}' or '{HolidayYear.Projected}'.");
        }

        var daysOff = new Dictionary<LocalDate, string>();
        foreach (var (date, name) in Dates(root, "days_off", file, year))
        {
            daysOff[date] = daysOff.TryGetValue(date, out var existing) ? throw new InvalidDataException($"{file}: {date:uuuu-MM-dd} is listed twice ({existing}).") : name;
        }

        var working = new HashSet<LocalDate>();
        foreach (var (date, _) in Dates(root, "working_days", file, year))
        {
            if (daysOff.ContainsKey(date) || !working.Add(date))
            {
                throw new InvalidDataException($"{file}: working day {date:uuuu-MM-dd} is also a day off, or listed twice.");
            }
        }

        return new HolidayYear(country, year, status, Text("source"), daysOff, working);
    }

    private static IEnumerable<(LocalDate Date, string Name)> Dates(JsonElement root, string field, string file, int year)
    {
        if (!root.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{file}: '{field}' must be an array.");
        }

        foreach (var item in array.EnumerateArray())
        {
            var text = item.TryGetProperty("date", out var d) ? d.GetString() : null;
            var parsed = NodaTime.Text.LocalDatePattern.Iso.Parse(text ?? string.Empty);
            if (!parsed.Success || parsed.Value.Year != year)
            {
                throw new InvalidDataException($"{file}: '{field}' has a date that is not an ISO date in {year}: '{text}'.");
            }

            yield return (parsed.Value, item.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty);
        }
    }
}
