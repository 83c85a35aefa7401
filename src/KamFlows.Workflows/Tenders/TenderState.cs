using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.Tenders;

/// <summary>What the tender preparation knows: T, its moves, the milestones and the result.</summary>
public sealed class TenderState : WorkflowState
{
    public string? Title { get; set; }

    /// <summary>T: the submission date.</summary>
    public DateOnly TenderDate { get; set; }

    public DateOnly? ResultExpectedOn { get; set; }

    /// <summary>When KamFlows learnt of the tender (milestones due before this are reported as overdue, once).</summary>
    public DateTimeOffset? RegisteredAt { get; set; }

    public int Moves { get; set; }

    public DateOnly? PreviousTenderDate { get; set; }

    public DateTimeOffset? MovedAt { get; set; }

    public List<TenderMilestoneState> Milestones { get; set; } = [];

    /// <summary><c>won</c>, <c>lost</c> or <c>cancelled</c> once the result is known.</summary>
    public string? Outcome { get; set; }

    public DateTimeOffset? OutcomeAt { get; set; }
}

/// <summary>One milestone of one tender.</summary>
public sealed class TenderMilestoneState
{
    public string Code { get; set; } = string.Empty;

    public string Title { get; set; } = string.Empty;

    public int DaysBeforeTender { get; set; }

    /// <summary>When its current date became known (registration or the last move of T).</summary>
    public DateTimeOffset ScheduleKnownAt { get; set; }

    /// <summary><c>registration</c> or <c>move-{n}</c>: the overdue report it would belong to.</summary>
    public string Occurrence { get; set; } = "registration";

    /// <summary>Past when its date became known, and reported in an overdue report.</summary>
    public bool ReportedOverdue { get; set; }
}
