// Issue 2's benchmark: throughput, storage transactions per activity, the Azurite ceiling, timer lateness,
// idle cost and memory with many waiting instances. Everything runs against an in-memory Azurite started here.
using System.Diagnostics;
using Azure.Data.Tables;
using KamFlows.DevStorage;
using KamFlows.Durable;
using KamFlows.Durable.History;
using KamFlows.Durable.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KamFlows.Benchmarks;

public static class DurableBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        Console.WriteLine($"KamFlows durable runtime benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        await using var azurite = await EmbeddedAzurite.StartAsync();
        Console.WriteLine($"Azurite in memory on 127.0.0.1:{azurite.TablePort}");

        var ceiling = await MeasureUpsertCeilingAsync(azurite.ConnectionString, args.Concurrency, TimeSpan.FromSeconds(5));
        Console.WriteLine($"Ceiling: Azurite single-entity upserts at concurrency {args.Concurrency}: {ceiling:F0}/s");

        await MeasureThroughputAsync(azurite.ConnectionString, args, ceiling);
        await MeasureIdleAsync(azurite.ConnectionString, args);
        return 0;
    }

    private static async Task<double> MeasureUpsertCeilingAsync(string cs, int concurrency, TimeSpan duration)
    {
        var table = new TableClient(cs, "ceiling" + Guid.NewGuid().ToString("N")[..8]);
        await table.CreateIfNotExistsAsync();
        long count = 0;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async w =>
        {
            var i = 0;
            while (sw.Elapsed < duration)
            {
                await table.UpsertEntityAsync(new TableEntity($"p{w}", $"r{i++ % 100}") { ["V"] = i, ["S"] = "payload of a typical small row" });
                Interlocked.Increment(ref count);
            }
        }));
        return count / sw.Elapsed.TotalSeconds;
    }

    private static async Task MeasureThroughputAsync(string cs, BenchArgs args, double ceiling)
    {
        using var host = await StartHostAsync(cs, "bench" + Guid.NewGuid().ToString("N")[..8], r => r.AddOrchestrator<BenchWorkflow>().AddActivity<BenchStep>());
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        var counter = host.Services.GetRequiredService<StorageRequestCounter>();
        await host.Services.GetRequiredService<DurableStorage>().EnsureCreatedAsync();

        var before = counter.Snapshot();
        var sw = Stopwatch.StartNew();
        var ids = new string[args.Instances];
        await Parallel.ForAsync(0, args.Instances, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            ids[i] = await client.ScheduleNewOrchestrationInstanceAsync(nameof(BenchWorkflow), i, new StartOrchestrationOptions { InstanceId = $"bench-{i}" }, ct);
            await client.RaiseEventAsync(ids[i], "go", 1, cancellationToken: ct); // Raised early: kept until the wait.
        });
        // Count completions with one query a second, so waiting adds almost nothing to the measured requests.
        while (await CountAsync(client, OrchestrationRuntimeStatus.Completed) < args.Instances)
        {
            await Task.Delay(1000);
        }

        sw.Stop();
        var after = counter.Snapshot();

        var activities = args.Instances * 5;
        var requests = after.Total - before.Total;
        Console.WriteLine();
        Console.WriteLine($"Throughput: {args.Instances} orchestrations × (5 activities + 1 timer of 1 s + 1 external event) in {sw.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"  completed orchestrations/s: {args.Instances / sw.Elapsed.TotalSeconds:F1}");
        Console.WriteLine($"  activities/s:               {activities / sw.Elapsed.TotalSeconds:F1}");
        Console.WriteLine($"  storage requests:           {requests} (tables {after.Table - before.Table}, queues {after.Queue - before.Queue}, blobs {after.Blob - before.Blob})");
        Console.WriteLine($"  storage requests/activity:  {(double)requests / activities:F2}  (target ≤ 4; Durable Functions' Azure Storage backend ≈ 8–10)");
        var rate = requests / sw.Elapsed.TotalSeconds;
        Console.WriteLine($"  engine storage requests/s:  {rate:F0} = {rate / ceiling:P0} of the Azurite upsert ceiling");

        var lateness = new List<double>();
        foreach (var id in ids.Take(Math.Min(ids.Length, 500)))
        {
            var h = await client.GetInstanceHistoryAsync(id);
            var fired = h.First(e => e.Kind == HistoryEventKind.TimerFired);
            lateness.Add((fired.Timestamp - fired.FireAt!.Value).TotalMilliseconds);
        }

        await host.StopAsync();
        lateness.Sort();
        Console.WriteLine($"  timer lateness (fired step time − due time), {lateness.Count} timers: p50 {Percentile(lateness, 0.50):F0} ms, p99 {Percentile(lateness, 0.99):F0} ms, max {lateness[^1]:F0} ms (target p99 ≤ 1000 ms)");
    }

    private static async Task MeasureIdleAsync(string cs, BenchArgs args)
    {
        using var host = await StartHostAsync(cs, "idle" + Guid.NewGuid().ToString("N")[..8], r => r.AddOrchestrator<WaitingWorkflow>());
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        var counter = host.Services.GetRequiredService<StorageRequestCounter>();
        await host.Services.GetRequiredService<DurableStorage>().EnsureCreatedAsync();

        Console.WriteLine();
        var sw = Stopwatch.StartNew();
        await Parallel.ForAsync(0, args.Waiting, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitingWorkflow), i, new StartOrchestrationOptions { InstanceId = $"waiting-{i}" }, ct));
        Console.WriteLine($"Idle: scheduled {args.Waiting} instances that wait 30 days on a timer ({sw.Elapsed.TotalSeconds:F0} s); waiting until all are running...");

        // Quiet = no request for two poll intervals after every instance started.
        var last = counter.Total;
        var quietSince = Stopwatch.StartNew();
        while (quietSince.Elapsed < TimeSpan.FromSeconds(5) || (await client.QueryInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Pending], PageSize = 1 })).Instances.Count > 0)
        {
            await Task.Delay(1000);
            var now = counter.Total;
            if (now - last > 1)
            {
                quietSince.Restart();
            }

            last = counter.Total;
        }

        // Settle into the idle rhythm, then measure a whole window.
        await Task.Delay(TimeSpan.FromSeconds(35));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var start = counter.Snapshot();
        var window = TimeSpan.FromSeconds(args.IdleSeconds);
        await Task.Delay(window);
        var end = counter.Snapshot();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var perMinute = (end.Total - start.Total) / window.TotalMinutes;
        Console.WriteLine($"  idle storage requests/min with {args.Waiting} waiting instances: {perMinute:F1} over {window.TotalSeconds:F0} s (tables {end.Table - start.Table}, queues {end.Queue - start.Queue}) (target ≤ 4)");
        await host.StopAsync();
        Console.WriteLine($"  host working set with {args.Waiting} waiting instances: {self.WorkingSet64 / 1024.0 / 1024.0:F0} MB, managed heap {GC.GetTotalMemory(false) / 1024.0 / 1024.0:F0} MB (target < 250 MB; Azurite runs in its own process)");
    }

    private static async Task<IHost> StartHostAsync(string cs, string hub, Action<DurableTaskRegistry> register)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddDurableTasks(o =>
        {
            o.TaskHub = hub;
            o.StorageConnectionString = cs;
        }, register);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<int> CountAsync(DurableTaskClient client, OrchestrationRuntimeStatus status)
    {
        var n = 0;
        string? token = null;
        do
        {
            var page = await client.QueryInstancesAsync(new OrchestrationQuery { Statuses = [status], PageSize = 1000, ContinuationToken = token });
            n += page.Instances.Count;
            token = page.ContinuationToken;
        }
        while (token is not null);
        return n;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
