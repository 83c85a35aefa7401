using Azure.Data.Tables;
using KamFlows.Durable.History;
using KamFlows.Testing;

namespace KamFlows.Durable.Tests;

public sealed class ManagementTests
{
    public sealed record Progress(string Stage, int Step);

    public sealed class Pipeline : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
        {
            context.SetCustomStatus(new Progress("waiting", 1));
            var a = await context.WaitForExternalEvent<int>("next");
            context.SetCustomStatus(new Progress("second", 2));
            var b = await context.WaitForExternalEvent<int>("next");
            return input + a + b;
        }
    }

    private static void Register(DurableTaskRegistry r) => r.AddOrchestrator<Pipeline>();

    [Fact]
    public async Task CustomStatus_IsVisibleToClients_AsItChanges()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Pipeline), 1);
        await DurableTestHost.WaitUntilAsync(async () => (await host.Client.GetInstanceAsync(id, true))?.SerializedCustomStatus is not null);
        Assert.Equal(new Progress("waiting", 1), (await host.Client.GetInstanceAsync(id, true))!.ReadCustomStatusAs<Progress>());
        await host.Client.RaiseEventAsync(id, "next", 10);
        await DurableTestHost.WaitUntilAsync(async () => (await host.Client.GetInstanceAsync(id, true))!.ReadCustomStatusAs<Progress>().Step == 2);
    }

    [Fact]
    public async Task Terminate_EndsTheInstanceWithTheReason_AndLaterEventsAreIgnored()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Pipeline), 1);
        await host.WaitForStatusAsync(id, null, OrchestrationRuntimeStatus.Running);
        Assert.True(await host.Client.TerminateInstanceAsync(id, "deal lost"));
        var done = await host.WaitForCompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.Equal("deal lost", done.ReadOutputAs<string>());

        await host.Client.RaiseEventAsync(id, "next", 5);
        await Task.Delay(300);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);
        Assert.False(await host.Client.TerminateInstanceAsync("no-such-instance"));
    }

    [Fact]
    public async Task SuspendResume_KeepsEventsWhileSuspended_AndAppliesThemAfter()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Pipeline), 1);
        await host.WaitForStatusAsync(id, null, OrchestrationRuntimeStatus.Running);
        await host.Client.SuspendInstanceAsync(id, "KAM on holiday");
        await host.WaitForStatusAsync(id, null, OrchestrationRuntimeStatus.Suspended);

        await host.Client.RaiseEventAsync(id, "next", 10);
        await host.Client.RaiseEventAsync(id, "next", 100);
        await DurableTestHost.WaitUntilAsync(async () => (await host.Client.GetInstanceHistoryAsync(id)).Count(e => e.Kind == HistoryEventKind.EventRaised) == 2);
        var suspended = await host.Client.GetInstanceAsync(id, true);
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, suspended!.RuntimeStatus);
        Assert.Equal(1, suspended.ReadCustomStatusAs<Progress>().Step); // The code did not run while suspended.

        await host.Client.ResumeInstanceAsync(id, "back");
        var done = await host.WaitForCompletionAsync(id);
        Assert.Equal(111, done.ReadOutputAs<int>());
    }

    [Fact]
    public async Task Purge_DeletesAFinishedInstanceEntirely_AndRefusesARunningOne()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Pipeline), 1);
        await host.WaitForStatusAsync(id, null, OrchestrationRuntimeStatus.Running);
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Client.PurgeInstanceAsync(id));

        await host.Client.RaiseEventAsync(id, "next", 1);
        await host.Client.RaiseEventAsync(id, "next", 1);
        await host.WaitForCompletionAsync(id);
        Assert.True(await host.Client.PurgeInstanceAsync(id));
        Assert.Null(await host.Client.GetInstanceAsync(id));

        var table = new TableClient(await SharedAzurite.ConnectionStringAsync(), host.TaskHub + "Instances");
        Assert.Empty(table.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {id}")));
        Assert.False(await host.Client.PurgeInstanceAsync(id));
    }

    [Fact]
    public async Task Query_FiltersAndPages_ThroughEveryInstanceOnce()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        for (var i = 0; i < 23; i++)
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Pipeline), i, new StartOrchestrationOptions { InstanceId = $"opportunity:{i:D2}" });
        }

        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Pipeline), 0, new StartOrchestrationOptions { InstanceId = "tender:1" });
        await DurableTestHost.WaitUntilAsync(async () =>
            (await host.Client.QueryInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running], PageSize = 1000 })).Instances.Count == 24);

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await host.Client.QueryInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "opportunity:", PageSize = 10, ContinuationToken = token });
            seen.AddRange(page.Instances.Select(i => i.InstanceId));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(Enumerable.Range(0, 23).Select(i => $"opportunity:{i:D2}"), seen.Order());
        Assert.True(pages >= 3, $"expected at least 3 pages of 10, got {pages}");

        var waiting = await host.Client.QueryInstancesAsync(new OrchestrationQuery { CustomStatusContains = "WAITING", PageSize = 1000, FetchInputsAndOutputs = true });
        Assert.Equal(24, waiting.Instances.Count);
        Assert.Empty((await host.Client.QueryInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Completed] })).Instances);
        Assert.Empty((await host.Client.QueryInstancesAsync(new OrchestrationQuery { CreatedFrom = DateTimeOffset.UtcNow.AddHours(1) })).Instances);
        Assert.Equal(24, (await host.Client.QueryInstancesAsync(new OrchestrationQuery { Name = nameof(Pipeline), CreatedTo = DateTimeOffset.UtcNow.AddHours(1), PageSize = 1000 })).Instances.Count);
    }

    [Fact]
    public async Task Restart_RunsAFinishedInstanceAgainWithItsInput()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Pipeline), 7);
        await host.Client.TerminateInstanceAsync(id, "stop");
        await host.WaitForCompletionAsync(id);

        var again = await host.Client.RestartAsync(id, restartWithNewInstanceId: true);
        Assert.NotEqual(id, again);
        await host.Client.RaiseEventAsync(again, "next", 1);
        await host.Client.RaiseEventAsync(again, "next", 2);
        Assert.Equal(10, (await host.WaitForCompletionAsync(again)).ReadOutputAs<int>());
    }

    [Fact]
    public async Task LargePayloads_GoToBlobs_AndComeBackWhole()
    {
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestrator<Echo>()
            .AddActivityFunc<string, string>("Reverse", (_, s) => Task.FromResult(new string(s.Reverse().ToArray()))));
        var big = string.Concat(Enumerable.Range(0, 30_000).Select(i => (char)('a' + (i % 26))));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Echo), big);
        var done = await host.WaitForCompletionAsync(id);
        Assert.Equal(new string(big.Reverse().ToArray()), done.ReadOutputAs<string>());
        Assert.Equal(big, done.ReadInputAs<string>());
        Assert.Equal(big.Length, done.ReadCustomStatusAs<string>().Length);
    }

    public sealed class Echo : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        {
            context.SetCustomStatus(input);
            return await context.CallActivityAsync<string>("Reverse", input);
        }
    }
}
