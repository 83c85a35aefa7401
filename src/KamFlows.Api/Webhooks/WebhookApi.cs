// POST /api/webhooks/{source}: authenticate, validate, store durably, answer; processing happens afterwards from storage.
// Invariants: nothing is written before every check passed (4xx never writes); 202 is sent only after the events'
// rows are committed; the same event id again is answered 200 "duplicate" and changes nothing.
// Both hosts call ReceiveAsync with the request as it arrived: the body is read raw, so signatures verify.
using System.Text;
using System.Text.Unicode;
using Azure;
using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Intake;
using KamFlows.Infrastructure.Intake.Mapping;
using KamFlows.Infrastructure.Intake.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KamFlows.Api.Webhooks;

public static partial class WebhookApi
{
    /// <summary>Largest body accepted (1 MiB); larger requests get 413 without being read.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Receives one webhook request for <paramref name="source"/> (events, hubspot, pipedrive, bitrix24, amocrm).</summary>
    public static async Task<IResult> ReceiveAsync(HttpContext http, string source)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(source);
        var services = http.RequestServices;
        var sources = services.GetRequiredService<WebhookSources>();
        var store = services.GetRequiredService<IntakeStore>();
        var processor = services.GetRequiredService<IntakeProcessor>();
        var clock = services.GetRequiredService<TimeProvider>();
        var options = services.GetRequiredService<IOptions<WebhookOptions>>();
        var logger = services.GetRequiredService<ILogger<WebhookSources>>();
        var request = http.Request;
        if (!WebhookOptions.Sources.Contains(source, StringComparer.Ordinal))
        {
            return WebhookProblems.Status(404, "Unknown webhook source", $"'{source}' is not a webhook source; use one of {string.Join(", ", WebhookOptions.Sources)}.");
        }

        if (!sources.TryGet(source, out var handler))
        {
            return WebhookProblems.Status(404, "Source not enabled", $"The {source} webhook is not enabled here: its secret ({WebhookOptions.Section}:Secrets:{source}) is not configured.");
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        var mediaType = WebhookText.MediaType(request.ContentType);
        if (mediaType is null || !handler.MediaTypes.Contains(mediaType) || !IsUtf8(request.ContentType!))
        {
            return WebhookProblems.Status(415, "Unsupported media type", $"The {source} webhook accepts {string.Join(", ", handler.MediaTypes)} (UTF-8).");
        }

        var body = await ReadBodyAsync(request, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return TooLarge();
        }

        var incoming = new WebhookRequest(request.Method, PublicUrl(request, options.Value.PublicBaseUrl), request.ContentType, body, clock.GetUtcNow(),
            name => request.Headers.TryGetValue(name, out var v) ? v.ToString() : null,
            name => request.Query.TryGetValue(name, out var v) ? v.ToString() : null);
        if (handler.Authenticate(incoming) is { } reason)
        {
            LogRefused(logger, source, reason);
            return WebhookProblems.Status(401, "Not authenticated", reason);
        }

        if (BackfillMode.Read(request, out var backfill) is { } badMode)
        {
            return WebhookProblems.Invalid([badMode]);
        }

        if (!Utf8.IsValid(body))
        {
            return WebhookProblems.Invalid([new EventValidationError("$", "the body is not valid UTF-8")]);
        }

        IntakeReadResult read;
        try
        {
            read = handler.Read(incoming);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or DecoderFallbackException or ArgumentException)
        {
            // Malformed text deep inside a body (e.g. an escaped lone surrogate) that the parsers report by throwing.
            return WebhookProblems.Invalid([new EventValidationError("$", "is malformed: " + ex.Message)]);
        }

        if (!read.IsValid)
        {
            return WebhookProblems.Invalid(read.Errors);
        }

        if (EventTimeCheck.Problems(read, options.Value.TimeLimits, incoming.ReceivedAt) is { Count: > 0 } impossibleTimes)
        {
            return WebhookProblems.Invalid(impossibleTimes);
        }

        var events = read.Events.Select(e => new IncomingEvent(backfill ? BackfillMode.Mark(e) : e, source)).ToList();
        if (events.FirstOrDefault(e => e.Json.Length > IntakeStore.MaxEventJsonChars) is { } huge)
        {
            return WebhookProblems.Status(413, "Event too large", $"Event {huge.Id} is {huge.Json.Length} characters as JSON; one event may have at most {IntakeStore.MaxEventJsonChars}.");
        }

        if (events.Count == 0)
        {
            return TypedResults.Ok(new WebhookReceipt(0, 0, read.Ignored, false, []));
        }

        IReadOnlyList<IntakeOutcome> outcomes;
        try
        {
            outcomes = await store.AcceptAsync(events, http.RequestAborted).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            LogStorageFailed(logger, source, ex);
            return WebhookProblems.Status(503, "Storage unavailable", "The events could not be stored; retry later.");
        }

        foreach (var shard in events.Where((_, i) => outcomes[i].Disposition == IntakeDisposition.Accepted).Select(e => IntakeShards.For(e.AccountId)).Distinct())
        {
            processor.Notify(shard);
        }

        var accepted = outcomes.Count(o => o.Disposition == IntakeDisposition.Accepted);
        Infrastructure.KamFlowsMetrics.EventsTaken(source, accepted, outcomes.Count - accepted);
        var receipt = new WebhookReceipt(accepted, outcomes.Count - accepted, read.Ignored, accepted == 0,
            outcomes.Select(o => new WebhookEventReceipt(o.EventId, o.Disposition == IntakeDisposition.Accepted ? "accepted" : "duplicate")).ToList());
        return accepted == 0 ? TypedResults.Ok(receipt) : TypedResults.Accepted((string?)null, receipt);
    }

    private static IResult TooLarge() =>
        WebhookProblems.Status(413, "Payload too large", $"A webhook body may be at most {MaxBodyBytes} bytes (1 MiB).");

    private static bool IsUtf8(string contentType)
    {
        var charset = contentType.Split(';').Skip(1).Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("charset=", StringComparison.OrdinalIgnoreCase));
        return charset is null || charset[8..].Trim('"').ToUpperInvariant() is "UTF-8" or "UTF8" or "US-ASCII";
    }

    /// <summary>The body, or null when it exceeds <see cref="MaxBodyBytes"/> (reading stops there).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(request.ContentLength is { } length and <= MaxBodyBytes ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string PublicUrl(HttpRequest request, Uri? publicBase)
    {
        var path = request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        return publicBase is null
            ? $"{request.Scheme}://{request.Host.ToUriComponent()}{path}"
            : publicBase.GetLeftPart(UriPartial.Authority) + path;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Source} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook {Source}: storing events failed")]
    private static partial void LogStorageFailed(ILogger logger, string source, Exception exception);
}

/// <summary>What the webhook stored: counts, and per event whether it was new or a duplicate.</summary>
public sealed record WebhookReceipt(int Accepted, int Duplicates, int Ignored, bool Duplicate, IReadOnlyList<WebhookEventReceipt> Events);

public sealed record WebhookEventReceipt(string Id, string Status);
