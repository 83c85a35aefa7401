// End-to-end intake benchmark. Starts an in-memory Azurite and the real KamFlows host (the built KamFlows.Host.dll, its
// own process) with processing and the real workflows on; registers the accounts (a 24/7 calendar and a price floor, so
// a proposal sent under the floor is an alert to the KAM at once); then sends Standard Webhooks-signed CloudEvents.
//   --scenario e2e: --events N proposal events over --accounts accounts (3 proposals each: "sent", then meetings),
//     from --senders connections, --batch events per request. Reports accepted events/s, end-to-end events/s (applied
//     and delivered to the workflows), lag from 202 to delivery, the drain time after the senders stop, and when the
//     first notification of each proposal (the KAM's alert that it went out under the floor; before issue 14 it was the head's approval task) was queued in the outbox.
//   --scenario hot: one account receives --hot-events events (a contact sync: updates of its 50 contacts) as fast as
//     --senders connections send them while the other accounts receive --normal-rate contact updates/s; reports the
//     others' lag from 202 to delivery, the hot account's drain time and account write conflicts per event. Contact
//     updates go to the account's workflow only, which runs since the setup, so no delivery waits for an instance start.
// Delivery time = the intake's FinishedAt of the event (after it was applied and handed to its workflow instances).
// Usage: dotnet run -c Release --project bench/KamFlows.Benchmarks.EndToEnd -- --scenario e2e [--events 60000]
//        [--senders 16] [--batch 1] [--accounts 1000] [--host path/to/KamFlows.Host.dll] [--drain-minutes 30] [--notify-minutes 10]
//        --scenario hot [--hot-events 5000] [--normal-rate 20]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
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

var scenario = options.Get("scenario", "e2e");
var accounts = options.GetInt("accounts", 1000);
var senders = options.GetInt("senders", 16);
var batch = options.GetInt("batch", 1);
var drainTimeout = TimeSpan.FromMinutes(options.GetInt("drain-minutes", 30));
var notifyTimeout = TimeSpan.FromMinutes(options.GetInt("notify-minutes", 10));

