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

    /// <summary>One scheduled meeting with the client, from its preparation to its outcome recorded (issue 14 item 7).</summary>
    Meeting,
}
