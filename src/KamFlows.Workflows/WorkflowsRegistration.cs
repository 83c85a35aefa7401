using Microsoft.DurableTask;
using KamFlows.Workflows.AccountCare;
using KamFlows.Workflows.Activities;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Complaints;
using KamFlows.Workflows.Meetings;
using KamFlows.Workflows.Proposals;
using KamFlows.Workflows.References;
using KamFlows.Workflows.SaleCycles;
using KamFlows.Workflows.Tenders;

namespace KamFlows.Workflows;

/// <summary>
/// The KAM workflows' orchestrators (under the names of <see cref="WorkflowCatalog"/>) and activities, in the SDK's
/// registry: the local task hub, the simulator and the Azure Functions app all register exactly these.
/// </summary>
public static class WorkflowsRegistration
{
    public static Microsoft.DurableTask.DurableTaskRegistry Register(Microsoft.DurableTask.DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<ProposalFollowUp>(WorkflowCatalog.ProposalFollowUp)
            .AddOrchestrator<TenderPreparation>(WorkflowCatalog.TenderPreparation)
            .AddOrchestrator<SaleCycle>(WorkflowCatalog.SaleCycle)
            .AddOrchestrator<ReferenceLetter>(WorkflowCatalog.ReferenceLetter)
            .AddOrchestrator<AccountCare.AccountCare>(WorkflowCatalog.AccountCare)
            .AddOrchestrator<ComplaintHandling>(WorkflowCatalog.ComplaintHandling)
            .AddOrchestrator<MeetingPreparation>(WorkflowCatalog.MeetingPreparation)
            .AddActivity<ReadWorkflowOptionsActivity>(ActivityNames.ReadWorkflowOptions)
            .AddActivity<ReadAccountProfileActivity>(ActivityNames.ReadAccountProfile)
            .AddActivity<EnqueueNotificationActivity>(ActivityNames.EnqueueNotification)
            .AddActivity<ReplaceUpcomingPlanActivity>(ActivityNames.ReplaceUpcomingPlan)
            .AddActivity<SweepBirthdaysActivity>(ActivityNames.SweepBirthdays)
            .AddActivity<ReviewQuarterActivity>(ActivityNames.ReviewQuarter)
            .AddActivity<ReadAccountComplaintsActivity>(ActivityNames.ReadAccountComplaints)
            .AddActivity<RecordMissedActionsActivity>(ActivityNames.RecordMissedActions)
            .AddActivity<BriefHandoverActivity>(ActivityNames.BriefHandover);
    }
}