await using var azurite = await EmbeddedAzurite.StartAsync(null);
var port = BenchHost.FreePort();
var hub = "e2e" + Guid.NewGuid().ToString("N")[..10];
var key = StandardWebhookVerifier.KeyOf(BenchHost.Secret);
var start = BenchHost.StartInfo(hostDll, port, azurite.ConnectionString, hub);
start.Environment["KamFlows__Email__LocalSinkFolder"] = Path.Combine(Path.GetTempPath(), hub + "-outbox");
using var host = Process.Start(start)!;
host.OutputDataReceived += (_, _) => { };
host.ErrorDataReceived += (_, e) => { if (e.Data is not null && !e.Data.Contains("warn", StringComparison.OrdinalIgnoreCase)) { Console.Error.WriteLine("host: " + e.Data); } };
host.BeginOutputReadLine();
host.BeginErrorReadLine();
var intakeTable = new TableClient(azurite.ConnectionString, hub + "Intake");
var accepted = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
try
{
    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = senders + 4, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
    using var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
    await BenchHost.WaitForHostAsync(http, host);
    var newHealth = (await HealthAsync(http)).TryGetProperty("intake", out _);
    Console.WriteLine($"scenario={scenario} accounts={accounts} senders={senders} batch={batch} host={hostDll} health-with-backlog={newHealth}");

    // Setup: every account registered and its account workflow running before the clock starts.
    var setup = Stopwatch.StartNew();
    await SendAllAsync(http, [.. Enumerable.Range(0, accounts).Select(a => Account(a))], 8, 50, null, CancellationToken.None);
    await WaitForDrainAsync(http, intakeTable, newHealth, drainTimeout);
    await WaitForInstancesAsync(azurite.ConnectionString, hub, accounts, TimeSpan.FromMinutes(15));
    Console.WriteLine($"setup: {accounts} accounts applied and their workflows running in {setup.Elapsed.TotalSeconds:F0} s");

    var health0 = await HealthAsync(http);
    var requests0 = health0.GetProperty("storageRequests").GetInt64();
    var conflicts0 = Conflicts(health0);
    var load0 = Load();
    if (scenario == "e2e")
    {
        var n = options.GetInt("events", 60_000);
        var stream = Enumerable.Range(0, n).Select(i => ProposalEvent(i % accounts, i / accounts, "e" + i.ToString(CultureInfo.InvariantCulture))).ToList();
        var sendClock = Stopwatch.StartNew();
        var sendStart = DateTimeOffset.UtcNow;
        await SendAllAsync(http, stream, senders, batch, accepted, CancellationToken.None);
        var sendEnd = DateTimeOffset.UtcNow;
        var sendSeconds = sendClock.Elapsed.TotalSeconds;
        Console.WriteLine($"accepted {accepted.Count} events in {sendSeconds:F1} s: {accepted.Count / sendSeconds:F0} accepted events/s");
        var drained = await WaitForDrainAsync(http, intakeTable, newHealth, drainTimeout);
        var health1 = await HealthAsync(http);
        var finished = await FinishedAsync(intakeTable);
        var lags = stream.Select(e => e.Id).Where(finished.ContainsKey).Select(id => (finished[id] - accepted[id]).TotalMilliseconds).Order().ToArray();
        Console.WriteLine($"drained {(drained is null ? "NOT within " + drainTimeout : $"{(drained.Value - sendEnd).TotalSeconds:F1} s after the senders stopped")}; " +
            $"end-to-end events/s={(drained is null ? double.NaN : n / (drained.Value - sendStart).TotalSeconds):F0}; processed={lags.Length}/{n}");
        Console.WriteLine($"lag 202 -> delivered: p50={P(lags, 0.5) / 1000:F1} s p99={P(lags, 0.99) / 1000:F1} s max={lags.LastOrDefault() / 1000:F1} s");
        PrintCosts(health1, requests0, conflicts0, n, load0);
        var proposals = stream.Where(e => e.SentProposal is not null).ToDictionary(e => "proposal:" + e.SentProposal, e => e.Id, StringComparer.Ordinal);
        await FirstNotificationsAsync(azurite.ConnectionString, hub, proposals, accepted, sendEnd, notifyTimeout);
    }
    else
    {
        var hotEvents = options.GetInt("hot-events", 5000);
        var normalRate = options.GetInt("normal-rate", 20);
        var hot = Enumerable.Range(0, hotEvents).Select(j => ContactEvent(0, j, "hot" + j.ToString(CultureInfo.InvariantCulture))).ToList();
        using var stopNormal = new CancellationTokenSource();
        var normalIds = new ConcurrentQueue<string>();
        var normal = Task.Run(async () =>
        {
            // The other accounts' ordinary traffic, paced, until the hot account has drained.
            var perAccount = new int[accounts];
            var tick = Stopwatch.StartNew();
            var sent = 0;
            var next = 1;
            while (!stopNormal.IsCancellationRequested)
            {
                var due = (int)(tick.Elapsed.TotalSeconds * normalRate);
                var posts = new List<Task>();
                for (; sent < due; sent++)
                {
                    var account = next;
                    next = next % (accounts - 1) + 1;
                    var e = ContactEvent(account, perAccount[account]++, "n" + sent.ToString(CultureInfo.InvariantCulture));
                    normalIds.Enqueue(e.Id);
                    posts.Add(PostAsync(http, [e], accepted));
                }

                await Task.WhenAll(posts);
                try
                {
                    await Task.Delay(50, stopNormal.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        var sendStart = DateTimeOffset.UtcNow;
        var sendClock = Stopwatch.StartNew();
        await SendAllAsync(http, hot, senders, batch, accepted, CancellationToken.None);
        var hotSent = DateTimeOffset.UtcNow;
        Console.WriteLine($"hot account: {hotEvents} events accepted in {sendClock.Elapsed.TotalSeconds:F1} s ({hotEvents / sendClock.Elapsed.TotalSeconds:F0}/s)");
        DateTimeOffset? hotDrained = null;
        var deadline = DateTimeOffset.UtcNow + drainTimeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var finishedNow = await FinishedAsync(intakeTable);
            if (hot.All(e => finishedNow.ContainsKey(e.Id)))
            {
                hotDrained = hot.Max(e => finishedNow[e.Id]);
                break;
            }

            await Task.Delay(2000);
        }

        await stopNormal.CancelAsync();
        await normal;
        await WaitForDrainAsync(http, intakeTable, newHealth, drainTimeout);
        var health1 = await HealthAsync(http);
        var finished = await FinishedAsync(intakeTable);
        var lags = normalIds.Where(finished.ContainsKey).Select(id => (finished[id] - accepted[id]).TotalMilliseconds).Order().ToArray();
        Console.WriteLine($"hot account drained {(hotDrained is null ? "NOT within " + drainTimeout : $"{(hotDrained.Value - hotSent).TotalSeconds:F1} s after its last 202 ({(hotDrained.Value - sendStart).TotalSeconds:F1} s after its first)")}");
        Console.WriteLine($"other accounts: {lags.Length} events at {normalRate}/s; lag 202 -> delivered p50={P(lags, 0.5) / 1000:F2} s p99={P(lags, 0.99) / 1000:F2} s max={lags.LastOrDefault() / 1000:F2} s");
        PrintCosts(health1, requests0, conflicts0, hotEvents + lags.Length, load0);
    }

    return 0;
}
finally
{
    if (!host.HasExited)
    {
        host.Kill(entireProcessTree: true);
        await host.WaitForExitAsync();
    }
}

// One event of account a: its first three are "proposal sent" (under the account's floor: a task for the head), then meetings about them.
BenchEvent ProposalEvent(int a, int j, string id)
{
    var account = AccountId(a);
    var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    var proposal = $"P-{a}-{j % 3}";
    if (j < 3)
    {
        return new BenchEvent(id, account, proposal, $$"""{"specversion":"1.0","id":"{{id}}","source":"/bench","type":"kam.proposal.sent","time":"{{now}}","data":{"proposal_id":"{{proposal}}","account_id":"{{account}}","total":{"amount":120000,"currency":"EUR"},"valid_until":"2099-12-31","addressed_roles":["finance"]} }""");
    }

    return new BenchEvent(id, account, null, $$"""{"specversion":"1.0","id":"{{id}}","source":"/bench","type":"kam.meeting.logged","time":"{{now}}","data":{"meeting_id":"M-{{id}}","account_id":"{{account}}","held_at":"{{now}}","proposal_id":"{{proposal}}"} }""");
}

// A CRM's contact update: to the account store, the timeline and the account's workflow.
BenchEvent ContactEvent(int a, int j, string id)
{
    var account = AccountId(a);
    var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    var contact = "C-" + (j % 50).ToString(CultureInfo.InvariantCulture);
    return new BenchEvent(id, account, null, $$"""{"specversion":"1.0","id":"{{id}}","source":"/bench","type":"kam.contact.upserted","time":"{{now}}","data":{"contact_id":"{{contact}}","account_id":"{{account}}","name":"Contact {{j}}","role":"finance","influence":"high","attitude":"supporter"} }""");
}

BenchEvent Account(int a)
{
    var account = AccountId(a);
    const string person = "\"time_zone\":\"Etc/UTC\",\"locale\":\"en\",\"calendar\":{\"working_days\":[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"],\"working_hours\":{\"opens\":\"00:00\",\"closes\":\"23:59\"}}";
    var time = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    var json = "{\"specversion\":\"1.0\",\"id\":\"acc-" + account + "\",\"source\":\"/bench\",\"type\":\"kam.account.upserted\",\"time\":\"" + time
        + "\",\"data\":{\"account_id\":\"" + account + "\",\"name\":\"Account " + a.ToString(CultureInfo.InvariantCulture) + "\",\"kam\":{\"email\":\"kam"
        + (a % 20).ToString(CultureInfo.InvariantCulture) + "@kamflows.example\"," + person + "},\"head\":{\"email\":\"head@kamflows.example\"," + person
        + "},\"currency\":\"EUR\",\"price_floor\":{\"amount\":200000,\"currency\":\"EUR\"}}}";
    return new BenchEvent("acc-" + account, account, null, json);
}

static string AccountId(int a) => "ACC-" + a.ToString(CultureInfo.InvariantCulture);

async Task SendAllAsync(HttpClient http, IReadOnlyList<BenchEvent> events, int connections, int perRequest, ConcurrentDictionary<string, DateTimeOffset>? times, CancellationToken ct)
{
    var requests = events.Chunk(perRequest).ToArray();
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < requests.Length)
        {
            await PostAsync(http, requests[i], times);
        }
    }, ct)));
}

