using System.Diagnostics;
using KamFlows.Durable.History;
using KamFlows.Testing;

namespace KamFlows.Durable.Tests;

public sealed class TimerTests(ITestOutputHelper output)
{
    public sealed class TenderWait : TaskOrchestrator<int, DateTimeOffset>
    {
        public override async Task<DateTimeOffset> RunAsync(TaskOrchestrationContext context, int days)
        {
            await context.CreateTimer(context.CurrentUtcDateTime.AddDays(days), CancellationToken.None);
            return context.CurrentUtcDateTime;
        }
    }

    public sealed record Quarter(int Number, DateTimeOffset Started, int Reviews);

    /// <summary>An eternal account loop: one review a quarter, history reset every quarter.</summary>
    public sealed class QuarterlyLoop : TaskOrchestrator<Quarter, Quarter>
    {
        public override async Task<Quarter> RunAsync(TaskOrchestrationContext context, Quarter q)
        {
            var started = q.Number == 0 ? context.CurrentUtcDateTime : q.Started;
            await context.CreateTimer(context.CurrentUtcDateTime.AddMonths(3), CancellationToken.None);
            var reviews = q.Reviews + await context.CallActivityAsync<int>("Review", q.Number);
            if (q.Number + 1 == 12)
            {
                return new Quarter(12, started, reviews);
            }

            context.ContinueAsNew(new Quarter(q.Number + 1, started, reviews));
            return q;
        }
    }

    [Fact]
    public async Task Timer_270Days_FiresAtTheExactVirtualTime_WithoutWaitingRealTime()
    {
        await using var host = await DurableTestHost.StartAsync(r => r.AddOrchestrator<TenderWait>(), fakeClock: true);
        var sw = Stopwatch.StartNew();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TenderWait), 270);
        var due = await host.WaitForOpenTimerAsync(id);
        Assert.Equal(DurableTestHost.Epoch.AddDays(270), due);

        var done = await host.RunToCompletionOnFakeClockAsync(id);
        sw.Stop();
        output.WriteLine($"270-day timer on the fake clock: {sw.ElapsedMilliseconds} ms wall time");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(DurableTestHost.Epoch.AddDays(270), done.ReadOutputAs<DateTimeOffset>());
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}: the fake clock is not driving timers");
        await DurableTestHost.WaitUntilAsync(async () => await host.CountTimerRowsAsync() == 0);
    }

    [Fact]
    public async Task ThreeYearLoop_ContinueAsNewEveryQuarter_CompletesOnFakeClock_WithShortHistory()
    {
        var reviewed = new List<int>();
        await using var host = await DurableTestHost.StartAsync(r => r
            .AddOrchestrator<QuarterlyLoop>()
            .AddActivityFunc<int, int>("Review", (_, n) => { lock (reviewed) { reviewed.Add(n); } return Task.FromResult(1); }), fakeClock: true);
        var sw = Stopwatch.StartNew();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(QuarterlyLoop), new Quarter(0, default, 0));
        var done = await host.RunToCompletionOnFakeClockAsync(id);
        sw.Stop();
        output.WriteLine($"Three-year quarterly loop on the fake clock: {sw.ElapsedMilliseconds} ms wall time");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<Quarter>();
        Assert.Equal(12, result.Reviews);
        Assert.Equal(DurableTestHost.Epoch, result.Started);
        Assert.Equal(Enumerable.Range(0, 12), reviewed.Order());
        Assert.Equal(DurableTestHost.Epoch.AddMonths(36), done.CompletedAt);
        // Only the last quarter's history remains: ContinueAsNew really resets it.
        var history = await host.Client.GetInstanceHistoryAsync(id);
        Assert.Single(history, e => e.Kind == HistoryEventKind.TimerFired);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task ScheduledStart_StartsAtTheGivenVirtualTime()
    {
        await using var host = await DurableTestHost.StartAsync(r => r.AddOrchestrator<TenderWait>(), fakeClock: true);
        var startAt = DurableTestHost.Epoch.AddDays(30);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(TenderWait), 1, new StartOrchestrationOptions { StartAt = startAt });
        var pending = await host.Client.GetInstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Pending, pending!.RuntimeStatus);
        Assert.Equal(startAt, pending.ScheduledStartAt);

        host.Clock!.Advance(TimeSpan.FromDays(30));
        await host.WaitForStatusAsync(id, null, OrchestrationRuntimeStatus.Running);
        var done = await host.RunToCompletionOnFakeClockAsync(id);
        Assert.Equal(startAt.AddDays(1), done.ReadOutputAs<DateTimeOffset>());
    }
}
