using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.References;

/// <summary>What the reference workflow knows about one delivery: how it went, complaints, the request and what came back.</summary>
public sealed class ReferenceLetterState : WorkflowState
{
    public DateTimeOffset? CompletedAt { get; set; }

    public bool OnTime { get; set; }

    public bool ExpectationsMet { get; set; }

    public string? Description { get; set; }

    public List<string> OpenComplaints { get; set; } = [];

    public DateTimeOffset? LastComplaintResolvedAt { get; set; }

    /// <summary>When the letter was asked for (task to the KAM or request to the client).</summary>
    public DateTimeOffset? AskedAt { get; set; }

    /// <summary>The account allows direct requests but no client contact could receive one: the KAM asks instead.</summary>
    public bool ClientRequestImpossible { get; set; }

    public string? ClientContactId { get; set; }

    public DateTimeOffset? LetterReceivedAt { get; set; }

    public string? LetterUrl { get; set; }

    public DateTimeOffset? ReferralReceivedAt { get; set; }

    /// <summary>When the account's complaints were last read (before any request goes out).</summary>
    public DateTimeOffset? ComplaintsCheckedAt { get; set; }

    /// <summary>Open complaints of the whole account at the last read; the read failing counts as open ("unknown").</summary>
    public List<string> AccountOpenComplaints { get; set; } = [];

    /// <summary>The latest resolution of any complaint of the account at the last read.</summary>
    public DateTimeOffset? AccountComplaintResolvedAt { get; set; }

    /// <summary>A complaint opened after the letter was asked for: follow-ups paused since then.</summary>
    public DateTimeOffset? PausedSince { get; set; }

    /// <summary>Follow-ups resumed (the complaints that paused them were resolved): they count from here.</summary>
    public DateTimeOffset? ResumedAt { get; set; }

    // The delivery team's deadline (kam.delivery.scheduled; executions with the seed rules only).

    /// <summary>The deadline in force: the local date by which the delivery team finishes.</summary>
    public DateOnly? DueOn { get; set; }

    /// <summary>When the deadline in force was set (first scheduled or last moved): reminders due before this are not sent.</summary>
    public DateTimeOffset? DueOnSetAt { get; set; }

    /// <summary>The deadline before the last move, for the KAM's "deadline moved" notice.</summary>
    public DateOnly? PreviousDueOn { get; set; }

    public int DeadlineMoves { get; set; }

    /// <summary>Deadlines moved after the KAM had been told they were overdue: the delivery was late, and the new deadline gets reminders of its own.</summary>
    public int MissedDeadlines { get; set; }

    public string? TeamLeadName { get; set; }

    public string? TeamLeadEmail { get; set; }

    public string? ContractId { get; set; }
}