async Task PostAsync(HttpClient http, IReadOnlyList<BenchEvent> events, ConcurrentDictionary<string, DateTimeOffset>? times)
{
    var body = Encoding.UTF8.GetBytes(events.Count == 1 ? events[0].Json : "[" + string.Join(",", events.Select(e => e.Json)) + "]");
    for (var attempt = 0; ; attempt++)
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var msg = "msg_" + Guid.NewGuid().ToString("N");
        using var request = BenchHost.WebhookRequest(body, events.Count != 1, msg, ts.ToString(CultureInfo.InvariantCulture), StandardWebhookVerifier.Sign(key, msg, ts, body));
        using var response = await http.SendAsync(request);
        var at = DateTimeOffset.UtcNow;
        if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
        {
            if (times is not null)
            {
                foreach (var e in events)
                {
                    times.TryAdd(e.Id, at);
                }
            }

            return;
        }

        Console.Error.WriteLine($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        if (attempt >= 5)
        {
            throw new InvalidOperationException("The host refused a request five times.");
        }
    }
}

static Task<JsonElement> HealthAsync(HttpClient http) => BenchHost.HealthAsync(http);

static long Conflicts(JsonElement health) =>
    health.TryGetProperty("intake", out var intake) && intake.TryGetProperty("accountWriteConflicts", out var c) ? c.GetInt64() : -1;

