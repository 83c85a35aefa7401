using KamFlows.Durable.History;
using KamFlows.Durable.TestWorker;
using KamFlows.Testing;

namespace KamFlows.Durable.Tests;

/// <summary>
/// Real host processes on the same storage: killed with SIGKILL at random moments, and two at once. Invariants checked:
/// every instance completes with the right output, every scheduled task has exactly one result in history, no
/// step was committed twice. Activity executions are counted from the workers' own log (at-least-once: a kill
/// between running an activity and committing its result runs it again; the history still holds one result).
/// </summary>
public sealed class CrashAndConcurrencyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task HostKilledAtRandomMoments_TwentyFiveTimes_EveryInstanceCompletesOnceWithTheRightOutput()
    {
        var cs = await SharedAzurite.ConnectionStringAsync();
        var hub = Names.TaskHub("crash");
        var log = Path.Combine(Path.GetTempPath(), hub);
        await using var client = await ClientOnlyAsync(hub);
        var inputs = Enumerable.Range(1, 80).Select(i => new CrashInput(i, Sequential: 5, Parallel: 3, TimerMilliseconds: 300)).ToList(); // Enough work to outlast the 25 kills.
        var ids = new List<string>();
        foreach (var input in inputs)
        {
            ids.Add(await client.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CrashWorkflow), input, new StartOrchestrationOptions { InstanceId = $"crash:{input.Seed}", Version = "1" }));
        }

        var random = new Random(20261122);
        var kills = 0;
        var idleKills = 0;
        var worker = WorkerProcess.Start(cs, hub, log, leaseSeconds: 2);
        try
        {
            for (; kills < 25; kills++)
            {
                // Kill while work is in flight: once the new process has run an activity, at a random moment after.
                var before = ActivityLog.ReadAll(log).Length;
                var waitUntil = DateTime.UtcNow.AddSeconds(30);
                while (ActivityLog.ReadAll(log).Length == before && DateTime.UtcNow < waitUntil)
                {
                    await Task.Delay(10);
                }

                idleKills += ActivityLog.ReadAll(log).Length == before ? 1 : 0;

                await Task.Delay(random.Next(0, 120));
                worker.Kill();
                worker.Dispose();
                worker = WorkerProcess.Start(cs, hub, log, leaseSeconds: 2);
            }

            await AllCompletedAsync(client, ids, TimeSpan.FromMinutes(3));
        }
        finally
        {
            worker.Dispose();
        }

        var executions = ActivityLog.ReadAll(log);
        var rerun = executions.Select(Key).GroupBy(k => k).Count(g => g.Count() > 1);
        output.WriteLine($"{kills} kills; {executions.Length} activity executions for {ids.Count * 8} activities " +
                         $"({executions.Length - executions.Distinct().Count()} exact repeats, {executions.Select(Key).GroupBy(k => k).Count(g => g.Count() > 1)} activities run more than once)");
        Assert.Equal(25, kills);
        Assert.Equal(0, idleKills); // Every kill landed while the restarted process was doing work.
        Assert.True(rerun > 0, "no kill landed between an activity and its commit: the test did not exercise recovery");
        for (var i = 0; i < ids.Count; i++)
        {
            await AssertCompletedOnceAsync(client, ids[i], CrashWorkflow.Expected(inputs[i]), expectedTasks: 8 + 1);
        }

        Assert.Equal(ids.Count * 8, executions.Select(Key).Distinct().Count());
    }

    [Fact]
    public async Task TwoHostsOnTheSameStorage_500Instances_NoneStuck_NoStepCommittedTwice()
    {
        var cs = await SharedAzurite.ConnectionStringAsync();
        var hub = Names.TaskHub("conc");
        var log = Path.Combine(Path.GetTempPath(), hub);
        await using var client = await ClientOnlyAsync(hub);
        using var a = WorkerProcess.Start(cs, hub, log, leaseSeconds: 10);
        using var b = WorkerProcess.Start(cs, hub, log, leaseSeconds: 10);
        var inputs = Enumerable.Range(1, 500).Select(i => new CrashInput(i, Sequential: 2, Parallel: 2, TimerMilliseconds: 0)).ToList();
        var ids = new List<string>();
        await Parallel.ForEachAsync(inputs, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (input, ct) =>
        {
            var id = await client.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CrashWorkflow), input, new StartOrchestrationOptions { InstanceId = $"conc:{input.Seed}", Version = "1" }, ct);
            lock (ids)
            {
                ids.Add(id);
            }
        });

        await AllCompletedAsync(client, ids, TimeSpan.FromMinutes(4));
        var executions = ActivityLog.ReadAll(log);
        var byHost = executions.GroupBy(l => l.Split('|')[3]).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"500 instances, {ids.Count * 4} activities; executions: {executions.Length} " +
                         $"(host {a.Id}: {byHost.GetValueOrDefault(a.Id.ToString())}, host {b.Id}: {byHost.GetValueOrDefault(b.Id.ToString())}); " +
                         $"distinct: {executions.Select(Key).Distinct().Count()}, run more than once: {executions.Select(Key).GroupBy(k => k).Count(g => g.Count() > 1)}");
        Assert.False(a.HasExited, a.Output);
        Assert.False(b.HasExited, b.Output);
        Assert.True(byHost.Count == 2, "both hosts should have taken work: " + string.Join(", ", byHost));
        foreach (var (id, input) in ids.Order().Zip(inputs.OrderBy(i => $"conc:{i.Seed}", StringComparer.Ordinal)))
        {
            await AssertCompletedOnceAsync(client, id, CrashWorkflow.Expected(input), expectedTasks: 4);
        }

        Assert.Equal(ids.Count * 4, executions.Select(Key).Distinct().Count());
    }

    private static string Key(string logLine) => string.Join('|', logLine.Split('|')[..3]);

    /// <summary>A client with no loops of its own: the worker processes do all the work.</summary>
    private static Task<DurableTestHost> ClientOnlyAsync(string hub) =>
        DurableTestHost.StartAsync(_ => { }, o => o.RunBackgroundLoops = false, taskHub: hub);

    private static async Task AllCompletedAsync(DurableTestHost client, IReadOnlyCollection<string> ids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var pending = ids.ToHashSet();
        while (pending.Count > 0)
        {
            foreach (var id in pending.ToList())
            {
                if ((await client.Client.GetInstanceAsync(id)) is { IsCompleted: true })
                {
                    pending.Remove(id);
                }
            }

            if (pending.Count > 0 && DateTime.UtcNow > deadline)
            {
                var sample = await client.Client.GetInstanceAsync(pending.First(), true);
                throw new TimeoutException($"{pending.Count} instances stuck, e.g. {sample?.InstanceId} {sample?.RuntimeStatus} {sample?.FailureDetails}");
            }

            await Task.Delay(200);
        }
    }

    private static async Task AssertCompletedOnceAsync(DurableTestHost client, string id, long expected, int expectedTasks)
    {
        var m = await client.Client.GetInstanceAsync(id, true);
        Assert.True(m!.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{id}: {m.RuntimeStatus} {m.FailureDetails}");
        Assert.Equal(expected, m.ReadOutputAs<long>());
        var history = await client.Client.GetInstanceHistoryAsync(id);
        var scheduled = history.Where(e => e.Kind is HistoryEventKind.TaskScheduled or HistoryEventKind.TimerCreated).Select(e => e.TaskId!.Value).ToList();
        var results = history.Where(e => e.Kind is HistoryEventKind.TaskCompleted or HistoryEventKind.TimerFired).Select(e => e.TaskId!.Value).ToList();
        Assert.Equal(scheduled.Count, scheduled.Distinct().Count());
        Assert.Equal(results.Count, results.Distinct().Count()); // Each result appears exactly once.
        Assert.Equal(scheduled.Order(), results.Order());
        Assert.Equal(expectedTasks, scheduled.Count);
        Assert.Single(history, e => e.Kind == HistoryEventKind.ExecutionStarted);
        Assert.Single(history, e => e.Kind == HistoryEventKind.ExecutionCompleted);
    }
}
