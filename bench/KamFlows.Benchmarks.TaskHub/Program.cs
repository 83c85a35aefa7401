// Engine benchmark of the Durable Task Framework on Azurite: throughput, storage requests per activity, timer
// lateness, idle cost and memory with many instances waiting on long timers. Each run uses a fresh task hub (no
// leftover leases) on an in-memory Azurite started here; the settings under test come from the command line.
//
// dotnet run -c Release --project bench/KamFlows.Benchmarks.TaskHub -- [--instances 500] [--runs 3] [--waiting 10000]
//   [--idle-seconds 120] [--idle-runs 1] [--settle-seconds 60] [--timers 500] [--partitions 4] [--poll 5] [--batch 32] [--extended false] [--activities-concurrency 10] [--never-early true] [--log-level Warning]
using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using DurableTask.AzureStorage;
using DurableTask.Core.History;
using KamFlows.Benchmarks.TaskHub;
using KamFlows.DevStorage;
using KamFlows.TaskHub;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    if (args[i].StartsWith("--", StringComparison.Ordinal))
    {
        options[args[i][2..]] = i + 1 < args.Length ? args[i + 1] : "true"; // The last occurrence wins.
    }
}

string Opt(string name, string fallback) => options.GetValueOrDefault(name, fallback);
var instances = int.Parse(Opt("instances", "500"), CultureInfo.InvariantCulture);
var runs = int.Parse(Opt("runs", "3"), CultureInfo.InvariantCulture);
var waiting = int.Parse(Opt("waiting", "10000"), CultureInfo.InvariantCulture);
var idleSeconds = int.Parse(Opt("idle-seconds", "120"), CultureInfo.InvariantCulture);
var idleRuns = int.Parse(Opt("idle-runs", "1"), CultureInfo.InvariantCulture);
var timers = int.Parse(Opt("timers", "500"), CultureInfo.InvariantCulture);
var settleSeconds = int.Parse(Opt("settle-seconds", "60"), CultureInfo.InvariantCulture);
void Configure(TaskHubSettings s)
{
    s.PartitionCount = int.Parse(Opt("partitions", "4"), CultureInfo.InvariantCulture);
    s.MaxQueuePollingInterval = TimeSpan.FromSeconds(double.Parse(Opt("poll", "5"), CultureInfo.InvariantCulture));
    s.ControlQueueBatchSize = int.Parse(Opt("batch", "32"), CultureInfo.InvariantCulture);
    s.ExtendedSessionsEnabled = bool.Parse(Opt("extended", "false"));
    s.MaxConcurrentActivities = int.Parse(Opt("activities-concurrency", "10"), CultureInfo.InvariantCulture);
    s.TimersNeverEarly = bool.Parse(Opt("never-early", "true"));
}

var probe = new TaskHubSettings();
Configure(probe);
Console.WriteLine($"KamFlows Durable Task Framework benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}");
Console.WriteLine($"Settings: partitions {probe.PartitionCount}, MaxQueuePollingInterval {probe.MaxQueuePollingInterval.TotalSeconds} s, ControlQueueBatchSize {probe.ControlQueueBatchSize}, " +
                  $"extended sessions {probe.ExtendedSessionsEnabled}, TimersNeverEarly {probe.TimersNeverEarly}, MaxConcurrentActivities {probe.MaxConcurrentActivities}, MaxConcurrentOrchestrations {probe.MaxConcurrentOrchestrations}");
await using var azurite = await EmbeddedAzurite.StartAsync();
Console.WriteLine($"Azurite in memory on 127.0.0.1:{azurite.TablePort}");
Console.WriteLine($"Ceiling: Azurite single-entity upserts at concurrency 64: {await UpsertCeilingAsync(azurite.ConnectionString):F0}/s");

for (var run = 1; run <= runs; run++)
{
    if (instances > 0)
    {
        await ThroughputAsync(run);
    }

    if (timers > 0)
    {
        await LatenessAsync(run);
    }
}

for (var run = 1; run <= idleRuns && waiting > 0; run++)
{
    await IdleAsync(run);
}

return 0;