static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

void PrintCosts(JsonElement health, long requests0, long conflicts0, int events, string load0)
{
    var requests = health.GetProperty("storageRequests").GetInt64() - requests0;
    var conflicts = Conflicts(health);
    Console.WriteLine($"storage requests per event (everything the host sent, task hub included)={(double)requests / events:F1}; " +
        $"account write conflicts per event={(conflicts < 0 ? "not counted by this build" : ((double)(conflicts - conflicts0) / events).ToString("F3", CultureInfo.InvariantCulture))}; " +
        $"load average (1 min) before={load0} after={Load()}");
}

// Time when no accepted event is pending any more: /health's backlog on builds that have it, otherwise a count of the pending rows.
static async Task<DateTimeOffset?> WaitForDrainAsync(HttpClient http, TableClient intake, bool fromHealth, TimeSpan timeout)
{
    var deadline = DateTimeOffset.UtcNow + timeout;
    var lastPrint = DateTimeOffset.MinValue;
    while (DateTimeOffset.UtcNow < deadline)
    {
        int pending;
        if (fromHealth)
        {
            var backlog = (await HealthAsync(http)).GetProperty("intake");
            pending = backlog.GetProperty("pending").GetInt32();
            if (pending == 0 && backlog.GetProperty("observedAt").ValueKind != JsonValueKind.Null)
            {
                pending = await CountPendingAsync(intake); // Confirm from storage.
            }
        }
        else
        {
            pending = await CountPendingAsync(intake);
        }

        if (pending == 0)
        {
            return DateTimeOffset.UtcNow;
        }

        if (DateTimeOffset.UtcNow - lastPrint > TimeSpan.FromSeconds(30))
        {
            Console.WriteLine($"  {DateTimeOffset.UtcNow:HH:mm:ss} pending={pending}");
            lastPrint = DateTimeOffset.UtcNow;
        }

        await Task.Delay(fromHealth ? 500 : 3000);
    }

    return null;
}

