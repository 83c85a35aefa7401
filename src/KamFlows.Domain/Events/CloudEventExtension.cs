namespace KamFlows.Domain.Events;

/// <summary>
/// A CloudEvents extension attribute (e.g. <c>traceparent</c>), kept so it survives a round trip.
/// <see cref="JsonValue"/> is the attribute's JSON text: a string with its quotes, a number, or true/false.
/// </summary>
public sealed record CloudEventExtension(string Name, string JsonValue);
