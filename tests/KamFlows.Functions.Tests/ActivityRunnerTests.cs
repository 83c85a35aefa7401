using KamFlows.Functions.Workflows;
using KamFlows.Workflows;
using KamFlows.Workflows.Activities;
using KamFlows.Workflows.Common;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Functions.Tests;

/// <summary>What an activity function does with its invocation: builds the activity class from the invocation's services and runs it.</summary>
public sealed class ActivityRunnerTests
{
    [Fact]
    public async Task RunAsync_ReadWorkflowOptions_ReturnsTheOptionsTheAppWasConfiguredWith()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["KamFlows:Workflows:Timing:ReminderTime"] = "08:30" })
            .Build();
        await using var services = new ServiceCollection().AddKamFlowsWorkflows(configuration).BuildServiceProvider();

        var options = await ActivityRunner.RunAsync<ReadWorkflowOptionsActivity, object?, WorkflowsOptions>(
            ActivityNames.ReadWorkflowOptions, null, "proposal:P-1", new TestFunctionContext(services));

        Assert.Equal("08:30", options.Timing.ReminderTime);
        Assert.Equal(WorkflowsOptions.CurrentDecisionRules, options.DecisionRules); // Stamped: recorded in history, it versions the rules.
    }

    [Fact]
    public async Task RunAsync_ActivityWithConstructorServices_GetsThemAndItsNameInstanceAndInput()
    {
        await using var services = new ServiceCollection().AddSingleton(new Greeting("hello")).BuildServiceProvider();

        var result = await ActivityRunner.RunAsync<GreetingActivity, string, string>("Greet", "P-7", "proposal:P-7", new TestFunctionContext(services));

        Assert.Equal("Greet proposal:P-7 hello P-7", result);
    }

    public sealed record Greeting(string Word);

    public sealed class GreetingActivity(Greeting greeting) : TaskActivity<string, string>
    {
        public override Task<string> RunAsync(TaskActivityContext context, string input) =>
            Task.FromResult($"{context.Name} {context.InstanceId} {greeting.Word} {input}");
    }
}
