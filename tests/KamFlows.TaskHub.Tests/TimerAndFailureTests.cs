// Long timers must survive Azure Queues' 7-day limit, failures must read as the activity's error, and a message that
// cannot be processed must back off instead of spinning.
using DurableTask.Core.History;
using KamFlows.TaskHub.TestWorker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace KamFlows.TaskHub.Tests;

public sealed class TimerAndFailureTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private DurableTaskClient Client => fixture.Host.Client;

    [Fact]
    public async Task ThirtyDayTimer_IsSplitIntoChunksOfAtMostThreeDays_StaysRunning_AndCanBeTerminated()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(LongTimerOrchestrator), 30);
        var running = await fixture.Host.WaitForAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        var history = await WaitForHistoryAsync(id, h => h.OfType<TimerCreatedEvent>().Any());

        var started = history.OfType<OrchestratorStartedEvent>().First().Timestamp;
        var chunk = Assert.Single(history.OfType<TimerCreatedEvent>());
        Assert.InRange(chunk.FireAt - started, TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(3));
        Assert.Equal(OrchestrationRuntimeStatus.Running, running.RuntimeStatus);

        await Client.TerminateInstanceAsync(id, "account closed");
        var m = await fixture.Host.WaitForCompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, m.RuntimeStatus);
    }

    [Fact]
    public async Task LongTimer_ChunksFireOneAfterAnother_UntilTheDueTime()
    {
        // The same splitting, shrunk to seconds so every chunk can be seen firing: 7 s with at most 2 s per chunk.
        await using var host = await TaskHubTestHost.StartAsync(s => s.MaximumTimerInterval = TimeSpan.FromSeconds(2));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TimerOrchestrator), 7);

        var m = await host.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, m.RuntimeStatus);
        var result = m.ReadOutputAs<TimerResult>()!;
        var history = await host.Client.GetOrchestrationHistoryAsync(id);
        // Each chunk is at most MaximumTimerInterval from the episode that created it; the last one is the due time.
        var chunks = new List<(DateTime CreatedAt, DateTime FireAt)>();
        DateTime episode = default;
        foreach (var e in history)
        {
            if (e is OrchestratorStartedEvent)
            {
                episode = e.Timestamp;
            }
            else if (e is TimerCreatedEvent created)
            {
                chunks.Add((episode, created.FireAt));
            }
        }

        Assert.True(chunks.Count >= 2, $"{chunks.Count} chunks"); // 7 s in chunks of at most 2 s (fewer than 4 when chunks fire late).
        // At most 2 s each (the last one may already be due when a late chunk fired past it on a loaded machine).
        Assert.All(chunks, c => Assert.True(c.FireAt - c.CreatedAt <= TimeSpan.FromSeconds(2), $"chunk created {c.CreatedAt:O} fires {c.FireAt:O}"));
        Assert.Equal(result.Due, chunks[^1].FireAt);
        Assert.Equal(chunks.Count, history.OfType<TimerFiredEvent>().Count());
        Assert.True(result.WokeAt >= result.Due, $"woke at {result.WokeAt:O}, due {result.Due:O}"); // Never early (NeverEarlyTimersPolicy).
    }

    [Fact]
    public async Task ActivityFailingPastItsRetries_FailsTheOrchestration_WithTheActivitysErrorInTheFailureDetails()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(RetryingOrchestrator), 3);

        var m = await fixture.Host.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, m.RuntimeStatus);
        Assert.Equal(3, FailingActivity.AttemptsFor(id));
        var details = Assert.IsType<TaskFailureDetails>(m.FailureDetails);
        Assert.Contains("CRM refused the update for " + id, details.ErrorMessage);
        Assert.Contains(nameof(FailingActivity), details.ErrorMessage);
        Assert.Equal(typeof(TaskFailedException).FullName, details.ErrorType);
        Assert.Equal(typeof(InvalidOperationException).FullName, details.InnerFailure?.ErrorType);
        Assert.Contains("(attempt 3)", details.InnerFailure?.ErrorMessage);
        Assert.True(details.IsCausedBy<TaskFailedException>());
        var history = await Client.GetOrchestrationHistoryAsync(id);
        Assert.Equal(3, history.OfType<TaskFailedEvent>().Count());
        Assert.Contains("CRM refused", history.OfType<ExecutionCompletedEvent>().Single().FailureDetails!.ErrorMessage);
    }

    [Fact]
    public async Task PoisonMessage_IsRetriedWithGrowingBackOff_NotInATightLoop_AndRunsOnceTheCauseIsFixed()
    {
        // An orchestrator whose construction throws (a missing dependency, say) makes its work item fail before the
        // orchestration runs: DurableTask.AzureStorage 2.11 abandons the message with a visibility delay of 2^n seconds
        // (n = dequeue count, at most 10 minutes, logged as poison there) and never drops it.
        var attempts = new List<DateTime>();
        var healed = false;
        await using var host = await TaskHubTestHost.StartAsync(register: r =>
        {
            TestTasks.Register(r);
            r.AddOrchestrator("Fragile", () =>
            {
                lock (attempts)
                {
                    attempts.Add(DateTime.UtcNow);
                }

                return Volatile.Read(ref healed) ? new VersionOrchestrator() : throw new InvalidOperationException("dependency missing");
            });
        });
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Fragile");

        await WaitUntilAsync(() => Count(attempts) >= 3, TimeSpan.FromSeconds(60));
        List<DateTime> seen;
        lock (attempts)
        {
            seen = [.. attempts];
        }

        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);
        // Lower bounds only (a loaded machine can make them longer, never shorter): 2 s then 4 s, less 1 s of rounding.
        Assert.True(seen[1] - seen[0] >= TimeSpan.FromSeconds(1), $"first retry after {seen[1] - seen[0]}");
        Assert.True(seen[2] - seen[1] >= TimeSpan.FromSeconds(3), $"second retry after {seen[2] - seen[1]}");

        Volatile.Write(ref healed, true);
        var m = await host.WaitForCompletionAsync(id, TimeSpan.FromSeconds(60));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, m.RuntimeStatus);
        Assert.InRange(Count(attempts), 4, 5);
    }

    private static int Count(List<DateTime> attempts)
    {
        lock (attempts)
        {
            return attempts.Count;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "condition not met before the deadline");
            await Task.Delay(50);
        }
    }

    private async Task<IList<HistoryEvent>> WaitForHistoryAsync(string id, Func<IList<HistoryEvent>, bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var history = await Client.GetOrchestrationHistoryAsync(id);
            if (condition(history))
            {
                return history;
            }

            Assert.True(DateTime.UtcNow < until, "history condition not met: " + string.Join(", ", history.Select(e => e.EventType)));
            await Task.Delay(100);
        }
    }
}
