using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.SaleCycles;

/// <summary>What the sale cycle knows about one opportunity: stage and its age, meetings, the next step agreed.</summary>
public sealed class SaleCycleState : WorkflowState
{
    public string? Name { get; set; }

    /// <summary>Stage wire name, e.g. <c>evaluation_of_options</c>.</summary>
    public string Stage { get; set; } = string.Empty;

    public DateTimeOffset StageEnteredAt { get; set; }

    public DateTimeOffset? LastMeetingAt { get; set; }

    public int Meetings { get; set; }

    /// <summary>The next meaningful step agreed at the last meeting that named one.</summary>
    public string? NextStep { get; set; }

    public DateOnly? NextStepDue { get; set; }

    /// <summary>The meeting that agreed <see cref="NextStep"/>.</summary>
    public string? NextStepMeetingId { get; set; }

    public bool Closed { get; set; }

    /// <summary>When the deal was first seen (the start of its expected cycle).</summary>
    public DateTimeOffset? OpenedAt { get; set; }

    public DateOnly? ExpectedCloseDate { get; set; }

    /// <summary>When each meeting of the deal was held, by meeting id: the deal's own cadence.</summary>
    public Dictionary<string, DateTimeOffset> MeetingsHeld { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Proposals made for this deal (kam.proposal.sent or drafted with its opportunity id): told when the deal is won or lost.</summary>
    public List<string> Proposals { get; set; } = [];

    /// <summary>The event that won or lost the deal, as canonical JSON, forwarded to the deal's proposals.</summary>
    public string? ClosingEventJson { get; set; }

    internal DateTimeOffset LastProgressAt => LastMeetingAt is { } m && m > StageEnteredAt ? m : StageEnteredAt;
}