async Task ThroughputAsync(int run)
{
    var counter = new StorageRequestCounter(azurite.BlobPort, azurite.QueuePort, azurite.TablePort);
    var hub = "bench" + Guid.NewGuid().ToString("N")[..8];
    using var host = await StartHostAsync(hub, counter, r => r.AddOrchestrator<BenchWorkflow>().AddActivity<BenchStep>());
    var client = host.Services.GetRequiredService<DurableTaskClient>();
    var observer = Observer(hub);
    var before = counter.Snapshot();
    var sw = Stopwatch.StartNew();
    await Parallel.ForAsync(0, instances, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(BenchWorkflow), i, new StartOrchestrationOptions { InstanceId = $"bench-{i:D5}" }, ct));
    // Raised once all are scheduled: the client waits for an instance that has not started yet (one status read when it has).
    await Parallel.ForAsync(0, instances, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        await client.RaiseEventAsync($"bench-{i:D5}", "go", 1, ct));
    var scheduled = sw.Elapsed;
    // Completion is polled through a second, uncounted client once a second.
    while (await CountAsync(observer, OrchestrationRuntimeStatus.Completed) < instances)
    {
        await Task.Delay(1000);
    }

    sw.Stop();
    var after = counter.Snapshot();
    var activities = instances * BenchWorkflow.Activities;
    var requests = after.Total - before.Total;
    Console.WriteLine();
    Console.WriteLine($"Run {run}: {instances} orchestrations × ({BenchWorkflow.Activities} activities + 1 timer of 1 s + 1 external event) in {sw.Elapsed.TotalSeconds:F1} s (scheduling and raising took {scheduled.TotalSeconds:F1} s); load average {LoadAverage()}");
    Console.WriteLine($"  completed orchestrations/s: {instances / sw.Elapsed.TotalSeconds:F1}");
    Console.WriteLine($"  activities/s:               {activities / sw.Elapsed.TotalSeconds:F1}");
    Console.WriteLine($"  storage requests:           {requests} (tables {after.Table - before.Table}, queues {after.Queue - before.Queue}, blobs {after.Blob - before.Blob})");
    Console.WriteLine($"  storage requests/activity:  {(double)requests / activities:F2}");

    // Lateness: when the episode that saw TimerFired started, minus the timer's due time.
    var lateness = new List<double>();
    foreach (var i in Enumerable.Range(0, instances))
    {
        var history = await observer.GetOrchestrationHistoryAsync($"bench-{i:D5}");
        DateTime? episode = null;
        foreach (var e in history)
        {
            if (e is OrchestratorStartedEvent)
            {
                episode = e.Timestamp;
            }
            else if (e is TimerFiredEvent fired && episode is { } at)
            {
                lateness.Add((at - fired.FireAt).TotalMilliseconds);
            }
        }
    }

    lateness.Sort();
    Console.WriteLine($"  lateness of its 1 s timers (episode start − due time): p50 {Percentile(lateness, 0.50):F0} ms, p99 {Percentile(lateness, 0.99):F0} ms, min {lateness[0]:F0} ms, max {lateness[^1]:F0} ms");
    await host.StopAsync();
    await host.Services.GetRequiredService<AzureStorageOrchestrationService>().DeleteAsync();
}

async Task LatenessAsync(int run)
{
    // Many short timers of varied length (2.000–12.000 s, spread over the millisecond), scheduled over a few seconds.
    var hub = "late" + Guid.NewGuid().ToString("N")[..8];
    using var host = await StartHostAsync(hub, new StorageRequestCounter(0, 0, 0), r => r.AddOrchestrator<TimerWorkflow>());
    var client = host.Services.GetRequiredService<DurableTaskClient>();
    var observer = Observer(hub);
    var random = new Random(42);
    var lengths = Enumerable.Range(0, timers).Select(_ => random.Next(2_000, 12_000)).ToArray();
    await Parallel.ForAsync(0, timers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(TimerWorkflow), lengths[i], new StartOrchestrationOptions { InstanceId = $"timer-{i:D5}" }, ct));
    while (await CountAsync(observer, OrchestrationRuntimeStatus.Completed) < timers)
    {
        await Task.Delay(1000);
    }

    var lateness = new List<double>();
    var worst = (Late: double.MinValue, Id: "", History: (IList<HistoryEvent>)[]);
    foreach (var i in Enumerable.Range(0, timers))
    {
        var history = await observer.GetOrchestrationHistoryAsync($"timer-{i:D5}");
        DateTime? episode = null;
        foreach (var e in history)
        {
            if (e is OrchestratorStartedEvent)
            {
                episode = e.Timestamp;
            }
            else if (e is TimerFiredEvent fired && episode is { } at)
            {
                var late = (at - fired.FireAt).TotalMilliseconds;
                lateness.Add(late);
                if (late > worst.Late)
                {
                    worst = (late, $"timer-{i:D5}", history);
                }
            }
        }
    }

    Console.WriteLine($"  latest timer {worst.Id} ({worst.Late:F0} ms): " + string.Join(" | ", worst.History.Select(e => e switch
    {
        TimerCreatedEvent c => $"{e.EventType} {e.Timestamp:HH:mm:ss.fff} fireAt {c.FireAt:HH:mm:ss.fff}",
        TimerFiredEvent f => $"{e.EventType} {e.Timestamp:HH:mm:ss.fff} fireAt {f.FireAt:HH:mm:ss.fff}",
        _ => $"{e.EventType} {e.Timestamp:HH:mm:ss.fff}",
    })));
    lateness.Sort();
    Console.WriteLine($"Run {run}: timer lateness, {lateness.Count} timers of 2–12 s (episode start − due time): p50 {Percentile(lateness, 0.50):F0} ms, p99 {Percentile(lateness, 0.99):F0} ms, " +
                      $"min {lateness[0]:F0} ms, max {lateness[^1]:F0} ms, early {lateness.Count(l => l < 0)} of {lateness.Count}; load average {LoadAverage()}");
    await host.StopAsync();
    await host.Services.GetRequiredService<AzureStorageOrchestrationService>().DeleteAsync();
}

