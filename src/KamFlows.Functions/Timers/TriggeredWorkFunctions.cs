using KamFlows.Api;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace KamFlows.Functions.Timers;

/// <summary>
/// What the local host's loops do, on timers: accepted webhook events are processed (and routed to their workflows) and
/// old event ids pruned every 10 seconds; due digests are queued and due email sent every 30 seconds.
/// </summary>
public static class TriggeredWorkFunctions
{
    public const string IntakeSchedule = "*/10 * * * * *";
    public const string EmailSchedule = "*/30 * * * * *";

    [Function("ProcessIntake")]
    public static Task ProcessIntakeAsync([TimerTrigger(IntakeSchedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context) =>
        TriggeredWork.IntakeRoundAsync(context.InstanceServices, client, context.CancellationToken);

    [Function("DeliverEmail")]
    public static Task DeliverEmailAsync([TimerTrigger(EmailSchedule)] TimerInfo timer, FunctionContext context) =>
        TriggeredWork.EmailRoundAsync(context.InstanceServices, context.CancellationToken);
}
