namespace KamFlows.Domain.Events;

/// <summary>
/// A validated canonical event: the CloudEvents 1.0 attributes and the typed <see cref="Data"/>.
/// Obtain one from <see cref="CanonicalEventParser"/>, or build it in code (simulator, tests) and write it with
/// <see cref="CanonicalEventJson"/>. <see cref="Time"/> is when the thing happened (proposal sent, delivery
/// completed ...) and keeps the producer's offset, so "the date it was sent" is the producer's date.
/// <c>specversion</c> is always <see cref="CloudEventsSpecVersion"/> and <c>datacontenttype</c> <see cref="JsonContentType"/>.
/// </summary>
public sealed record CanonicalEvent
{
    public const string CloudEventsSpecVersion = "1.0";
    public const string JsonContentType = "application/json";

    /// <summary>Unique per source; the intake accepts the same (source, id) once.</summary>
    public required string Id { get; init; }

    /// <summary>URI-reference of the producer, e.g. <c>/crm/hubspot</c> or <c>https://crm.example.com</c>.</summary>
    public required string Source { get; init; }

    public string Type => Data.EventType;

    public required OffsetDateTime Time { get; init; }

    public string? Subject { get; init; }

    public Uri? DataSchema { get; init; }

    public required ICanonicalEventData Data { get; init; }

    public ValueList<CloudEventExtension> Extensions { get; init; } = ValueList.Empty<CloudEventExtension>();

    public string AccountId => Data.AccountId;
}