async Task IdleAsync(int run)
{
    var counter = new StorageRequestCounter(azurite.BlobPort, azurite.QueuePort, azurite.TablePort);
    var hub = "idle" + Guid.NewGuid().ToString("N")[..8];
    using var host = await StartHostAsync(hub, counter, r => r.AddOrchestrator<WaitingWorkflow>());
    var client = host.Services.GetRequiredService<DurableTaskClient>();
    var observer = Observer(hub);
    Console.WriteLine();
    var sw = Stopwatch.StartNew();
    await Parallel.ForAsync(0, waiting, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitingWorkflow), i, new StartOrchestrationOptions { InstanceId = $"waiting-{i:D5}" }, ct));
    Console.WriteLine($"Idle run {run}: scheduled {waiting} instances that wait 30 days on a timer in {sw.Elapsed.TotalSeconds:F0} s; waiting until all run...");
    // All started = none Pending (the first episode, which creates the timer, has been committed for each).
    while (await CountAsync(observer, OrchestrationRuntimeStatus.Pending) > 0)
    {
        await Task.Delay(2000);
    }

    Console.WriteLine($"  all {waiting} waiting after {sw.Elapsed.TotalSeconds:F0} s; settling {settleSeconds} s, then measuring {idleSeconds} s");
    await Task.Delay(TimeSpan.FromSeconds(settleSeconds)); // Queue polls back off to MaxQueuePollingInterval; leases settle.
    Collect();
    var start = counter.Snapshot();
    await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
    var end = counter.Snapshot();
    Collect();
    using var self = Process.GetCurrentProcess();
    self.Refresh();
    var perMinute = (end.Total - start.Total) / (idleSeconds / 60.0);
    Console.WriteLine($"  idle storage requests/min with {waiting} waiting instances: {perMinute:F1} (tables {end.Table - start.Table}, queues {end.Queue - start.Queue}, blobs {end.Blob - start.Blob} in {idleSeconds} s)");
    Console.WriteLine($"  working set with {waiting} waiting instances: {self.WorkingSet64 / 1024.0 / 1024.0:F0} MB, managed heap {GC.GetTotalMemory(false) / 1024.0 / 1024.0:F0} MB (Azurite runs in its own process)");
    await host.StopAsync();
    await host.Services.GetRequiredService<AzureStorageOrchestrationService>().DeleteAsync();
}

async Task<IHost> StartHostAsync(string hub, StorageRequestCounter counter, Action<DurableTaskRegistry> register)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    builder.Logging.AddSimpleConsole();
    builder.Logging.SetMinimumLevel(Enum.Parse<LogLevel>(Opt("log-level", "Warning")));
    builder.Services.AddKamFlowsTaskHub(s =>
    {
        s.TaskHubName = hub;
        s.ConnectionString = azurite.ConnectionString;
        s.StoragePipelinePolicies.Add(counter);
        Configure(s);
    }, register);
    var host = builder.Build();
    await host.StartAsync();
    return host;
}

TaskHubDurableClient Observer(string hub)
{
    var settings = new TaskHubSettings { TaskHubName = hub, ConnectionString = azurite.ConnectionString };
    Configure(settings);
    return new TaskHubDurableClient("observer", StorageServiceFactory.Create(settings, NullLoggerFactory.Instance), settings);
}

static async Task<int> CountAsync(DurableTaskClient client, OrchestrationRuntimeStatus status)
{
    var n = 0;
    await foreach (var page in client.GetAllInstancesAsync(new OrchestrationQuery { Statuses = [status], PageSize = 1000 }).AsPages())
    {
        n += page.Values.Count;
    }

    return n;
}

static async Task<double> UpsertCeilingAsync(string cs)
{
    var table = new TableClient(cs, "ceiling" + Guid.NewGuid().ToString("N")[..8]);
    await table.CreateIfNotExistsAsync();
    long count = 0;
    var duration = TimeSpan.FromSeconds(5);
    var sw = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, 64).Select(async w =>
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

static void Collect()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
