// The SDK's orchestrators and activities run unchanged on TaskHubWorker through the shims: each engine feature the
// workflows rely on is exercised against a real worker on Azurite, not a fake.
using Azure.Core;
using Azure.Core.Pipeline;
using DurableTask.Core.History;
using KamFlows.TaskHub.TestWorker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace KamFlows.TaskHub.Tests;

/// <summary>One worker for the class: the SDK's orchestrators and activities running on TaskHubWorker through the shims.</summary>
public sealed class HostFixture : IAsyncLifetime
{
    public TaskHubTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await TaskHubTestHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class OrchestrationTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private DurableTaskClient Client => fixture.Host.Client;

    [Fact]
    public async Task Schedule_ActivitiesInSequence_CompletesWithTheirOutput()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(SequenceOrchestrator), 5);

        var m = await fixture.Host.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, m.RuntimeStatus);
        Assert.Equal(15, m.ReadOutputAs<int>());
        Assert.Equal(5, m.ReadInputAs<int>());
        Assert.Equal(nameof(SequenceOrchestrator), m.Name);
        var history = await Client.GetOrchestrationHistoryAsync(id);
        Assert.Equal(5, history.OfType<TaskScheduledEvent>().Count(e => e.Name == nameof(AddActivity)));
        Assert.Equal(5, history.OfType<TaskCompletedEvent>().Count());
        Assert.Single(history.OfType<ExecutionStartedEvent>());
        Assert.Equal("15", history.OfType<ExecutionCompletedEvent>().Single().Result);
    }
}

