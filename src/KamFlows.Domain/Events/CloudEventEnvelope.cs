using System.Text.Json;

namespace KamFlows.Domain.Events;

/// <summary>
/// The CloudEvents 1.0 structured-mode envelope with <c>data</c> still as JSON: the wire shape before (or
/// without) typing the data. <see cref="CanonicalEventJson.ToEnvelope"/> produces one; <see cref="CanonicalEventParser"/>
/// reads the same JSON. <see cref="Data"/> is a detached <see cref="JsonElement"/>; records compare it by identity, not content.
/// </summary>
public sealed record CloudEventEnvelope(
    string Id,
    string Source,
    string Type,
    OffsetDateTime Time,
    JsonElement Data,
    string? Subject = null,
    Uri? DataSchema = null);
