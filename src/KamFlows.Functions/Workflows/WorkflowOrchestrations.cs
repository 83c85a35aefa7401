// The seven KAM workflows as Durable Functions orchestrations: each function is named as WorkflowCatalog names the
// workflow and runs the same orchestrator class the local task hub and the simulator run. Nothing else belongs here.
using KamFlows.Workflows;
using KamFlows.Workflows.AccountCare;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Complaints;
using KamFlows.Workflows.Meetings;
using KamFlows.Workflows.Proposals;
using KamFlows.Workflows.References;
using KamFlows.Workflows.SaleCycles;
using KamFlows.Workflows.Tenders;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace KamFlows.Functions.Workflows;

public static class WorkflowOrchestrations
{
    [Function(WorkflowCatalog.ProposalFollowUp)]
    public static Task<WorkflowResult> ProposalFollowUpAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ProposalFollowUp().RunAsync(context, Input<ProposalState>(context));

    [Function(WorkflowCatalog.TenderPreparation)]
    public static Task<WorkflowResult> TenderPreparationAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new TenderPreparation().RunAsync(context, Input<TenderState>(context));

    [Function(WorkflowCatalog.SaleCycle)]
    public static Task<WorkflowResult> SaleCycleAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new SaleCycle().RunAsync(context, Input<SaleCycleState>(context));

    [Function(WorkflowCatalog.ReferenceLetter)]
    public static Task<WorkflowResult> ReferenceLetterAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ReferenceLetter().RunAsync(context, Input<ReferenceLetterState>(context));

    [Function(WorkflowCatalog.AccountCare)]
    public static Task<WorkflowResult> AccountCareAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new AccountCare().RunAsync(context, Input<AccountCareState>(context));

    [Function(WorkflowCatalog.ComplaintHandling)]
    public static Task<WorkflowResult> ComplaintHandlingAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ComplaintHandling().RunAsync(context, Input<ComplaintState>(context));

    [Function(WorkflowCatalog.MeetingPreparation)]
    public static Task<WorkflowResult> MeetingPreparationAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new MeetingPreparation().RunAsync(context, Input<MeetingState>(context));

    // Intake always starts an instance with an input (the business key at least); a missing one is a bug upstream.
    private static WorkflowInput<TState> Input<TState>(TaskOrchestrationContext context)
        where TState : class =>
        context.GetInput<WorkflowInput<TState>>()
        ?? throw new InvalidOperationException($"Orchestration {context.Name} ({context.InstanceId}) was started without an input.");
}
