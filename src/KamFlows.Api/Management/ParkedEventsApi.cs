using System.Text.Json;
using Azure;
using KamFlows.Domain.Common;
using KamFlows.Infrastructure.Http;
using KamFlows.Infrastructure.Intake;
using KamFlows.Infrastructure.Intake.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Api.Management;

/// <summary>
/// Events intake parked as failed (routes under /api/intake, API key required): list them, inspect one, queue it again
/// after the cause is fixed, or discard it for good. Both hosts call these with the request's HttpContext.
/// </summary>
public static class ParkedEventsApi
{
    /// <summary>GET /api/intake/failed[?pageSize=&amp;continuationToken=]: failed events of every shard, a page at a time.</summary>
    public static async Task<IResult> ListFailedAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!QueryValues.TryInt(http, "pageSize", out var pageSize, out var invalid))
        {
            return invalid;
        }

        if (pageSize is < 1 or > 1000)
        {
            return Invalid("pageSize", $"must be between 1 and 1000 (got {pageSize}).");
        }

        try
        {
            var page = await Parked(http).ListAsync(pageSize ?? 100, QueryValues.Text(http, "continuationToken"), http.RequestAborted).ConfigureAwait(false);
            return TypedResults.Ok(new ParkedEventList(page.Events.Select(Summary).ToList(), page.ContinuationToken));
        }
        catch (RequestFailedException ex) when (ex.Status == 400)
        {
            return Invalid("continuationToken", "is not a token this API returned.");
        }
    }

    /// <summary>GET /api/intake/events/{eventId}: one accepted event with its status, last error and the kept event (no personal data).</summary>
    public static async Task<IResult> GetAsync(HttpContext http, string eventId)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (EntityId.Problem(eventId) is { } problem)
        {
            return Invalid("eventId", problem);
        }

        return await Parked(http).GetAsync(eventId, http.RequestAborted).ConfigureAwait(false) is { } found
            ? TypedResults.Ok(Detail(found))
            : NotFound(eventId);
    }

    /// <summary>POST /api/intake/events/{eventId}/retry: queues a failed event again, to be processed as a freshly accepted one.</summary>
    public static async Task<IResult> RetryAsync(HttpContext http, string eventId)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (EntityId.Problem(eventId) is { } problem)
        {
            return Invalid("eventId", problem);
        }

        var (change, parked) = await Parked(http).RetryAsync(eventId, http.RequestAborted).ConfigureAwait(false);
        if (change == ParkedEventChange.Done)
        {
            http.RequestServices.GetService<IntakeProcessor>()?.Notify(parked!.Shard);
        }

        return Answer(eventId, change, parked, "retried");
    }

    /// <summary>POST /api/intake/events/{eventId}/discard: gives up on a failed event; its id stays known, so a re-send is a duplicate.</summary>
    public static async Task<IResult> DiscardAsync(HttpContext http, string eventId)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (EntityId.Problem(eventId) is { } problem)
        {
            return Invalid("eventId", problem);
        }

        var (change, parked) = await Parked(http).DiscardAsync(eventId, http.RequestAborted).ConfigureAwait(false);
        return Answer(eventId, change, parked, ParkedEvents.Discarded);
    }

    private static IResult Answer(string eventId, ParkedEventChange change, ParkedEvent? parked, string outcome) => change switch
    {
        ParkedEventChange.Done => TypedResults.Accepted((string?)null, new ParkedEventResult(eventId, outcome, parked!.Status)),
        ParkedEventChange.NotFound => NotFound(eventId),
        ParkedEventChange.NotFailed => TypedResults.Problem(statusCode: 409, title: "Event not failed",
            detail: $"Event '{eventId}' is {parked!.Status}; only a failed event can be retried or discarded."),
        ParkedEventChange.NothingToRetry => TypedResults.Problem(statusCode: 409, title: "Nothing to retry",
            detail: $"Event '{eventId}' could not be read when it was parked ({parked!.Error}); nothing was kept to process again. Send a corrected event with a new id and discard this one."),
        _ => TypedResults.Problem(statusCode: 409, title: "Changed meanwhile",
            detail: $"Event '{eventId}' was changed by someone else while this request ran; nothing was done. Read it again."),
    };

    private static ParkedEventView Summary(ParkedEvent e) =>
        new(e.EventId, e.Status, e.Source, e.Type, e.AccountId, e.Shard, e.ReceivedAt, e.FailedAt, e.Error);

    private static ParkedEventDetail Detail(ParkedEvent e)
    {
        JsonElement? kept = null;
        if (e.Json.Length > 0)
        {
            using var document = JsonDocument.Parse(e.Json);
            kept = document.RootElement.Clone();
        }

        return new ParkedEventDetail(Summary(e), kept);
    }

    private static ParkedEvents Parked(HttpContext http) => http.RequestServices.GetRequiredService<ParkedEvents>();

    private static ProblemHttpResult NotFound(string eventId) =>
        TypedResults.Problem(statusCode: 404, title: "Unknown event", detail: $"No accepted event has the id '{eventId}' (or it was forgotten after its retention).");

    private static ProblemHttpResult Invalid(string field, string message) =>
        TypedResults.Problem(statusCode: 400, title: "Invalid request", detail: $"{field}: {message}",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });
}

/// <summary>An event as intake holds it: status (failed, pending, processed, discarded), where it came from, the last error.</summary>
public sealed record ParkedEventView(string Id, string Status, string? Source, string? Type, string? AccountId, int Shard,
    DateTimeOffset? ReceivedAt, DateTimeOffset? FinishedAt, string? Error);

public sealed record ParkedEventList(IReadOnlyList<ParkedEventView> Events, string? ContinuationToken);

/// <summary>One event with the JSON intake kept of it (without personal data; null when it could not be read).</summary>
public sealed record ParkedEventDetail(ParkedEventView Event, JsonElement? Kept);

/// <summary>What a retry or discard did: <c>retried</c> or <c>discarded</c>, and the status the event had before.</summary>
public sealed record ParkedEventResult(string Id, string Outcome, string PreviousStatus);
