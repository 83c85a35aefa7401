using KamFlows.Durable.History;
using KamFlows.Testing;

namespace KamFlows.Durable.Tests;

public sealed class CompositionTests
{
    public sealed class FanOut : TaskOrchestrator<int, long>
    {
        public override async Task<long> RunAsync(TaskOrchestrationContext context, int count)
        {
            var tasks = Enumerable.Range(1, count).Select(i => context.CallActivityAsync<long>("Square", i));
            return (await Task.WhenAll(tasks)).Sum();
        }
    }

    public sealed class Parent : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        {
            var a = await context.CallSubOrchestratorAsync<string>(nameof(Child), input + "-a");
            var b = await context.CallSubOrchestratorAsync<string>(nameof(Child), input + "-b", new SubOrchestrationOptions { InstanceId = "child:" + input });
            try
            {
                await context.CallSubOrchestratorAsync<string>(nameof(Child), "fail");
                return "unexpected";
            }
            catch (SubOrchestrationFailedException ex)
            {
                return $"{a}|{b}|{ex.FailureDetails.ErrorMessage}";
            }
        }
    }

    public sealed class Child : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        {
            if (input == "fail")
            {
                throw new InvalidOperationException("child refused");
            }

            return await context.CallActivityAsync<string>("Upper", input);
        }
    }

    private static void Register(DurableTaskRegistry r) => r
        .AddOrchestrator<FanOut>().AddOrchestrator<Parent>().AddOrchestrator<Child>()
        .AddActivityFunc<int, long>("Square", (_, i) => Task.FromResult((long)i * i))
        .AddActivityFunc<string, string>("Upper", (_, s) => Task.FromResult(s.ToUpperInvariant()));

    [Fact]
    public async Task FanOutFanIn_250Activities_AllResultsGatheredOnce()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(FanOut), 250);
        var done = await host.WaitForCompletionAsync(id, TimeSpan.FromSeconds(60));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(Enumerable.Range(1, 250).Sum(i => (long)i * i), done.ReadOutputAs<long>());
        var history = await host.Client.GetInstanceHistoryAsync(id);
        var completed = history.Where(e => e.Kind == HistoryEventKind.TaskCompleted).Select(e => e.TaskId!.Value).ToList();
        Assert.Equal(250, completed.Count);
        Assert.Equal(250, completed.Distinct().Count());
    }

    [Fact]
    public async Task SubOrchestrations_ReturnOutputs_AndAChildFailureReachesTheParent()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Parent), "deal");
        var done = await host.WaitForCompletionAsync(id);

        Assert.Equal("DEAL-A|DEAL-B|child refused", done.ReadOutputAs<string>());
        var named = await host.Client.GetInstanceAsync("child:deal", true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, named!.RuntimeStatus);
        Assert.Equal(id, named.ParentInstanceId);
        var failed = await host.Client.QueryInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Failed], Name = nameof(Child) });
        var child = Assert.Single(failed.Instances);
        Assert.Equal(typeof(InvalidOperationException).FullName, child.FailureDetails!.ErrorType);
    }
}
