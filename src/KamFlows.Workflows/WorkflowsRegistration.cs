using KamFlows.Durable;
using KamFlows.Workflows.AccountCare;
using KamFlows.Workflows.Activities;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Proposals;
using KamFlows.Workflows.References;
using KamFlows.Workflows.SaleCycles;
using KamFlows.Workflows.Tenders;

namespace KamFlows.Workflows;

/// <summary>The KAM workflows' orchestrators (version 1, under the names of <see cref="WorkflowCatalog"/>) and activities.</summary>
public static class WorkflowsRegistration
{
    public static DurableTaskRegistry Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<ProposalFollowUp>(WorkflowCatalog.ProposalFollowUp)
            .AddOrchestrator<TenderPreparation>(WorkflowCatalog.TenderPreparation)
            .AddOrchestrator<SaleCycle>(WorkflowCatalog.SaleCycle)
            .AddOrchestrator<ReferenceLetter>(WorkflowCatalog.ReferenceLetter)
            .AddOrchestrator<AccountCare.AccountCare>(WorkflowCatalog.AccountCare)
            .AddActivity<ReadWorkflowOptionsActivity>(ActivityNames.ReadWorkflowOptions)
            .AddActivity<ReadAccountProfileActivity>(ActivityNames.ReadAccountProfile)
            .AddActivity<EnqueueNotificationActivity>(ActivityNames.EnqueueNotification)
            .AddActivity<ReplaceUpcomingPlanActivity>(ActivityNames.ReplaceUpcomingPlan)
            .AddActivity<SweepBirthdaysActivity>(ActivityNames.SweepBirthdays)
            .AddActivity<ReviewQuarterActivity>(ActivityNames.ReviewQuarter);
    }
}
