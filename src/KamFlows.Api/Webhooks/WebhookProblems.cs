using KamFlows.Domain.Events;
using Microsoft.AspNetCore.Http;

namespace KamFlows.Api.Webhooks;

/// <summary>RFC 7807 answers of the webhook endpoint; <c>errors</c> maps each offending field to its problems.</summary>
internal static class WebhookProblems
{
    public static IResult Status(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static IResult Invalid(IEnumerable<EventValidationError> errors)
    {
        var byPath = errors.GroupBy(e => e.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);
        return TypedResults.Problem(
            detail: "The request was refused and nothing was stored: " + string.Join("; ", byPath.Take(5).Select(kv => kv.Key + ": " + kv.Value[0])),
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid webhook payload",
            extensions: new Dictionary<string, object?> { ["errors"] = byPath });
    }
}
