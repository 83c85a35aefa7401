using System.Globalization;
using KamFlows.Workflows.Notifications;
using Scriban.Runtime;

namespace KamFlows.Infrastructure.Notifications.Templates;

/// <summary>
/// Turns typed template values into what templates see: text as strings, numbers as numbers (printed in the culture),
/// money, dates and instants as strings already formatted for the recipient, lists as arrays, tables as arrays of
/// objects; a value that is not known (<see cref="TemplateValue.OfUnknown"/>) is null, so templates say "unknown" instead
/// of printing 0 or an empty date. Adds the functions <c>term group code</c>, <c>term_or group code fallback</c>,
/// <c>plural n one few many</c> (CLDR categories: few is used by Russian; others choose one or many) and
/// <c>interaction text</c> (a proposal's history line such as "2026-03-20 proposal sent (v1)" in the recipient's words).
/// </summary>
internal static partial class TemplateModel
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
        model.Import("interaction", new Func<object?, string>(line => Interaction(line?.ToString() ?? string.Empty, format, terms)));
        return model;
    }

    /// <summary>
    /// A proposal's history line ("{yyyy-MM-dd} {what}") with the date and the known phrases in the recipient's language;
    /// free text the CRM sent (a meeting's summary) stays as written.
    /// </summary>
    internal static string Interaction(string line, LocaleFormat format, TermBook terms)
    {
        var match = InteractionLine().Match(line);
        if (!match.Success)
        {
            return line;
        }

        var date = format.Date(match.Groups["date"].Value);
        var what = match.Groups["what"].Value;
        string Term(string code, string argument = "") =>
            string.Format(CultureInfo.InvariantCulture, terms.TermOr(format.Language, "interaction", code, code), argument);
        var phrase = what switch
        {
            _ when SentPhrase().Match(what) is { Success: true } sent => Term("proposal_sent", sent.Groups[1].Value),
            "receipt confirmed" => Term("receipt_confirmed"),
            _ when AgreedPhrase().Match(what) is { Success: true } agreed => Term("meeting_agreed", format.Date(agreed.Groups[1].Value)),
            _ when what.StartsWith("meeting held", StringComparison.Ordinal) => Term("meeting_held") + what["meeting held".Length..],
            "accepted" or "rejected" or "expired" => Term(what),
            _ => what,
        };
        return date + ": " + phrase;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2}) (?<what>.+)$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex InteractionLine();

    [System.Text.RegularExpressions.GeneratedRegex(@"^proposal sent \(v(\d+)\)$")]
    private static partial System.Text.RegularExpressions.Regex SentPhrase();

    [System.Text.RegularExpressions.GeneratedRegex(@"^meeting agreed for (\d{4}-\d{2}-\d{2})$")]
    private static partial System.Text.RegularExpressions.Regex AgreedPhrase();

    private static object? Convert(TemplateValue value, LocaleFormat format) => value.Kind switch
    {
        TemplateValueKind.Text => value.Text ?? string.Empty,
        TemplateValueKind.Number => value.Number,
        TemplateValueKind.Money => value.Number is { } amount ? format.Money(amount, value.Currency ?? "EUR") : null,
        TemplateValueKind.Date => value.Date is null ? null : format.Date(value.Date),
        TemplateValueKind.Instant => value.Instant is { } instant ? format.Instant(instant) : null,
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
