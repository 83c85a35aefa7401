using KamFlows.Domain.Events;

namespace KamFlows.Infrastructure.Intake;

/// <summary>A validated event on its way into the intake store, with the webhook source it came through.</summary>
public sealed record IncomingEvent(CanonicalEvent Event, string WebhookSource)
{
    /// <summary>The canonical CloudEvents JSON that is stored and later processed.</summary>
    public string Json { get; } = CanonicalEventJson.Serialize(Event);

    public string Id => Event.Id;

    public string AccountId => Event.AccountId;
}

/// <summary>What became of one event handed to the intake store.</summary>
public enum IntakeDisposition
{
    /// <summary>Stored for processing (first time this event id was seen).</summary>
    Accepted,

    /// <summary>An event with this id was stored before; nothing was written.</summary>
    Duplicate,
}

public sealed record IntakeOutcome(string EventId, IntakeDisposition Disposition);
