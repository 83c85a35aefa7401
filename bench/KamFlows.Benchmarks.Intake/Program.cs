// Intake benchmark. Starts Azurite and the real KamFlows host (the built KamFlows.Host.dll, a separate process) on
// loopback, sends Standard Webhooks-signed CloudEvents from many concurrent connections for a fixed time, and reports
// accepted events per second, latency percentiles, and whether the stored count equals the accepted count.
// Usage: dotnet run -c Release --project bench/KamFlows.Benchmarks.Intake -- [--connections 64] [--seconds 20]
//        [--warmup 5] [--batch 1] [--accounts 1000] [--processing off|on] [--azurite memory|disk] [--window 00:00:00.002]
//        [--prepare 150000] [--host path/to/KamFlows.Host.dll] [--storage "<connection string of a storage started elsewhere>"]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure.Data.Tables;
using KamFlows.DevStorage;
using KamFlows.Infrastructure.Intake.Events;

var options = Args.Parse(args);
var root = RepositoryRoot.Find();
var hostDll = options.Get("host", Path.Combine(root, "src", "KamFlows.Host", "bin", "Release", "net10.0", "KamFlows.Host.dll"));
if (!File.Exists(hostDll))
{
    Console.Error.WriteLine($"Build the host first: dotnet build -c Release src/KamFlows.Host  (missing {hostDll})");
    return 2;
}

var connections = options.GetInt("connections", 64);
var seconds = options.GetInt("seconds", 20);
var warmup = options.GetInt("warmup", 5);
var batch = options.GetInt("batch", 1);
var accounts = options.GetInt("accounts", 1000);
var processing = options.Get("processing", "off") == "on";
var azuriteData = options.Get("azurite", "memory") == "disk" ? Path.Combine(Path.GetTempPath(), "kamflows-bench-" + Guid.NewGuid().ToString("N")) : null;

// --storage uses an Azurite (or account) started elsewhere, e.g. one run under a profiler.
var external = options.Get("storage", "");
await using var azurite = external.Length > 0 ? null : await EmbeddedAzurite.StartAsync(azuriteData);
var connectionString = azurite?.ConnectionString ?? external;
var port = BenchHost.FreePort();
var hub = "bench" + Guid.NewGuid().ToString("N")[..10];
var start = BenchHost.StartInfo(hostDll, port, connectionString, hub);
start.Environment["KamFlows__Intake__ProcessInBackground"] = processing ? "true" : "false";
if (options.Get("window", "") is { Length: > 0 } window)
{
    start.Environment["KamFlows__Intake__CommitWindow"] = window;
}

