using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Functions.Workflows;

/// <summary>
/// Runs a <see cref="TaskActivity{TInput, TOutput}"/> class inside an activity function: the class is built from the
/// invocation's services (its constructor takes the ports it needs), as the local task hub builds it from its own.
/// </summary>
public static class ActivityRunner
{
    public static Task<TOutput> RunAsync<TActivity, TInput, TOutput>(string name, TInput input, string instanceId, FunctionContext context)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        ArgumentNullException.ThrowIfNull(context);
        var activity = ActivatorUtilities.GetServiceOrCreateInstance<TActivity>(context.InstanceServices);
        return activity.RunAsync(new FunctionActivityContext(name, instanceId), input);
    }

    /// <summary>What an activity learns about its call: its name and the orchestration instance that scheduled it.</summary>
    private sealed class FunctionActivityContext(TaskName name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name => name;

        public override string InstanceId => instanceId;
    }
}
