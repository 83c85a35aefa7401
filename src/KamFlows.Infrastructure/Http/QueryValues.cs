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
    public static bool TryInt(HttpContext http, string name, out int? value, out IResult invalid)
    {
        ArgumentNullException.ThrowIfNull(http);
        var text = http.Request.Query[name].ToString();
        value = null;
        invalid = Results.Empty;
        if (text.Length == 0)
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        invalid = Problem(name, "a whole number", text);
        return false;
    }

    public static bool TryTime(HttpContext http, string name, out DateTimeOffset? value, out IResult invalid)
    {
        ArgumentNullException.ThrowIfNull(http);
        var text = http.Request.Query[name].ToString();
        value = null;
        invalid = Results.Empty;
        if (text.Length == 0)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        invalid = Problem(name, "a date and time such as 2026-03-01T00:00:00Z", text);
        return false;
    }

    /// <summary>A text value, or null when absent or empty.</summary>
    public static string? Text(HttpContext http, string name)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Request.Query[name].ToString() is { Length: > 0 } text ? text : null;
    }

    private static ProblemHttpResult Problem(string name, string expected, string got) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid query", detail: $"{name} must be {expected} (got '{got}').");
}
