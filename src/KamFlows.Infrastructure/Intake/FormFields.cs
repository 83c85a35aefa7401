using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace KamFlows.Infrastructure.Intake;

/// <summary>Reads an application/x-www-form-urlencoded body into ordered fields (first value wins for repeated keys).</summary>
public static class FormFields
{
    public static IReadOnlyDictionary<string, string> Parse(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in QueryHelpers.ParseQuery(text))
        {
            if (key.Length > 0)
            {
                fields.TryAdd(key, values.Count > 0 ? values[0] ?? string.Empty : string.Empty);
            }
        }

        return fields;
    }
}
