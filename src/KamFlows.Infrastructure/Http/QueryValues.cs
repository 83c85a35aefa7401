using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KamFlows.Infrastructure.Http;

/// <summary>
/// Optional query-string values for handlers both hosts call with a plain HttpContext (no minimal-API binding in Azure
/// Functions): absent is null, malformed is a 400 problem naming the parameter.
/// </summary>
public static class QueryValues
{
    public static bool TryInt(HttpContext http, string name, out int? value, out IResult invalid) =>
        TryParse(http, name, "a whole number", (string text, out int v) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out v),
            out value, out invalid);

    public static bool TryTime(HttpContext http, string name, out DateTimeOffset? value, out IResult invalid) =>
        TryParse(http, name, "a date and time such as 2026-03-01T00:00:00Z",
            (string text, out DateTimeOffset v) => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out v),
            out value, out invalid);

    /// <summary>A text value, or null when absent or empty.</summary>
    public static string? Text(HttpContext http, string name)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Request.Query[name].ToString() is { Length: > 0 } text ? text : null;
    }

    private delegate bool Parser<T>(string text, out T value);

    private static bool TryParse<T>(HttpContext http, string name, string expected, Parser<T> parse, out T? value, out IResult invalid)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(http);
        var text = http.Request.Query[name].ToString();
        value = null;
        invalid = Results.Empty;
        if (text.Length == 0)
        {
            return true;
        }

        if (parse(text, out var parsed))
        {
            value = parsed;
            return true;
        }

        invalid = Problem(name, expected, text);
        return false;
    }

    private static ProblemHttpResult Problem(string name, string expected, string got) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid query", detail: $"{name} must be {expected} (got '{got}').");
}
