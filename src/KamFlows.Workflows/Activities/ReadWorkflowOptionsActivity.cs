using Microsoft.DurableTask;
using KamFlows.Workflows.Common;
using Microsoft.Extensions.Options;

namespace KamFlows.Workflows.Activities;

/// <summary>
/// Gives an execution its settings, stamped with this build's decision rules; recorded in history, so a later
/// configuration change (or a new build's rules) applies from the next execution on.
/// </summary>
public sealed class ReadWorkflowOptionsActivity(IOptions<WorkflowsOptions> options) : TaskActivity<object?, WorkflowsOptions>
{
    public override Task<WorkflowsOptions> RunAsync(TaskActivityContext context, object? input)
    {
        var value = options.Value;
        value.DecisionRules = WorkflowsOptions.CurrentDecisionRules; // Idempotent: every call stamps the same constant.
        return Task.FromResult(value);
    }
}