public sealed class OrchestrationFeatureTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private DurableTaskClient Client => fixture.Host.Client;

    [Fact]
    public async Task RaiseEvent_WhileWaiting_CustomStatusShowsTheWaitThenTheEventCompletesIt()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalOrchestrator), "proposal-7");
        var waiting = await fixture.Host.WaitForAsync(id, m => m.SerializedCustomStatus is not null);
        Assert.Equal(new ApprovalStatus("waiting", "proposal-7"), waiting.ReadCustomStatusAs<ApprovalStatus>());
        Assert.Equal(OrchestrationRuntimeStatus.Running, waiting.RuntimeStatus);

        await Client.RaiseEventAsync(id, "approval", "head of sales");

        var m = await fixture.Host.WaitForCompletionAsync(id);
        Assert.Equal("proposal-7 approved by head of sales", m.ReadOutputAs<string>());
        Assert.Equal(new ApprovalStatus("approved", "proposal-7"), m.ReadCustomStatusAs<ApprovalStatus>());
        var history = await Client.GetOrchestrationHistoryAsync(id);
        Assert.Equal("approval", Assert.Single(history.OfType<EventRaisedEvent>()).Name);
    }

    [Fact]
    public async Task ShortTimer_Fires_NotBeforeItsDueTime()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(TimerOrchestrator), 2);

        var m = await fixture.Host.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, m.RuntimeStatus);
        var result = m.ReadOutputAs<TimerResult>()!;
        Assert.True(result.WokeAt >= result.Due, $"woke at {result.WokeAt:O}, due {result.Due:O}"); // TimersNeverEarly (the default).
        var history = await Client.GetOrchestrationHistoryAsync(id);
        var created = Assert.Single(history.OfType<TimerCreatedEvent>());
        var fired = Assert.Single(history.OfType<TimerFiredEvent>());
        Assert.Equal(created.EventId, fired.TimerId);
        Assert.Equal(result.Due, created.FireAt);
    }

    [Fact]
    public async Task SubOrchestration_RunsAsItsOwnInstance_AndReturnsToTheParent()
    {
        var id = "parent-" + Guid.NewGuid().ToString("N");
        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(ParentOrchestrator), 20, new StartOrchestrationOptions { InstanceId = id });

        var m = await fixture.Host.WaitForCompletionAsync(id);

        Assert.Equal(41, m.ReadOutputAs<int>());
        var child = await Client.GetInstanceAsync(id + ":child", getInputsAndOutputs: true);
        Assert.NotNull(child);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child.RuntimeStatus);
        Assert.Equal(40, child.ReadOutputAs<int>());
        var history = await Client.GetOrchestrationHistoryAsync(id);
        Assert.Equal(id + ":child", Assert.Single(history.OfType<SubOrchestrationInstanceCreatedEvent>()).InstanceId);
        Assert.Single(history.OfType<SubOrchestrationInstanceCompletedEvent>());
    }

    [Fact]
    public async Task ContinueAsNew_StartsFreshExecutions_UntilTheTargetIsReached()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(CounterOrchestrator), new CounterState(0, 4));

        var m = await fixture.Host.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, m.RuntimeStatus);
        Assert.Equal(4, m.ReadOutputAs<int>());
        Assert.Equal(new CounterState(4, 4), m.ReadInputAs<CounterState>());
        var history = await Client.GetOrchestrationHistoryAsync(id); // Latest execution only: it started with the last state.
        Assert.Equal("{\"Count\":4,\"Target\":4}", Assert.Single(history.OfType<ExecutionStartedEvent>()).Input);
    }

    [Fact]
    public async Task Version_DefaultIsStampedOnNewInstances_AndAnExplicitOlderOneIsKept()
    {
        var byDefault = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(VersionOrchestrator));
        var older = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(VersionOrchestrator), new StartOrchestrationOptions { Version = new TaskVersion("0.9") });

        Assert.Equal("1", (await fixture.Host.WaitForCompletionAsync(byDefault)).ReadOutputAs<string>());
        Assert.Equal("0.9", (await fixture.Host.WaitForCompletionAsync(older)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Tags_GivenAtStart_AreReturnedWithTheInstance()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(SequenceOrchestrator), 1, new StartOrchestrationOptions
        {
            Tags = new Dictionary<string, string> { ["account"] = "acme" },
        });

        var m = await fixture.Host.WaitForCompletionAsync(id);

        Assert.Equal("acme", m.Tags["account"]);
    }

    [Fact]
    public async Task UnknownInstance_IsNull_HistoryAndWaitsSayItDoesNotExist()
    {
        var id = "missing-" + Guid.NewGuid().ToString("N");

        Assert.Null(await Client.GetInstanceAsync(id));
        Assert.Null(await Client.GetInstanceAsync(id, getInputsAndOutputs: true));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.GetOrchestrationHistoryAsync(id));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Client.WaitForInstanceCompletionAsync(id));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Client.WaitForInstanceStartAsync(id));
        Assert.Equal(0, (await Client.PurgeInstanceAsync(id)).PurgedInstanceCount);
        await Assert.ThrowsAsync<ArgumentException>(() => Client.RestartAsync(id));
        Assert.Contains("does not exist", (await Assert.ThrowsAsync<InvalidOperationException>(() => Client.RaiseEventAsync(id, "approval", "x"))).Message);
    }

    [Fact]
    public async Task RaiseEvent_RightAfterSchedule_IsNotLost_EvenWhenTheStartOvertakesTheInstanceRow()
    {
        // DurableTask.AzureStorage queues the start message before writing the instance row, defers a start whose row
        // is missing, and drops any other message that reaches an instance whose start was not processed. A client whose
        // instance-row writes are slow (1.5 s here) makes that happen every time; the client waits for the start.
        await using var worker = await TaskHubTestHost.StartAsync();
        await using var slowClient = await TaskHubTestHost.StartAsync(s =>
        {
            s.WorkerEnabled = false;
            s.StoragePipelinePolicies.Add(new SlowInstanceWrites(worker.TaskHub + "Instances"));
        }, taskHub: worker.TaskHub);
        slowClient.DeleteHubOnDispose = false;

        var ids = await Task.WhenAll(Enumerable.Range(0, 5).Select(async i =>
        {
            var id = await slowClient.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalOrchestrator), $"deal {i}");
            await slowClient.Client.RaiseEventAsync(id, "approval", "kam");
            return id;
        }));

        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            Assert.Equal($"deal {i} approved by kam", (await worker.WaitForCompletionAsync(id, TimeSpan.FromSeconds(60))).ReadOutputAs<string>());
        }
    }

    private sealed class SlowInstanceWrites(string instancesTable) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Method != RequestMethod.Get && message.Request.Uri.Path.Contains(instancesTable, StringComparison.OrdinalIgnoreCase))
            {
                await Task.Delay(1500);
            }

            await ProcessNextAsync(message, pipeline);
        }
    }

    [Fact]
    public async Task StartAt_InstanceStaysPendingUntilThen_AndRefusesEventsMeanwhile()
    {
        var startAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalOrchestrator), "later", new StartOrchestrationOptions { StartAt = startAt });

        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await Client.GetInstanceAsync(id))!.RuntimeStatus);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Client.RaiseEventAsync(id, "approval", "too early"));
        Assert.Contains("starts at", refused.Message);
        var started = await fixture.Host.WaitForAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running && m.SerializedCustomStatus is not null);
        var history = await Client.GetOrchestrationHistoryAsync(id);
        Assert.True(history.OfType<OrchestratorStartedEvent>().First().Timestamp >= startAt.UtcDateTime, "started before StartAt");
        await Client.RaiseEventAsync(id, "approval", "on time");
        Assert.Equal("later approved by on time", (await fixture.Host.WaitForCompletionAsync(id)).ReadOutputAs<string>());
        Assert.Equal(OrchestrationRuntimeStatus.Running, started.RuntimeStatus);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalOrchestrator), "x", new StartOrchestrationOptions { StartAt = DateTimeOffset.UtcNow.AddDays(7) }));
    }

    [Fact]
    public async Task WaitForCompletion_IsCancellable()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalOrchestrator), "never approved");
        await Client.WaitForInstanceStartAsync(id);
        using var cts = new CancellationTokenSource();

        var wait = Client.WaitForInstanceCompletionAsync(id, cancellation: cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        await Client.TerminateInstanceAsync(id);
    }
}
