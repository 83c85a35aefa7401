namespace KamFlows.Domain.Events;

/// <summary>The kinds of long-running workflow, one instance per business object (DESIGN.md).</summary>
public enum WorkflowKind
{
    Account,
    Opportunity,
    Proposal,
    Tender,
    Delivery,

    /// <summary>One client complaint, from opened to closed (issue 14).</summary>
    Complaint,
}
