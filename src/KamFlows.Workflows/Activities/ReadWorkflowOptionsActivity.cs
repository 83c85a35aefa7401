using Microsoft.DurableTask;
using KamFlows.Workflows.Common;
using Microsoft.Extensions.Options;

namespace KamFlows.Workflows.Activities;

/// <summary>Gives an execution its settings; recorded in history, so a later configuration change applies from the next execution on.</summary>
public sealed class ReadWorkflowOptionsActivity(IOptions<WorkflowsOptions> options) : TaskActivity<object?, WorkflowsOptions>
{
    public override Task<WorkflowsOptions> RunAsync(TaskActivityContext context, object? input) => Task.FromResult(options.Value);
}
