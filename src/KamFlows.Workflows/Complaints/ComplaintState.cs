using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.Complaints;

/// <summary>What the complaint workflow knows about one complaint: when it was opened, resolved and closed.</summary>
public sealed class ComplaintState : WorkflowState
{
    public DateTimeOffset? OpenedAt { get; set; }

    public string? Summary { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public string? Resolution { get; set; }

    /// <summary>The client confirmed the resolution (kam.complaint.closed).</summary>
    public DateTimeOffset? ClosedAt { get; set; }
}
