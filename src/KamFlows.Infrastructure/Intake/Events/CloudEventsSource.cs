using System.Text.Json;
using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Intake.Mapping;

namespace KamFlows.Infrastructure.Intake.Events;

/// <summary>
/// The generic source <c>events</c>: canonical CloudEvents 1.0 in structured JSON, one
/// (<c>application/cloudevents+json</c>) or a batch (<c>application/cloudevents-batch+json</c>, a JSON array);
/// <c>application/json</c> may carry either. Signed per Standard Webhooks. A batch is all-or-nothing: one invalid
/// event refuses the request, naming <c>events[i].field</c>; so does an event id used twice with different content
/// (both positions are named), while an exact repeat inside a batch is taken once.
/// </summary>
public sealed class CloudEventsSource(StandardWebhookVerifier verifier) : IWebhookSource
{
    public const string SingleMediaType = "application/cloudevents+json";
    public const string BatchMediaType = "application/cloudevents-batch+json";
    public const int MaxBatchSize = 1000;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    public string Name => "events";

    public IReadOnlyList<string> MediaTypes { get; } = [SingleMediaType, BatchMediaType, "application/json"];

    public string? Authenticate(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return verifier.Verify(request.Header("webhook-id"), request.Header("webhook-timestamp"), request.Header("webhook-signature"), request.Body.Span, request.ReceivedAt);
    }

    public IntakeReadResult Read(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mediaType = WebhookText.MediaType(request.ContentType);
        var body = request.Body;
        if (body.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            body = body[3..];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return IntakeReadResult.Invalid("$", "is not valid JSON: " + ex.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array && mediaType != SingleMediaType)
            {
                return ReadBatch(root);
            }

            if (root.ValueKind == JsonValueKind.Object && mediaType != BatchMediaType)
            {
                var result = CanonicalEventParser.Parse(root);
                return result.IsValid ? new IntakeReadResult([result.Event], [], 0, [string.Empty]) : new IntakeReadResult([], result.Errors, 0);
            }

            return IntakeReadResult.Invalid("$", mediaType == BatchMediaType
                ? "a batch (application/cloudevents-batch+json) must be a JSON array of events"
                : "must be one CloudEvent (a JSON object) or, as application/cloudevents-batch+json, an array of them");
        }
    }

    private static IntakeReadResult ReadBatch(JsonElement array)
    {
        var count = array.GetArrayLength();
        if (count == 0)
        {
            return IntakeReadResult.Invalid("events", "a batch must hold at least one event");
        }

        if (count > MaxBatchSize)
        {
            return IntakeReadResult.Invalid("events", $"a batch may hold at most {MaxBatchSize} events (got {count})");
        }

        var events = new List<CanonicalEvent>(count);
        var paths = new List<string>(count);
        var errors = new List<EventValidationError>();
        var ids = new RequestEventIds();
        var i = 0;
        foreach (var element in array.EnumerateArray())
        {
            var path = $"events[{i}]";
            var result = CanonicalEventParser.Parse(element, path);
            if (!result.IsValid)
            {
                errors.AddRange(result.Errors);
            }
            else if (ids.TryAdd(result.Event, path, errors))
            {
                events.Add(result.Event);
                paths.Add(path);
            }

            i++;
        }

        return errors.Count > 0 ? new IntakeReadResult([], errors, 0) : new IntakeReadResult(events, [], 0, paths);
    }
}
