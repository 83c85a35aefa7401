// Crash safety and shared work are only proven with real processes: SIGKILL loses nothing, two workers never run an
// instance to completion twice.
using Azure.Data.Tables;
using DurableTask.Core.History;
using KamFlows.TaskHub.TestWorker;
using KamFlows.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace KamFlows.TaskHub.Tests;

/// <summary>
/// Real worker processes on one task hub: one killed with SIGKILL again and again while it works, and two at once.
/// Activities run at least once (a kill between an activity's effect and the commit of its result runs it again);
/// the outbox row's deterministic key makes the effect happen once. Every instance must complete exactly once.
/// </summary>
public sealed class ProcessTests(ITestOutputHelper output)
{
    private const int Kills = 22;
    private const int InstancesPerKill = 4;
    private const int Sequential = 6;
    private const int ActivitiesPerInstance = Sequential + CrashWorkflow.ParallelSteps;

    [Fact]
    public async Task WorkerKilledWhileWorking_22Times_EveryInstanceCompletesOnce_EveryOutboxRowExistsOnce()
    {
        var cs = await SharedAzurite.ConnectionStringAsync();
        await using var client = await TaskHubTestHost.StartAsync(s => s.WorkerEnabled = false, taskHub: Names.TaskHub("crash"));
        var inputs = new List<CrashInput>();
        var random = new Random(20261204);
        var processes = new List<WorkerProcess>();
        var remainingAtKill = new List<int>();
        int Remaining() => (inputs.Count * ActivitiesPerInstance) - processes.SelectMany(p => p.Ran).Distinct().Count();
        try
        {
            for (var kill = 0; kill < Kills; kill++)
            {
                // New instances before every start, so the restarted worker always has work in progress when it is killed.
                for (var i = 0; i < InstancesPerKill; i++)
                {
                    var input = new CrashInput(inputs.Count, Sequential, TimerSeconds: 1);
                    inputs.Add(input);
                    await client.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CrashWorkflow), input, new StartOrchestrationOptions { InstanceId = InstanceId(input) });
                }

                var worker = WorkerProcess.Start(cs, client.TaskHub, client.OutboxTable, "crash-worker");
                processes.Add(worker);
                await WaitUntilAsync(() => worker.RanCount > 0 || worker.HasExited, TimeSpan.FromSeconds(90), () => $"kill {kill}: the restarted worker made no progress. {worker.Output}");
                Assert.False(worker.HasExited, worker.Output);
                await Task.Delay(random.Next(0, 250)); // A random point in the work, not a wait for anything.
                if (Remaining() == 0)
                {
                    // The worker got through everything before it was seen working (its output arrives in bursts): give it more, so the kill lands in work.
                    var more = new CrashInput(inputs.Count, Sequential, TimerSeconds: 1);
                    inputs.Add(more);
                    var before = worker.RanCount;
                    await client.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CrashWorkflow), more, new StartOrchestrationOptions { InstanceId = InstanceId(more) });
                    await WaitUntilAsync(() => worker.RanCount > before || worker.HasExited, TimeSpan.FromSeconds(90), () => $"kill {kill}: no progress on the added instance. {worker.Output}");
                }

                worker.Kill();
                remainingAtKill.Add(Remaining());
            }

            var last = WorkerProcess.Start(cs, client.TaskHub, client.OutboxTable, "crash-worker");
            processes.Add(last);
            await AllCompletedAsync(client, inputs.Select(InstanceId).ToList(), TimeSpan.FromMinutes(3));
        }
        finally
        {
            processes.ForEach(p => p.Dispose());
        }

        var executions = processes.SelectMany(p => p.Ran).ToList();
        var rerun = executions.GroupBy(k => k).Count(g => g.Count() > 1);
        output.WriteLine($"{Kills} kills, {inputs.Count} instances, {inputs.Count * ActivitiesPerInstance} activities, {executions.Count} executions " +
                         $"({rerun} activities ran more than once); work left at each kill: {string.Join(", ", remainingAtKill)}");
        Assert.Equal(Kills, remainingAtKill.Count);
        Assert.All(remainingAtKill, left => Assert.True(left > 0, "a kill landed after all work was done"));
        Assert.True(processes.Take(Kills).All(p => p.RanCount > 0));
        Assert.True(rerun > 0, "no kill landed between an activity's effect and its commit: recovery was not exercised");
        var duplicates = await AssertEachCompletedOnceAsync(client, inputs, cs);
        output.WriteLine($"{duplicates} activity results arrived twice (recorded in history, ignored by the orchestrations)");
    }

    [Fact]
    public async Task TwoWorkerProcessesOnOneTaskHub_500Instances_NoneStuck_EachCompletesOnce()
    {
        var cs = await SharedAzurite.ConnectionStringAsync();
        await using var client = await TaskHubTestHost.StartAsync(s => s.WorkerEnabled = false, taskHub: Names.TaskHub("two"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var a = WorkerProcess.Start(cs, client.TaskHub, client.OutboxTable, "worker-a", visibilitySeconds: 60);
        using var b = WorkerProcess.Start(cs, client.TaskHub, client.OutboxTable, "worker-b", visibilitySeconds: 60);
        // Two long-running hosts with the default 1-minute visibility timeout:
        // wait until they share the partitions (moving a partition while its messages are in flight strands them until
        // their visibility timeout; losing a worker mid-work is the crash test's job).
        var partitions = new TableClient(cs, client.TaskHub + "Partitions");
        await WaitUntilAsync(() =>
        {
            List<TableEntity> leases;
            try
            {
                leases = partitions.Query<TableEntity>().ToList();
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404)
            {
                return false; // Not created by the workers yet.
            }

            return leases.Count == 4 && leases.All(l => l.GetString("NextOwner") is null)
                   && leases.GroupBy(l => l.GetString("CurrentOwner")).Select(g => g.Count()).Order().SequenceEqual([2, 2]);
        }, TimeSpan.FromSeconds(120), () => $"partitions not balanced. a: {a.Output} b: {b.Output}");
        var balanced = clock.Elapsed;
        var inputs = Enumerable.Range(0, 500).Select(i => new CrashInput(i, Sequential: 0, TimerSeconds: 0)).ToList();
        await Parallel.ForEachAsync(inputs, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (input, ct) =>
            await client.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CrashWorkflow), input, new StartOrchestrationOptions { InstanceId = InstanceId(input) }, ct));

        await AllCompletedAsync(client, inputs.Select(InstanceId).ToList(), TimeSpan.FromMinutes(3), () =>
            $"partitions: {string.Join("; ", partitions.Query<TableEntity>().Select(l => $"{l.RowKey} {l.GetString("CurrentOwner")} next {l.GetString("NextOwner")}"))}\n" +
            $"worker a: {a.Output}\nworker b: {b.Output}");

        output.WriteLine($"partitions balanced after {balanced.TotalSeconds:F0} s; 500 instances, {500 * CrashWorkflow.ParallelSteps} activities done {(clock.Elapsed - balanced).TotalSeconds:F0} s later; " +
                         $"executions: worker a {a.RanCount}, worker b {b.RanCount}");
        Assert.False(a.HasExited, a.Output);
        Assert.False(b.HasExited, b.Output);
        Assert.True(a.RanCount > 0 && b.RanCount > 0, $"both workers should take work: a {a.RanCount}, b {b.RanCount}");
        // Messages are delivered at least once even without a crash (a slow episode can outlast a lease), so a
        // duplicate result is allowed in a history; what must hold is above and in AssertEachCompletedOnceAsync.
        var duplicates = await AssertEachCompletedOnceAsync(client, inputs, cs);
        output.WriteLine($"{duplicates} activity results arrived twice; {a.RanCount + b.RanCount - (inputs.Count * CrashWorkflow.ParallelSteps)} activities ran twice");
    }

    private static string InstanceId(CrashInput input) => $"crash-{input.Seed:D4}";

    private static async Task AllCompletedAsync(TaskHubTestHost client, List<string> ids, TimeSpan deadline, Func<string>? diagnostics = null)
    {
        var until = DateTime.UtcNow + deadline;
        var pending = ids.ToHashSet();
        while (pending.Count > 0)
        {
            var prefix = await client.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "crash-", PageSize = 1000 }).CollectAsync();
            foreach (var m in prefix.Where(m => m.IsCompleted))
            {
                pending.Remove(m.InstanceId);
            }

            if (pending.Count > 0)
            {
                if (DateTime.UtcNow > until)
                {
                    var sample = await client.Client.GetInstanceAsync(pending.First(), true);
                    throw new TimeoutException($"{pending.Count} instances stuck, e.g. {sample?.InstanceId} {sample?.RuntimeStatus} {sample?.FailureDetails}; " +
                                               $"{string.Join(", ", pending.Order().Take(20))}\n{diagnostics?.Invoke()}");
                }

                await Task.Delay(2000); // Each poll reads every instance row: keep Azurite (the bottleneck) for the workers.
            }
        }
    }

    /// <returns>How many activity results arrived twice (recorded in history, ignored by the orchestration).</returns>
    private static async Task<int> AssertEachCompletedOnceAsync(TaskHubTestHost client, List<CrashInput> inputs, string connectionString)
    {
        var duplicateResults = 0;
        var rows = new List<TableEntity>();
        await foreach (var row in new TableClient(connectionString, client.OutboxTable).QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        var perInstance = (inputs[0].Sequential + CrashWorkflow.ParallelSteps);
        Assert.Equal(inputs.Count * perInstance, rows.Count);
        var byKey = rows.ToDictionary(r => (r.PartitionKey, r.RowKey));
        foreach (var input in inputs)
        {
            var id = InstanceId(input);
            var m = await client.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
            Assert.True(m?.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{id}: {m?.RuntimeStatus} {m?.FailureDetails}");
            Assert.Equal(CrashWorkflow.Expected(input), m!.ReadOutputAs<long>());
            for (var step = 0; step < perInstance; step++)
            {
                Assert.Equal(CrashWorkflow.Value(input.Seed, step), byKey[(id, Outbox.RowKey(step))].GetInt32("Value"));
            }

            var history = await client.Client.GetOrchestrationHistoryAsync(id);
            var scheduled = history.OfType<TaskScheduledEvent>().Select(e => e.EventId).ToList();
            var results = history.OfType<TaskCompletedEvent>().Select(e => e.TaskScheduledId).ToList();
            Assert.Equal(perInstance, scheduled.Count);
            // Every activity has a result. An activity run again after a kill sends a second result, which the history
            // records and the orchestration ignores (its task is no longer open): the output above proves it was used once.
            Assert.Equal(scheduled.Order(), results.Distinct().Order());
            duplicateResults += results.Count - scheduled.Count;
            Assert.Single(history.OfType<ExecutionStartedEvent>());
            Assert.Single(history.OfType<ExecutionCompletedEvent>());
        }

        return duplicateResults;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan deadline, Func<string> describe)
    {
        var until = DateTime.UtcNow + deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException(describe());
            }

            await Task.Delay(20);
        }
    }
}
