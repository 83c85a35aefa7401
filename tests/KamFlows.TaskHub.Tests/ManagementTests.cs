// What the rest of KamFlows does to instances through DurableTaskClient must behave as the SDK documents it, and a
// live instance must never be replaced behind its back.
using KamFlows.TaskHub.TestWorker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace KamFlows.TaskHub.Tests;

/// <summary>The client's management operations against a real worker: suspend, resume, terminate, purge, restart, query, dedupe.</summary>
public sealed class ManagementTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private DurableTaskClient Client => fixture.Host.Client;

    private async Task<string> StartWaitingAsync(string subject, string? id = null)
    {
        id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalOrchestrator), subject, new StartOrchestrationOptions { InstanceId = id });
        await fixture.Host.WaitForAsync(id, m => m.SerializedCustomStatus is not null);
        return id;
    }

    [Fact]
    public async Task Suspend_HoldsEvents_UntilResumed()
    {
        var id = await StartWaitingAsync("suspended deal");

        await Client.SuspendInstanceAsync(id, "audit");
        await fixture.Host.WaitForAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Suspended);
        await Client.RaiseEventAsync(id, "approval", "cfo");
        // The event is stored while suspended; a later instance completing shows the worker had time to process it.
        var probe = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(SequenceOrchestrator), 2);
        await fixture.Host.WaitForCompletionAsync(probe);
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await Client.GetInstanceAsync(id))!.RuntimeStatus);

        await Client.ResumeInstanceAsync(id, "audit done");

        var m = await fixture.Host.WaitForCompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, m.RuntimeStatus);
        Assert.Equal("suspended deal approved by cfo", m.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Terminate_EndsAWaitingInstance_WithTheGivenOutput()
    {
        var id = await StartWaitingAsync("lost deal");

        await Client.TerminateInstanceAsync(id, "customer went silent");

        var m = await fixture.Host.WaitForCompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, m.RuntimeStatus);
        Assert.Equal("customer went silent", m.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Purge_RemovesAFinishedInstance_RefusesALiveOne()
    {
        var live = await StartWaitingAsync("live deal");
        var done = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(SequenceOrchestrator), 2);
        await fixture.Host.WaitForCompletionAsync(done);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Client.PurgeInstanceAsync(live));
        Assert.Contains("Running", refused.Message);
        Assert.Equal(1, (await Client.PurgeInstanceAsync(done)).PurgedInstanceCount);

        Assert.Null(await Client.GetInstanceAsync(done));
        Assert.NotNull(await Client.GetInstanceAsync(live));
        await Client.TerminateInstanceAsync(live);
    }

    [Fact]
    public async Task Restart_RunsAFinishedInstanceAgainWithItsInput_UnderTheSameOrANewId()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(SequenceOrchestrator), 3, new StartOrchestrationOptions { Version = new TaskVersion("0.8") });
        var first = await fixture.Host.WaitForCompletionAsync(id);
        var firstHistory = await Client.GetOrchestrationHistoryAsync(id);

        Assert.Equal(id, await Client.RestartAsync(id));
        var again = await fixture.Host.WaitForAsync(id, m => m.IsCompleted && m.CreatedAt > first.CreatedAt);
        var newId = await Client.RestartAsync(id, restartWithNewInstanceId: true);
        var copy = await fixture.Host.WaitForCompletionAsync(newId);

        Assert.Equal(6, again.ReadOutputAs<int>());
        Assert.NotEqual(id, newId);
        Assert.Equal(6, copy.ReadOutputAs<int>());
        var restarted = (await Client.GetOrchestrationHistoryAsync(id)).OfType<DurableTask.Core.History.ExecutionStartedEvent>().Single();
        Assert.NotEqual(firstHistory.OfType<DurableTask.Core.History.ExecutionStartedEvent>().Single().OrchestrationInstance.ExecutionId, restarted.OrchestrationInstance.ExecutionId);
        Assert.Equal("0.8", restarted.Version);
    }

    [Fact]
    public async Task Restart_OfALiveInstanceUnderTheSameId_IsRefused()
    {
        var id = await StartWaitingAsync("in flight");

        var e = await Assert.ThrowsAsync<OrchestrationInstanceExistsException>(() => Client.RestartAsync(id));

        Assert.Equal(OrchestrationRuntimeStatus.Running, e.Status);
        await Client.TerminateInstanceAsync(id);
    }

    [Fact]
    public async Task Query_ByPrefixAndStatus_PagesWithContinuationTokens()
    {
        var prefix = "q" + Guid.NewGuid().ToString("N")[..8] + "-";
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await Client.ScheduleNewOrchestrationInstanceAsync(nameof(SequenceOrchestrator), i, new StartOrchestrationOptions { InstanceId = $"{prefix}{i}" }));
        }

        foreach (var id in ids)
        {
            await fixture.Host.WaitForCompletionAsync(id);
        }

        var waiting = await StartWaitingAsync("query", prefix + "waiting");

        var pages = new List<Page<OrchestrationMetadata>>();
        await foreach (var page in Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, Statuses = [OrchestrationRuntimeStatus.Completed], PageSize = 3 }).AsPages())
        {
            pages.Add(page);
        }

        Assert.Equal(ids.Order(), pages.SelectMany(p => p.Values).Select(m => m.InstanceId).Order());
        Assert.True(pages.Count >= 3, $"{pages.Count} pages");
        Assert.All(pages, p => Assert.True(p.Values.Count <= 3));
        Assert.All(pages[..^1], p => Assert.False(string.IsNullOrEmpty(p.ContinuationToken)));

        var all = await Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, FetchInputsAndOutputs = true }).CollectAsync();
        Assert.Equal(8, all.Count);
        Assert.Equal(0 + 1 + 3 + 6 + 10 + 15 + 21, all.Where(m => m.RuntimeStatus == OrchestrationRuntimeStatus.Completed).Sum(m => m.ReadOutputAs<int>()));
        var running = await Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, Statuses = [OrchestrationRuntimeStatus.Running] }).CollectAsync();
        Assert.Equal(waiting, Assert.Single(running).InstanceId);
        var future = await Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, CreatedFrom = DateTimeOffset.UtcNow.AddMinutes(5) }).CollectAsync();
        Assert.Empty(future);
        var past = await Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, CreatedTo = DateTimeOffset.UtcNow.AddMinutes(-5) }).CollectAsync();
        Assert.Empty(past);
        await Client.TerminateInstanceAsync(waiting);
    }

    [Fact]
    public async Task Dedupe_ALiveIdIsNeverReplaced_AFinishedOneIsUnlessItsStatusIsListed()
    {
        var id = await StartWaitingAsync("dedupe", "dedupe-" + Guid.NewGuid().ToString("N"));

        var live = await Assert.ThrowsAsync<OrchestrationInstanceExistsException>(() =>
            Client.ScheduleNewOrchestrationInstanceAsync(nameof(SequenceOrchestrator), 1, new StartOrchestrationOptions { InstanceId = id }));
        Assert.Equal(OrchestrationRuntimeStatus.Running, live.Status);
        Assert.Equal(id, live.InstanceId);
        Assert.Contains(id, live.Message);

        await Client.RaiseEventAsync(id, "approval", "kam");
        Assert.Equal("dedupe approved by kam", (await fixture.Host.WaitForCompletionAsync(id)).ReadOutputAs<string>()); // The first instance was untouched.

        var completed = await Assert.ThrowsAsync<OrchestrationInstanceExistsException>(() =>
            Client.ScheduleNewOrchestrationInstanceAsync(nameof(SequenceOrchestrator), 1, new StartOrchestrationOptions { InstanceId = id, DedupeStatuses = ["Completed"] }));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, completed.Status);

        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(SequenceOrchestrator), 4, new StartOrchestrationOptions { InstanceId = id, DedupeStatuses = ["Failed", "Terminated"] });
        var replaced = await fixture.Host.WaitForAsync(id, m => m.IsCompleted && m.Name == nameof(SequenceOrchestrator));
        Assert.Equal(10, replaced.ReadOutputAs<int>());
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Client.ScheduleNewOrchestrationInstanceAsync(nameof(SequenceOrchestrator), 1, new StartOrchestrationOptions { InstanceId = id, DedupeStatuses = ["Finished"] }));
    }

    [Fact]
    public async Task Dedupe_ConcurrentStartsOfOneId_ExactlyOneWins_TheOthersGetTheExistsException()
    {
        // DurableTask.AzureStorage alone lets concurrent starts of one id all "succeed" (the instance row is written
        // without a condition when none existed); the client serializes them. The instance waits for an event, so it
        // stays live through the race.
        var id = "race-" + Guid.NewGuid().ToString("N");

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalOrchestrator), $"offer {i}", new StartOrchestrationOptions { InstanceId = id });
                return (Won: true, Input: $"offer {i}");
            }
            catch (OrchestrationInstanceExistsException)
            {
                return (Won: false, Input: $"offer {i}");
            }
        }));

        var winner = Assert.Single(attempts, a => a.Won);
        await Client.RaiseEventAsync(id, "approval", "kam");
        var m = await fixture.Host.WaitForCompletionAsync(id);
        Assert.Equal($"{winner.Input} approved by kam", m.ReadOutputAs<string>());
    }

    [Fact]
    public async Task PurgeByFilter_RemovesFinishedInstancesInTheRange_KeepsLiveOnes()
    {
        await using var host = await TaskHubTestHost.StartAsync(); // A hub of its own: the filter spans the whole hub.
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var done = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            done.Add(await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SequenceOrchestrator), i));
        }

        var terminated = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalOrchestrator), "t");
        var live = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalOrchestrator), "l");
        await host.Client.TerminateInstanceAsync(terminated);
        foreach (var id in done.Append(terminated))
        {
            await host.WaitForCompletionAsync(id);
        }

        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(before, null, [OrchestrationRuntimeStatus.Running])));
        var onlyCompleted = await host.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(before, DateTimeOffset.UtcNow.AddMinutes(1), [OrchestrationRuntimeStatus.Completed]));
        Assert.Equal(3, onlyCompleted.PurgedInstanceCount);
        Assert.NotNull(await host.Client.GetInstanceAsync(terminated));

        var rest = await host.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(before, null, null));
        Assert.Equal(1, rest.PurgedInstanceCount);
        Assert.Null(await host.Client.GetInstanceAsync(terminated));
        Assert.All(done, id => Assert.Null(host.Client.GetInstanceAsync(id).GetAwaiter().GetResult()));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Client.GetInstanceAsync(live))!.RuntimeStatus);
        await host.Client.TerminateInstanceAsync(live);
    }
}