using var host = Process.Start(start)!;
host.OutputDataReceived += (_, _) => { };
host.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("host: " + e.Data); } };
host.BeginOutputReadLine();
host.BeginErrorReadLine();
try
{
    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
    using var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    await BenchHost.WaitForHostAsync(http, host);

    var key = StandardWebhookVerifier.KeyOf(BenchHost.Secret);
    var sequence = 0L;

    // Bodies and signatures are made before the clock starts, so the generator's own CPU does not compete with the host.
    var prepared = Enumerable.Range(1, options.GetInt("prepare", 150_000)).Select(n => Prepare(n)).ToArray();
    HttpRequestMessage NextRequest()
    {
        var n = Interlocked.Increment(ref sequence);
        var (body, msg, ts, signature) = n <= prepared.Length ? prepared[n - 1] : Prepare(n);
        return BenchHost.WebhookRequest(body, batch != 1, msg, ts, signature);
    }

    (byte[] Body, string Msg, string Ts, string Signature) Prepare(long n)
    {
        var now = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, batch).Select(i =>
        {
            var id = $"bench-{n}-{i}";
            var account = "ACC-" + ((n * 7919 + i) % accounts).ToString(CultureInfo.InvariantCulture);
            return $$"""{"specversion":"1.0","id":"{{id}}","source":"/bench","type":"kam.proposal.sent","time":"{{now:yyyy-MM-dd'T'HH:mm:ss'Z'}}","data":{"proposal_id":"P-{{n}}-{{i}}","account_id":"{{account}}","total":{"amount":120000,"currency":"EUR"},"valid_until":"2099-12-31","addressed_roles":["finance","executive"]} }""";
        }).ToList();
        var body = Encoding.UTF8.GetBytes(batch == 1 ? events[0] : "[" + string.Join(",", events) + "]");
        var ts = now.ToUnixTimeSeconds();
        var msg = "msg_" + n.ToString(CultureInfo.InvariantCulture);
        return (body, msg, ts.ToString(CultureInfo.InvariantCulture), StandardWebhookVerifier.Sign(key, msg, ts, body));
    }

    var measuring = false;
    var stop = false;
    var latencies = new List<double>[connections];
    var acceptedEvents = new long[connections];
    var totalAccepted = new long[connections];
    var failures = new long[connections];
    var workers = Enumerable.Range(0, connections).Select(w => Task.Run(async () =>
    {
        latencies[w] = new List<double>(100_000);
        while (!Volatile.Read(ref stop))
        {
            using var request = NextRequest();
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.SendAsync(request);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    totalAccepted[w] += batch;
                    if (Volatile.Read(ref measuring))
                    {
                        acceptedEvents[w] += batch;
                        latencies[w].Add(elapsed);
                    }
                }
                else
                {
                    failures[w]++;
                    Console.Error.WriteLine($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (HttpRequestException ex)
            {
                failures[w]++;
                Console.Error.WriteLine(ex.Message);
            }
        }
    })).ToArray();

    await Task.Delay(TimeSpan.FromSeconds(warmup));
    var azuriteProcess = azurite is null ? null : FindAzurite();
    var self = Process.GetCurrentProcess();
    var cpuBefore = host.TotalProcessorTime;
    var azuriteCpuBefore = azuriteProcess?.TotalProcessorTime ?? TimeSpan.Zero;
    var selfCpuBefore = self.TotalProcessorTime;
    var requestsBefore = await StorageRequestsAsync(http);
    var clock = Stopwatch.StartNew();
    Volatile.Write(ref measuring, true);
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    Volatile.Write(ref measuring, false);
    var measured = clock.Elapsed.TotalSeconds;
    var requestsDuring = await StorageRequestsAsync(http) - requestsBefore;
    host.Refresh();
    azuriteProcess?.Refresh();
    self.Refresh();
    var hostCpu = (host.TotalProcessorTime - cpuBefore).TotalSeconds / measured;
    var azuriteCpu = azuriteProcess is null ? double.NaN : (azuriteProcess.TotalProcessorTime - azuriteCpuBefore).TotalSeconds / measured;
    var selfCpu = (self.TotalProcessorTime - selfCpuBefore).TotalSeconds / measured;
    Volatile.Write(ref stop, true);
    await Task.WhenAll(workers);

    var all = latencies.SelectMany(l => l).Order().ToArray();
    double P(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)Math.Ceiling(q * all.Length) - 1)];
    var accepted = acceptedEvents.Sum();
    var everAccepted = totalAccepted.Sum();
    var stored = await CountStoredAsync(connectionString, hub);
    Console.WriteLine($"connections={connections} batch={batch} accounts={accounts} processing={(processing ? "on" : "off")} azurite={(azuriteData is null ? "in-memory" : "disk")} measured={measured:F1}s");
    Console.WriteLine($"accepted events/s={accepted / measured:F0} requests/s={all.Length / measured:F0} p50={P(0.50):F1}ms p95={P(0.95):F1}ms p99={P(0.99):F1}ms max={all.LastOrDefault():F1}ms failures={failures.Sum()}");
    var perEvent = accepted == 0 ? double.NaN : 1000.0 * measured / accepted;
    Console.WriteLine($"CPU cores used: host={hostCpu:F2} azurite={azuriteCpu:F2} load generator={selfCpu:F2}; CPU ms per accepted event: host={hostCpu * perEvent:F3} azurite={azuriteCpu * perEvent:F3} generator={selfCpu * perEvent:F3}");
    // Every request the host's storage clients sent while measuring (the idle task hub's ~1.5/s included), per event accepted meanwhile.
    Console.WriteLine($"storage requests per accepted event={(accepted == 0 ? double.NaN : (double)requestsDuring / accepted):F3} ({requestsDuring} requests)");
    Console.WriteLine($"machine load average (1 min) at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    Console.WriteLine($"accepted (whole run incl. warm-up)={everAccepted} stored={stored} {(stored == everAccepted ? "EQUAL" : "MISMATCH")}");
    return stored == everAccepted && failures.Sum() == 0 ? 0 : 1;
}
finally
{
    if (!host.HasExited)
    {
        host.Kill(entireProcessTree: true);
        await host.WaitForExitAsync();
    }

    if (azuriteData is not null)
    {
        try { Directory.Delete(azuriteData, recursive: true); } catch (IOException) { }
    }
}

// The Azurite this program started: the node process whose environment names this process as its parent.
static Process? FindAzurite()
{
    var marker = "KAMFLOWS_PARENT_PID=" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    foreach (var candidate in Process.GetProcessesByName("node"))
    {
        try
        {
            if (File.ReadAllText($"/proc/{candidate.Id}/environ").Split('\0').Contains(marker))
            {
                return candidate;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    return null;
}

static async Task<long> StorageRequestsAsync(HttpClient http)
{
    return (await BenchHost.HealthAsync(http)).GetProperty("storageRequests").GetInt64();
}

static async Task<long> CountStoredAsync(string connectionString, string hub)
{
    var table = new TableClient(connectionString, hub + "Intake");
    long n = 0;
    await foreach (var _ in table.QueryAsync<TableEntity>(filter: "RowKey ge 'e|' and RowKey lt 'e}'", select: ["PartitionKey"]))
    {
        n++;
    }

    return n;
}

