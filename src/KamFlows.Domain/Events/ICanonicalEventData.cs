namespace KamFlows.Domain.Events;

/// <summary>
/// The typed <c>data</c> of a canonical event. The set of implementations is closed (one record per event
/// type in <see cref="CanonicalEventTypes"/>); consumers pattern-match on the record type.
/// Every event concerns an account, so every data record carries its id (the account timeline needs it).
/// </summary>
public interface ICanonicalEventData
{
    /// <summary>The CloudEvents <c>type</c>, e.g. <c>kam.proposal.sent</c>.</summary>
    string EventType { get; }

    string AccountId { get; }

    internal void Write(JsonDataWriter writer);
}
