using System.Globalization;
using System.Text.Json.Nodes;

namespace KamFlows.Infrastructure.Intake.Mapping;

/// <summary>
/// A placeholder of a mapping template: <c>{field|filter|filter:argument}</c>. The field is read from the CRM record;
/// filters convert it: <c>number</c>, <c>int</c>, <c>bool</c>, <c>date</c>, <c>timestamp</c>, <c>epoch_ms</c>, <c>epoch_s</c>,
/// <c>lookup:table</c>, <c>lower</c>, <c>upper</c>, <c>trim</c>, <c>list</c>, <c>default:text</c>. A missing field or
/// a value a filter cannot convert gives no value, and the member is left out (the canonical parser then names it if it
/// was required).
/// </summary>
internal sealed class TemplateExpression
{
    private static readonly HashSet<string> FilterNames = new(StringComparer.Ordinal)
    {
        "number", "int", "bool", "date", "timestamp", "epoch_ms", "epoch_s", "lookup", "lower", "upper", "trim", "list", "default",
    };

    private TemplateExpression(string field, IReadOnlyList<(string Name, string? Argument)> filters)
    {
        Field = field;
        Filters = filters;
    }

    public string Field { get; }

    public IReadOnlyList<(string Name, string? Argument)> Filters { get; }

    /// <summary>Parses the text between the braces; returns the problem, or null when it is valid.</summary>
    public static string? TryParse(string text, IReadOnlySet<string> lookups, out TemplateExpression? expression)
    {
        expression = null;
        var parts = text.Split('|');
        var field = parts[0].Trim();
        if (field.Length == 0)
        {
            return $"placeholder '{{{text}}}' names no field";
        }

        var filters = new List<(string, string?)>();
        foreach (var part in parts.Skip(1))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            var name = (colon < 0 ? part : part[..colon]).Trim();
            var argument = colon < 0 ? null : part[(colon + 1)..];
            if (!FilterNames.Contains(name))
            {
                return $"unknown filter '{name}' in '{{{text}}}' (known: {string.Join(", ", FilterNames.Order(StringComparer.Ordinal))})";
            }

            if (name is "lookup" or "default" && argument is null)
            {
                return $"filter '{name}' needs an argument, e.g. {name}:x, in '{{{text}}}'";
            }

            if (name == "lookup" && !lookups.Contains(argument!))
            {
                return $"lookup table '{argument}' used in '{{{text}}}' is not defined in lookups";
            }

            filters.Add((name, argument));
        }

        expression = new TemplateExpression(field, filters);
        return null;
    }

    /// <summary>The value for a record, or null when there is none.</summary>
    public JsonNode? Evaluate(IReadOnlyDictionary<string, string> fields, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> lookups)
    {
        JsonNode? value = fields.TryGetValue(Field, out var text) && text.Length > 0 ? JsonValue.Create(text) : null;
        foreach (var (name, argument) in Filters)
        {
            if (name == "default")
            {
                value ??= JsonValue.Create(argument);
                continue;
            }

            if (value is null)
            {
                continue;
            }

            var s = value is JsonValue v && v.TryGetValue<string>(out var str) ? str : value.ToJsonString();
            value = name switch
            {
                "number" => decimal.TryParse(s.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : null,
                "int" => long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l) : null,
                "bool" => ParseBool(s) is { } b ? JsonValue.Create(b) : null,
                "date" => ToDate(s) is { } date ? JsonValue.Create(date) : null,
                "timestamp" => ToTimestamp(s, null) is { } ts ? JsonValue.Create(ts) : null,
                "epoch_ms" => ToTimestamp(s, milliseconds: true) is { } ms ? JsonValue.Create(ms) : null,
                "epoch_s" => ToTimestamp(s, milliseconds: false) is { } sec ? JsonValue.Create(sec) : null,
                "lookup" => lookups[argument!].TryGetValue(s, out var mapped) ? JsonValue.Create(mapped) : null,
                "lower" => JsonValue.Create(s.ToLowerInvariant()),
                "upper" => JsonValue.Create(s.ToUpperInvariant()),
                "trim" => s.Trim() is { Length: > 0 } trimmed ? JsonValue.Create(trimmed) : null,
                "list" => new JsonArray(s.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
                _ => throw new InvalidOperationException($"Filter {name} has no implementation."),
            };
        }

        return value;
    }

    private static bool? ParseBool(string s) => s.Trim().ToUpperInvariant() switch
    {
        "TRUE" or "1" or "YES" or "Y" or "ON" => true,
        "FALSE" or "0" or "NO" or "N" or "OFF" => false,
        _ => null,
    };

    private static string? ToDate(string s)
    {
        s = s.Trim();
        if (s.Length > 0 && s.All(char.IsAsciiDigit))
        {
            return FromEpoch(s, s.Length >= 12)?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        string[] formats = ["yyyy-MM-dd", "dd.MM.yyyy", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss", "dd.MM.yyyy HH:mm:ss"];
        return DateTime.TryParseExact(s, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;
    }

    private static string? ToTimestamp(string s, bool? milliseconds)
    {
        s = s.Trim();
        DateTimeOffset? time = s.Length > 0 && s.All(char.IsAsciiDigit)
            ? FromEpoch(s, milliseconds ?? s.Length >= 12)
            : milliseconds is null && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
        return time?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
    }

    private static DateTimeOffset? FromEpoch(string digits, bool milliseconds)
    {
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        try
        {
            return milliseconds ? DateTimeOffset.FromUnixTimeMilliseconds(n) : DateTimeOffset.FromUnixTimeSeconds(n);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
