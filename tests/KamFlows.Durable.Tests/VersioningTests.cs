using KamFlows.Durable.History;
using KamFlows.Testing;

namespace KamFlows.Durable.Tests;

public sealed class VersioningTests
{
    public sealed class ApprovalV1 : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        {
            await context.CallActivityAsync("Notify", input);
            var decision = await context.WaitForExternalEvent<string>("decision");
            return $"v1:{decision}";
        }
    }

    /// <summary>The same workflow after a change that reorders its calls: safe only as a new version.</summary>
    public sealed class ApprovalV2 : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        {
            var decision = await context.WaitForExternalEvent<string>("decision");
            await context.CallActivityAsync("NotifyByEmail", input);
            return $"v2:{decision}";
        }
    }

    private static DurableTaskRegistry Activities(DurableTaskRegistry r) => r
        .AddActivityFunc<string, string>("Notify", (_, s) => Task.FromResult(s))
        .AddActivityFunc<string, string>("NotifyByEmail", (_, s) => Task.FromResult(s));

    [Fact]
    public async Task Instance_StaysOnItsStartVersion_WhileNewInstancesGetTheNewOne()
    {
        var hub = Names.TaskHub();
        string old;
        await using (var v1Host = await DurableTestHost.StartAsync(r => Activities(r).AddOrchestrator<ApprovalV1>("Approval", "1"), taskHub: hub))
        {
            old = await v1Host.Client.ScheduleNewOrchestrationInstanceAsync("Approval", "kam@acme.fi");
            await DurableTestHost.WaitUntilAsync(async () => (await v1Host.Client.GetInstanceHistoryAsync(old)).Any(e => e.Kind == HistoryEventKind.TaskCompleted));
        }

        // Deploy: the new host keeps v1 registered for running instances and makes v2 the default.
        await using var host = await DurableTestHost.StartAsync(r => Activities(r).AddOrchestrator<ApprovalV1>("Approval", "1").AddOrchestrator<ApprovalV2>("Approval", "2"), taskHub: hub);
        var fresh = await host.Client.ScheduleNewOrchestrationInstanceAsync("Approval", "head@acme.fi");
        await host.Client.RaiseEventAsync(old, "decision", "yes");
        await host.Client.RaiseEventAsync(fresh, "decision", "no");

        var a = await host.WaitForCompletionAsync(old);
        var b = await host.WaitForCompletionAsync(fresh);
        Assert.Equal(("1", "v1:yes"), (a.Version, a.ReadOutputAs<string>()));
        Assert.Equal(("2", "v2:no"), (b.Version, b.ReadOutputAs<string>()));
    }

    [Fact]
    public async Task HostWithoutTheVersion_HandsTheWorkBack_InsteadOfFailingTheInstance()
    {
        var hub = Names.TaskHub();
        static void Fast(DurableOptions o) => o.MissingVersionRetryInterval = TimeSpan.FromMilliseconds(200);
        await using var newOnly = await DurableTestHost.StartAsync(r => Activities(r).AddOrchestrator<ApprovalV2>("Approval", "2"), Fast, taskHub: hub);
        var id = await newOnly.Client.ScheduleNewOrchestrationInstanceAsync("Approval", "x", new StartOrchestrationOptions { Version = "1" });
        await Task.Delay(1000);
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await newOnly.Client.GetInstanceAsync(id))!.RuntimeStatus);

        await using var both = await DurableTestHost.StartAsync(r => Activities(r).AddOrchestrator<ApprovalV1>("Approval", "1").AddOrchestrator<ApprovalV2>("Approval", "2"), Fast, taskHub: hub);
        await DurableTestHost.WaitUntilAsync(async () => (await both.Client.GetInstanceHistoryAsync(id)).Any(e => e.Kind == HistoryEventKind.TaskCompleted));
        await both.Client.RaiseEventAsync(id, "decision", "ok");
        Assert.Equal("v1:ok", (await both.WaitForCompletionAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task MissingVersion_FailsTheInstanceWithAClearReason_AfterThePatienceRunsOut()
    {
        await using var host = await DurableTestHost.StartAsync(r => Activities(r).AddOrchestrator<ApprovalV2>("Approval", "2"), o =>
        {
            o.MissingVersionRetryInterval = TimeSpan.FromMilliseconds(100);
            o.MissingVersionPatience = TimeSpan.FromMilliseconds(300);
        });
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Approval", "x", new StartOrchestrationOptions { Version = "1" });
        var failed = await host.WaitForCompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Contains("'Approval' version '1' is not registered", failed.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("[2]", failed.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangedCodeUnderTheSameVersion_FailsTheInstance_WithANonDeterminismError()
    {
        var hub = Names.TaskHub();
        string id;
        await using (var before = await DurableTestHost.StartAsync(r => Activities(r).AddOrchestrator<ApprovalV1>("Approval", "1"), taskHub: hub))
        {
            id = await before.Client.ScheduleNewOrchestrationInstanceAsync("Approval", "x");
            await DurableTestHost.WaitUntilAsync(async () => (await before.Client.GetInstanceHistoryAsync(id)).Any(e => e.Kind == HistoryEventKind.TaskCompleted));
        }

        // A careless deploy: v2's code registered under v1's version.
        await using var after = await DurableTestHost.StartAsync(r => Activities(r).AddOrchestrator<ApprovalV2>("Approval", "1"), taskHub: hub);
        await after.Client.RaiseEventAsync(id, "decision", "yes");
        var failed = await after.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Equal(typeof(NonDeterministicOrchestrationException).FullName, failed.FailureDetails!.ErrorType);
        Assert.Contains("history has a result for task 0 (activity call 'Notify')", failed.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        var history = await after.Client.GetInstanceHistoryAsync(id);
        Assert.DoesNotContain(history, e => e.Name == "NotifyByEmail"); // It did nothing it had not done before.
    }
}
