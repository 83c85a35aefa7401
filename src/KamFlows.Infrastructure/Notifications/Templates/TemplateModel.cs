using System.Globalization;
using KamFlows.Workflows.Notifications;
using Scriban.Runtime;

namespace KamFlows.Infrastructure.Notifications.Templates;

/// <summary>
/// Turns typed template values into what templates see: text as strings, numbers as numbers (printed in the culture),
/// money, dates and instants as strings already formatted for the recipient, lists as arrays, tables as arrays of
/// objects. Adds the functions <c>term group code</c>, <c>term_or group code fallback</c> and
/// <c>plural n one few many</c> (few is used by Russian; others choose one or many).
/// </summary>
internal static class TemplateModel
{
    public static ScriptObject Build(IReadOnlyDictionary<string, TemplateValue> fields, LocaleFormat format, TermBook terms)
    {
        var model = new ScriptObject(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            model[name] = Convert(value, format);
        }

        var language = format.Language;
        model.Import("term", new Func<string, object?, string>((group, code) => terms.Term(language, group, code?.ToString())));
        model.Import("term_or", new Func<string, object?, object?, string>((group, code, fallback) =>
            terms.TermOr(language, group, code?.ToString(), fallback?.ToString() ?? string.Empty)));
        model.Import("plural", new Func<object?, string, string, string, string>((n, one, few, many) => Plural(language, n, one, few, many)));
        return model;
    }

    private static object? Convert(TemplateValue value, LocaleFormat format) => value.Kind switch
    {
        TemplateValueKind.Text => value.Text ?? string.Empty,
        TemplateValueKind.Number => value.Number ?? 0m,
        TemplateValueKind.Money => format.Money(value.Number ?? 0m, value.Currency ?? "EUR"),
        TemplateValueKind.Date => value.Date is null ? string.Empty : format.Date(value.Date),
        TemplateValueKind.Instant => value.Instant is { } instant ? format.Instant(instant) : string.Empty,
        TemplateValueKind.List => ToArray(value.Items ?? [], s => s),
        TemplateValueKind.Table => ToArray(value.Rows ?? [], row =>
        {
            var o = new ScriptObject(StringComparer.Ordinal);
            foreach (var (k, v) in row)
            {
                o[k] = Convert(v, format);
            }

            return o;
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.Kind, "Unknown template value kind."),
    };

    private static ScriptArray ToArray<T>(IEnumerable<T> items, Func<T, object?> convert)
    {
        var array = new ScriptArray();
        foreach (var item in items)
        {
            array.Add(convert(item));
        }

        return array;
    }

    /// <summary>CLDR cardinal rules: Russian one/few/many on integers (fractions take few); en, fi and bg one/other.</summary>
    internal static string Plural(string language, object? n, string one, string few, string many)
    {
        var value = n is null ? 0m : System.Convert.ToDecimal(n, CultureInfo.InvariantCulture);
        if (language != "ru")
        {
            return value == 1m ? one : many;
        }

        if (value != decimal.Truncate(value))
        {
            return few;
        }

        var abs = (long)Math.Abs(value);
        var mod10 = abs % 10;
        var mod100 = abs % 100;
        return mod10 == 1 && mod100 != 11 ? one
            : mod10 is >= 2 and <= 4 && mod100 is < 12 or > 14 ? few
            : many;
    }
}
