using KamFlows.Domain.Events;

namespace KamFlows.Workflows;

/// <summary>How intake reaches workflows: which orchestrator follows which business key, and the event they receive.</summary>
public static class WorkflowCatalog
{
    /// <summary>
    /// The one external event name every workflow listens to; its data is the canonical event as CloudEvents JSON
    /// (CanonicalEventJson). One name keeps arrival order; each workflow decides what to hold until it is ready.
    /// </summary>
    public const string CanonicalEventName = "kam.event";

    public const string ProposalFollowUp = nameof(ProposalFollowUp);
    public const string TenderPreparation = nameof(TenderPreparation);
    public const string SaleCycle = nameof(SaleCycle);
    public const string ReferenceLetter = nameof(ReferenceLetter);
    public const string AccountCare = nameof(AccountCare);
    public const string ComplaintHandling = nameof(ComplaintHandling);
    public const string MeetingPreparation = nameof(MeetingPreparation);

    /// <summary>The orchestrator started (signal-with-start) for a business key of this kind.</summary>
    public static string OrchestratorFor(WorkflowKind kind) => kind switch
    {
        WorkflowKind.Proposal => ProposalFollowUp,
        WorkflowKind.Tender => TenderPreparation,
        WorkflowKind.Opportunity => SaleCycle,
        WorkflowKind.Delivery => ReferenceLetter,
        WorkflowKind.Account => AccountCare,
        WorkflowKind.Complaint => ComplaintHandling,
        WorkflowKind.Meeting => MeetingPreparation,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No workflow follows this kind."),
    };
}
