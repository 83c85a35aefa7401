// The KAM workflows' activities as Durable Functions activities: each function is named as ActivityNames names the
// activity and runs the same TaskActivity class the local task hub runs, built from the app's services.
using KamFlows.Workflows.AccountCare;
using KamFlows.Workflows.Activities;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Ports;
using Microsoft.Azure.Functions.Worker;

namespace KamFlows.Functions.Workflows;

public static class WorkflowActivities
{
    [Function(ActivityNames.ReadWorkflowOptions)]
    public static Task<WorkflowsOptions> ReadWorkflowOptionsAsync([ActivityTrigger] object? input, string instanceId, FunctionContext context) =>
        ActivityRunner.RunAsync<ReadWorkflowOptionsActivity, object?, WorkflowsOptions>(ActivityNames.ReadWorkflowOptions, input, instanceId, context);

    [Function(ActivityNames.ReadAccountProfile)]
    public static Task<AccountProfile?> ReadAccountProfileAsync([ActivityTrigger] string input, string instanceId, FunctionContext context) =>
        ActivityRunner.RunAsync<ReadAccountProfileActivity, string, AccountProfile?>(ActivityNames.ReadAccountProfile, input, instanceId, context);

    [Function(ActivityNames.EnqueueNotification)]
    public static Task<NotificationOutcome> EnqueueNotificationAsync([ActivityTrigger] NotificationDraft input, string instanceId, FunctionContext context) =>
        ActivityRunner.RunAsync<EnqueueNotificationActivity, NotificationDraft, NotificationOutcome>(ActivityNames.EnqueueNotification, input, instanceId, context);

    [Function(ActivityNames.ReplaceUpcomingPlan)]
    public static Task<bool> ReplaceUpcomingPlanAsync([ActivityTrigger] PlanReplacement input, string instanceId, FunctionContext context) =>
        ActivityRunner.RunAsync<ReplaceUpcomingPlanActivity, PlanReplacement, bool>(ActivityNames.ReplaceUpcomingPlan, input, instanceId, context);

    [Function(ActivityNames.SweepBirthdays)]
    public static Task<BirthdaySweepOutcome> SweepBirthdaysAsync([ActivityTrigger] BirthdaySweepRequest input, string instanceId, FunctionContext context) =>
        ActivityRunner.RunAsync<SweepBirthdaysActivity, BirthdaySweepRequest, BirthdaySweepOutcome>(ActivityNames.SweepBirthdays, input, instanceId, context);

    [Function(ActivityNames.ReviewQuarter)]
    public static Task<QuarterlyReviewOutcome> ReviewQuarterAsync([ActivityTrigger] QuarterlyReviewRequest input, string instanceId, FunctionContext context) =>
        ActivityRunner.RunAsync<ReviewQuarterActivity, QuarterlyReviewRequest, QuarterlyReviewOutcome>(ActivityNames.ReviewQuarter, input, instanceId, context);

    [Function(ActivityNames.ReadAccountComplaints)]
    public static Task<IReadOnlyList<ComplaintFacts>> ReadAccountComplaintsAsync([ActivityTrigger] string input, string instanceId, FunctionContext context) =>
        ActivityRunner.RunAsync<ReadAccountComplaintsActivity, string, IReadOnlyList<ComplaintFacts>>(ActivityNames.ReadAccountComplaints, input, instanceId, context);

    [Function(ActivityNames.RecordMissedActions)]
    public static Task<int> RecordMissedActionsAsync([ActivityTrigger] MissedActionsRecord input, string instanceId, FunctionContext context) =>
        ActivityRunner.RunAsync<RecordMissedActionsActivity, MissedActionsRecord, int>(ActivityNames.RecordMissedActions, input, instanceId, context);

    [Function(ActivityNames.BriefHandover)]
    public static Task<string> BriefHandoverAsync([ActivityTrigger] HandoverBriefingRequest input, string instanceId, FunctionContext context) =>
        ActivityRunner.RunAsync<BriefHandoverActivity, HandoverBriefingRequest, string>(ActivityNames.BriefHandover, input, instanceId, context);
}
