using System.Globalization;
using KamFlows.Workflows.Notifications;
using NodaTime;

namespace KamFlows.Workflows.Common;

/// <summary>Short constructors for template values used by the planners.</summary>
internal static class TemplateFields
{
    public static TemplateValue Text(string text) => TemplateValue.OfText(text);

    public static TemplateValue Number(decimal value) => TemplateValue.OfNumber(value);

    public static TemplateValue Money(decimal amount, string currency) => TemplateValue.OfMoney(amount, currency);

    public static TemplateValue Date(LocalDate date) => TemplateValue.OfDate(new DateOnly(date.Year, date.Month, date.Day));

    public static TemplateValue Date(DateOnly date) => TemplateValue.OfDate(date);

    public static TemplateValue Instant(DateTimeOffset instant) => TemplateValue.OfInstant(instant);

    public static TemplateValue List(IEnumerable<string> items) => TemplateValue.OfList(items);

    public static Dictionary<string, TemplateValue> Of(params (string Key, TemplateValue Value)[] fields)
    {
        var d = new Dictionary<string, TemplateValue>(StringComparer.Ordinal);
        foreach (var (k, v) in fields)
        {
            d[k] = v;
        }

        return d;
    }

    public static Dictionary<string, TemplateValue> With(this IReadOnlyDictionary<string, TemplateValue> fields, params (string Key, TemplateValue Value)[] more)
    {
        var d = new Dictionary<string, TemplateValue>(fields, StringComparer.Ordinal);
        foreach (var (k, v) in more)
        {
            d[k] = v;
        }

        return d;
    }

    public static string Iso(LocalDate date) => date.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static LocalDate ToLocalDate(this DateOnly date) => new(date.Year, date.Month, date.Day);

    public static DateOnly ToDateOnly(this LocalDate date) => new(date.Year, date.Month, date.Day);

    /// <summary>A compact UTC stamp for ids, e.g. 20260402T0700Z.</summary>
    public static string Stamp(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture);

    /// <summary>A notification id: business key, kind, occurrence parts, joined by '|'.</summary>
    public static string Id(string key, NotificationKind kind, params string[] occurrence) =>
        string.Join('|', [key, kind.ToString(), .. occurrence]);
}
