using KamFlows.Workflows.Notifications;

namespace KamFlows.Workflows.Common;

/// <summary>
/// State every workflow carries (through ContinueAsNew too): what was fired, what is held, counters. Derived states
/// add the facts of their business object. Only ids, dates, amounts and CRM texts of the object, never personal data.
/// </summary>
public abstract class WorkflowState
{
    public string Key { get; set; } = string.Empty;

    public string? AccountId { get; set; }

    /// <summary>When the instance first ran (orchestration time).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Plan items already done, by id: the guard that makes every reminder happen once.</summary>
    public Dictionary<string, FiredAction> Fired { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Late plan items put off to the recipient's next business moment (never sent at night), by id.</summary>
    public Dictionary<string, DateTimeOffset> Deferred { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Set while the workflow catches up with late events or timers (<see cref="Common.CatchUp"/>); null when caught up.</summary>
    public CatchUpWindow? CatchingUp { get; set; }

    /// <summary>Events that arrived before the event that starts the workflow, in arrival order.</summary>
    public List<HeldEvent> Held { get; set; } = [];

    /// <summary>Events received (applied, held or ignored) over the instance's life.</summary>
    public int EventsReceived { get; set; }

    /// <summary>How many times the instance went to wait (tests and the simulator use it to know a step is over).</summary>
    public int Waits { get; set; }

    /// <summary>Fingerprint of the plan last written to upcoming actions (written again only when it changes).</summary>
    public string? PlanFingerprint { get; set; }

    /// <summary>Executions so far (ContinueAsNew increments it).</summary>
    public int Executions { get; set; }

    /// <summary>
    /// Ids of the latest events received, oldest first (bounded): intake delivers at least once (a crash between
    /// raising an event and recording it raises it again), so a repeat is recognised here and changes nothing.
    /// </summary>
    public List<string> RecentEventIds { get; set; } = [];

    /// <summary>A short log of what was ignored or failed, newest last (bounded).</summary>
    public List<string> Notes { get; set; } = [];

    internal void Note(string note)
    {
        Notes.Add(note);
        if (Notes.Count > 20)
        {
            Notes.RemoveAt(0);
        }
    }

    /// <summary>Records an event id; false when it was seen already (a redelivery).</summary>
    internal bool FirstTimeSeen(string eventId)
    {
        if (RecentEventIds.Contains(eventId, StringComparer.Ordinal))
        {
            return false;
        }

        RecentEventIds.Add(eventId);
        if (RecentEventIds.Count > MaxRecentEventIds)
        {
            RecentEventIds.RemoveAt(0);
        }

        return true;
    }

    /// <summary>How many event ids are remembered for redelivery checks (more than any CRM re-sends at once).</summary>
    internal const int MaxRecentEventIds = 500;

    /// <summary>The business object's id: the key after its kind (<c>proposal:P-1</c> → <c>P-1</c>; an id may itself contain ':').</summary>
    internal string ObjectId => Key[(Key.IndexOf(':', StringComparison.Ordinal) + 1)..];

    /// <summary>Whether <paramref name="objectId"/> is this instance's business object.</summary>
    internal bool IsFor(string objectId) => Key.EndsWith(":" + objectId, StringComparison.Ordinal);

    internal int CountFired(Func<FiredAction, bool> predicate) => Fired.Values.Count(predicate);

    internal bool WasDelivered(string id) => Fired.TryGetValue(id, out var f) && FiredOutcomes.Delivered(f.Outcome);

    internal bool WasFired(string id) => Fired.ContainsKey(id);

    internal bool WasDeliveredKind(NotificationKind kind) =>
        Fired.Values.Any(f => f.Kind == kind.ToString() && FiredOutcomes.Delivered(f.Outcome));
}

/// <summary>An event kept until the workflow has started (its JSON has no personal data: intake strips it).</summary>
public sealed record HeldEvent(string Json, string Type, string Id, DateTimeOffset ReceivedAt);

/// <summary>The custom status of every workflow instance: what it waits for, visible to clients, tests and the simulator.</summary>
public sealed record WorkflowStatus
{
    /// <summary><c>waiting</c>, <c>working</c>, <c>holding</c> (started by an event it cannot use yet) or <c>finished</c>.</summary>
    public required string Phase { get; init; }

    public int Waits { get; init; }

    public int EventsReceived { get; init; }

    /// <summary>When the instance wakes up next by itself (null: only an event wakes it).</summary>
    public DateTimeOffset? NextWakeAt { get; init; }

    public int Sent { get; init; }

    public int Held { get; init; }

    /// <summary>While catching up: nothing fires before this time (the backlog is applied first).</summary>
    public DateTimeOffset? CatchingUpUntil { get; init; }

    public string? Detail { get; init; }
}

/// <summary>What an instance reports when it ends.</summary>
public sealed record WorkflowResult
{
    public required string Key { get; init; }

    /// <summary>e.g. <c>accepted</c>, <c>expired</c>, <c>won</c>, <c>no-start-event</c>.</summary>
    public required string Outcome { get; init; }

    public int Sent { get; init; }

    public int Skipped { get; init; }

    /// <summary>Items recorded as missed while catching up (never sent).</summary>
    public int Missed { get; init; }

    /// <summary>Events held and never used (type and id), when the starting event never came.</summary>
    public IReadOnlyList<string> HeldEvents { get; init; } = [];

    public IReadOnlyList<string> Notes { get; init; } = [];
}
