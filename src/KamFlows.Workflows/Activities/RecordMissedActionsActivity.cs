using KamFlows.Workflows.Common;
using KamFlows.Workflows.Ports;
using Microsoft.DurableTask;

namespace KamFlows.Workflows.Activities;

/// <summary>Records the items a workflow found past their grace while catching up (timeline and next digest), never sending them.</summary>
public sealed class RecordMissedActionsActivity(IMissedActions missed) : TaskActivity<MissedActionsRecord, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, MissedActionsRecord input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        return missed.RecordAsync(input, CancellationToken.None);
    }
}
