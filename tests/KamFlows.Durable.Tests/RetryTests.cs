using System.Collections.Concurrent;
using KamFlows.Durable.History;
using KamFlows.Testing;

namespace KamFlows.Durable.Tests;

public sealed class RetryTests
{
    private static readonly RetryPolicy Policy = new(maxNumberOfAttempts: 4, firstRetryInterval: TimeSpan.FromMinutes(1), backoffCoefficient: 2);

    public sealed class SendWithRetry : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        {
            try
            {
                return await context.CallActivityAsync<string>("Flaky", input, TaskOptions.FromRetryPolicy(Policy));
            }
            catch (TaskFailedException ex) when (input == "caught")
            {
                return $"gave up: {ex.FailureDetails.ErrorType}: {ex.FailureDetails.ErrorMessage}";
            }
        }
    }

    private static void Register(DurableTaskRegistry r, ConcurrentDictionary<string, int> attempts) => r
        .AddOrchestrator<SendWithRetry>()
        .AddActivityFunc<string, string>("Flaky", (ctx, input) =>
        {
            var n = attempts.AddOrUpdate(ctx.InstanceId, 1, (_, v) => v + 1);
            // "flaky" succeeds on the third attempt; anything else always fails.
            return input == "flaky" && n >= 3 ? Task.FromResult($"sent on attempt {n}") : throw new TimeoutException($"SMTP timeout #{n}");
        });

    [Fact]
    public async Task RetryPolicy_BacksOffOnDurableTimers_ThenSucceeds()
    {
        var attempts = new ConcurrentDictionary<string, int>();
        await using var host = await DurableTestHost.StartAsync(r => Register(r, attempts), fakeClock: true);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SendWithRetry), "flaky");
        var done = await host.RunToCompletionOnFakeClockAsync(id);

        Assert.Equal("sent on attempt 3", done.ReadOutputAs<string>());
        var history = await host.Client.GetInstanceHistoryAsync(id);
        var delays = history.Where(e => e.Kind == HistoryEventKind.TimerCreated).Select(e => e.FireAt!.Value - e.Timestamp).ToList();
        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2)], delays);
        Assert.Equal(2, history.Count(e => e.Kind == HistoryEventKind.TaskFailed));
        await DurableTestHost.WaitUntilAsync(async () => await host.CountTimerRowsAsync() == 0); // Fired timers leave the index.
    }

    [Fact]
    public async Task RetryPolicy_FinalFailure_SurfacesInTheOrchestratorWithTheActivityError()
    {
        var attempts = new ConcurrentDictionary<string, int>();
        await using var host = await DurableTestHost.StartAsync(r => Register(r, attempts), fakeClock: true);
        var caught = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SendWithRetry), "caught");
        Assert.Equal("gave up: System.TimeoutException: SMTP timeout #4", (await host.RunToCompletionOnFakeClockAsync(caught)).ReadOutputAs<string>());
        Assert.Equal(4, attempts[caught]);

        var uncaught = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SendWithRetry), "always");
        var failed = await host.RunToCompletionOnFakeClockAsync(uncaught);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Equal(typeof(TaskFailedException).FullName, failed.FailureDetails!.ErrorType);
        Assert.True(failed.FailureDetails.IsCausedBy<TimeoutException>());
        Assert.Contains("SMTP timeout #4", failed.FailureDetails.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RetryPolicy_Delays_GrowByCoefficient_UpToTheMaximum()
    {
        var p = new RetryPolicy(10, TimeSpan.FromSeconds(10), 3, maxRetryInterval: TimeSpan.FromMinutes(2));
        Assert.Equal([10, 30, 90, 120, 120], Enumerable.Range(1, 5).Select(a => p.DelayAfterAttempt(a).TotalSeconds));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(0, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(1, TimeSpan.Zero));
    }
}
