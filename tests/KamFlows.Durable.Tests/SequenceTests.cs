using KamFlows.Durable.History;
using KamFlows.Testing;

namespace KamFlows.Durable.Tests;

public sealed class SequenceTests
{
    public sealed class Greeter : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        {
            var a = await context.CallActivityAsync<string>("Hello", input + "-1");
            var b = await context.CallActivityAsync<string>("Hello", input + "-2");
            var c = await context.CallActivityAsync<string>("Hello", input + "-3");
            return string.Join(",", a, b, c);
        }
    }

    private static void Register(DurableTaskRegistry r) => r
        .AddOrchestrator<Greeter>()
        .AddActivityFunc<string, string>("Hello", (_, name) => Task.FromResult($"hello {name}"));

    [Fact]
    public async Task Sequence_ThreeActivities_CompletesWithOutputsInOrder()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Greeter), "kam");
        var done = await host.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("hello kam-1,hello kam-2,hello kam-3", done.ReadOutputAs<string>());
        var history = await host.Client.GetInstanceHistoryAsync(id);
        Assert.Equal(3, history.Count(e => e.Kind == HistoryEventKind.TaskScheduled));
        Assert.Equal([0, 1, 2], history.Where(e => e.Kind == HistoryEventKind.TaskCompleted).Select(e => e.TaskId!.Value));
        Assert.Equal(HistoryEventKind.ExecutionCompleted, history[^1].Kind);
        Assert.Equal(0, host.Processor.Conflicts); // Alone, each step's commit must reuse the ETag the previous one returned.
        Assert.Equal(4, host.Processor.Commits); // Start + three results: nothing extra.
    }

    [Fact]
    public async Task Schedule_SameIdAndInputTwice_IsIdempotent_AndDifferentInputWhileRunningIsRefused()
    {
        await using var host = await DurableTestHost.StartAsync(r => r.AddOrchestrator<WaitsForEvent>());
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitsForEvent), "x", new StartOrchestrationOptions { InstanceId = "proposal:1" });
        await host.WaitForStatusAsync(id, null, OrchestrationRuntimeStatus.Running);

        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() =>
            host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitsForEvent), "y", new StartOrchestrationOptions { InstanceId = "proposal:1" }));
        await host.Client.RaiseEventAsync(id, "go", "done");
        Assert.Equal("x:done", (await host.WaitForCompletionAsync(id)).ReadOutputAs<string>());

        // A finished instance can be started again under the same id: a new execution.
        var first = (await host.Client.GetInstanceAsync(id))!.ExecutionId;
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitsForEvent), "z", new StartOrchestrationOptions { InstanceId = "proposal:1" });
        var second = await host.WaitForStatusAsync(id, null, OrchestrationRuntimeStatus.Running);
        Assert.NotEqual(first, second.ExecutionId);
        Assert.Equal("\"z\"", second.SerializedInput);
    }

    public sealed class WaitsForEvent : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input) =>
            input + ":" + await context.WaitForExternalEvent<string>("go");
    }

    [Fact]
    public async Task InstanceIds_WithReservedCharacters_Work()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        const string id = "account:ACME/Oy #1 ?|%";
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Greeter), "x", new StartOrchestrationOptions { InstanceId = id });
        var done = await host.WaitForCompletionAsync(id);
        Assert.Equal(id, done.InstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
    }
}
