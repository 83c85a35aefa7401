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
