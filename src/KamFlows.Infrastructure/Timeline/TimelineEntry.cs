using System.Text.Json.Serialization;

namespace KamFlows.Infrastructure.Timeline;

/// <summary>Whether KamFlows saw the thing (an event from a CRM), caused it (a reminder, task or digest it sent) or missed it (found past due while catching up).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TimelineOrigin>))] // "missed" must read as such in the API, not as 2.
public enum TimelineOrigin
{
    Received,
    Caused,

    /// <summary>A reminder or task KamFlows did not send: it was long past due when late history arrived.</summary>
    Missed,
}

/// <summary>
/// One line of an account's timeline. Small on purpose and free of personal data: when it happened, what kind of
/// thing it was (event type or notification kind), a one-line summary, the workflow key it concerns and the id of the
/// event or notification. <see cref="ContactId"/> marks entries about a person, so erasure can blank them.
/// </summary>
public sealed record TimelineEntry(
    DateTimeOffset Time,
    TimelineOrigin Origin,
    string Kind,
    string Summary,
    string? SourceKey,
    string ReferenceId,
    string? ContactId = null);

/// <summary>Appends to account timelines. Idempotent: the same reference id at the same time is one entry.</summary>
public interface ITimelineWriter
{
    Task AppendAsync(string accountId, TimelineEntry entry, CancellationToken cancellationToken);
}