static async Task<int> CountPendingAsync(TableClient intake)
{
    var n = 0;
    await foreach (var _ in intake.QueryAsync<TableEntity>(filter: "RowKey ge 'q|' and RowKey lt 'q}'", select: ["PartitionKey"]))
    {
        n++;
    }

    return n;
}

static async Task<Dictionary<string, DateTimeOffset>> FinishedAsync(TableClient intake)
{
    var finished = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
    await foreach (var row in intake.QueryAsync<TableEntity>(filter: "RowKey ge 'e|' and RowKey lt 'e}' and Status eq 'processed'", select: ["RowKey", "FinishedAt"]))
    {
        if (row.GetDateTimeOffset("FinishedAt") is { } at)
        {
            finished[row.RowKey[2..]] = at;
        }
    }

    return finished;
}

static async Task WaitForInstancesAsync(string connectionString, string hub, int count, TimeSpan timeout)
{
    var table = new TableClient(connectionString, hub + "Instances");
    var deadline = DateTimeOffset.UtcNow + timeout;
    while (DateTimeOffset.UtcNow < deadline)
    {
        var running = 0;
        try
        {
            await foreach (var _ in table.QueryAsync<TableEntity>(filter: "RuntimeStatus eq 'Running'", select: ["PartitionKey"]))
            {
                running++;
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
        }

        if (running >= count)
        {
            return;
        }

        await Task.Delay(2000);
    }

    Console.WriteLine($"warning: fewer than {count} workflow instances running after {timeout}");
}

// The first notification of every proposal (sent under the floor: the KAM's alert): when it was queued in the outbox, from the 202 of the proposal's "sent".
static async Task FirstNotificationsAsync(string connectionString, string hub, Dictionary<string, string> sentEventOf, ConcurrentDictionary<string, DateTimeOffset> accepted,
    DateTimeOffset sendEnd, TimeSpan timeout)
{
    var outbox = new TableClient(connectionString, hub + "Outbox");
    var deadline = DateTimeOffset.UtcNow + timeout;
    var created = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
    while (true)
    {
        created.Clear();
        await foreach (var row in outbox.QueryAsync<TableEntity>(filter: "PartitionKey ge 'msg|' and PartitionKey lt 'msg}' and Kind eq 'ProposalSentUnderFloor'",
            select: ["SourceKey", "CreatedAt"]))
        {
            if (row.GetString("SourceKey") is { } source && row.GetDateTimeOffset("CreatedAt") is { } at)
            {
                created[source] = at;
            }
        }

        if (created.Count >= sentEventOf.Count || DateTimeOffset.UtcNow > deadline)
        {
            break;
        }

        Console.WriteLine($"  {DateTimeOffset.UtcNow:HH:mm:ss} first notifications queued: {created.Count}/{sentEventOf.Count}");
        await Task.Delay(10_000);
    }

    var lags = created.Where(c => sentEventOf.ContainsKey(c.Key)).Select(c => (c.Value - accepted[sentEventOf[c.Key]]).TotalSeconds).Order().ToArray();
    var last = created.Count == 0 ? (DateTimeOffset?)null : created.Values.Max();
    Console.WriteLine($"first notification (the KAM's sent-under-the-floor alert) queued for {lags.Length}/{sentEventOf.Count} proposals; 202 -> queued p50={P(lags, 0.5):F1} s " +
        $"p99={P(lags, 0.99):F1} s; last one {(last is null ? "-" : $"{(last.Value - sendEnd).TotalSeconds:F0} s after the senders stopped")}");
}

static double P(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

internal sealed record BenchEvent(string Id, string Account, string? SentProposal, string Json);

