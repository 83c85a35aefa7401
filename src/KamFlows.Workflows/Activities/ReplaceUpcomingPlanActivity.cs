using Microsoft.DurableTask;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Activities;

/// <summary>Writes an instance's plan (what will fire, open tasks) to the upcoming-actions projection.</summary>
public sealed class ReplaceUpcomingPlanActivity(IUpcomingActions upcoming) : TaskActivity<PlanReplacement, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, PlanReplacement input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        await upcoming.ReplacePlanAsync(input.SourceKey, input.AccountId, input.KamEmail, input.Actions, CancellationToken.None).ConfigureAwait(false);
        return true;
    }
}
