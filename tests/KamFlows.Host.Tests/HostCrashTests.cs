// The promise of a webhook's 202 ("stored durably before the answer") on the default a new user runs first: the real
// host executable with its embedded, disk-backed Azurite, SIGKILLed in the middle of a burst of signed events, three
// times over the same data folder. After each restart every event is sent again: one answered 202 before the kill
// must now be a duplicate; at the end every event is on its account's timeline once and reached its workflow.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using KamFlows.Testing;

namespace KamFlows.Host.Tests;

public sealed class HostCrashTests(ITestOutputHelper output)
{
    private const int Senders = 8;
    private const int AccountsPerSender = 4;

    /// <summary>Accepted events in a cycle at which the host is killed (the senders are all still sending).</summary>
    private static readonly int[] KillAtAccepted = [150, 250, 200];

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private int _sequence;

    [Fact]
    public async Task HostKilledMidBurst_ThreeTimes_EveryAcceptedEventIsKeptAppliedAndDelivered()
    {
        var root = Path.Combine(Path.GetTempPath(), "kamflows-crash-" + Guid.NewGuid().ToString("N")[..10]);
        var azuriteFolder = Path.Combine(root, "azurite");
        var settings = new Dictionary<string, string>
        {
            ["KamFlows:Storage:AzuriteDataFolder"] = azuriteFolder,
            ["KamFlows:Webhooks:Secrets:events"] = KamFlowsTestHost.EventsSecret,
            ["KamFlows:Api:Keys:0"] = KamFlowsTestHost.ApiKey,
            ["KamFlows:Email:LocalSinkFolder"] = Path.Combine(root, "outbox"),
            ["KamFlows:Intake:RetryDelay"] = "00:00:00.500",
            ["KamFlows:Intake:SweepInterval"] = "00:00:05",
            ["KamFlows:TaskHub:MaxQueuePollingInterval"] = "00:00:01",
            // One execution per instance for the whole test, so its history shows every delivery.
            ["KamFlows:Workflows:Timing:ContinueAsNewAfterEvents"] = "100000",
            ["KamFlows:Workflows:AccountCare:QuarterlyReviews"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };

        HostProcess? host = null;
        var passed = false;
        var azurites = new List<Process>(); // Every Azurite the hosts started, to prove each one ends.
        var lost = new List<string>();
        var saves = new List<Task<TimeSpan>>(); // Per kill: how long the killed host's Azurite took to save and exit.
        try
        {
            var all = new List<SentEvent>();
            IReadOnlyList<SentEvent> previous = [];
            for (var start = 1; start <= KillAtAccepted.Length + 1; start++)
            {
                host = await HostProcess.StartAsync(settings, StartTimeout);
                var azurite = Assert.Single(HostProcess.AzuritesOn(azuriteFolder)); // The previous one had saved and exited.
                azurites.Add(azurite);
                using var client = Client(host);
                if (previous.Count > 0)
                {
                    var again = await SendAgainAsync(client, previous);
                    lost.AddRange(again.Lost);
                    output.WriteLine($"after kill {start - 1}: of {previous.Count} events sent, {previous.Count(e => e.AcceptedBeforeKill)} were answered 202 before the kill; " +
                        $"sent again: {again.Duplicates} duplicates ({again.KeptAccepted} answered 202 before, {again.Duplicates - again.KeptAccepted} stored but unanswered), " +
                        $"{again.Accepted} accepted as new ({again.Lost.Count} of them LOST: answered 202 before the kill, {again.Accepted - again.Lost.Count} never answered)");
                }

                if (start > KillAtAccepted.Length)
                {
                    break;
                }

                var burst = await BurstThenKillAsync(client, host, start, KillAtAccepted[start - 1], azurite, saves);
                output.WriteLine($"kill {start}: SIGKILL after {burst.Count(e => e.AcceptedBeforeKill)} events answered 202 of {burst.Count} sent by {Senders} senders");
                previous = burst;
                all.AddRange(burst);
            }

            var saveTimes = await Task.WhenAll(saves).WaitAsync(TimeSpan.FromMinutes(2));
            output.WriteLine("after each kill, the killed host's Azurite saved and exited within: " + string.Join(", ", saveTimes.Select(t => $"{t.TotalSeconds:F1} s")));
            Assert.True(lost.Count == 0, $"{lost.Count} events answered 202 before a kill were lost: {string.Join(", ", lost.Take(20))}");
            using (var client = Client(host!))
            {
                await AssertAppliedAndDeliveredAsync(client, host!, all);
            }

            passed = true;
        }
        finally
        {
            host?.Kill();
            Remember(azurites, HostProcess.AzuritesOn(azuriteFolder));
            var leftOver = await EndAllAsync(azurites);
            host?.Dispose();
            TryDelete(root);
            output.WriteLine($"Azurite processes started: {azurites.Count}; still running a minute after their host was killed: {leftOver.Count}");
            Assert.True(!passed || leftOver.Count == 0, $"Azurite processes still running a minute after their host was killed (then killed): {string.Join(", ", leftOver)}");
        }
    }

    private static HttpClient Client(HostProcess host)
    {
        var client = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-Api-Key", KamFlowsTestHost.ApiKey);
        return client;
    }

    /// <summary>Senders post events until <paramref name="killAt"/> were answered 202, then the host is SIGKILLed under them.</summary>
    private async Task<List<SentEvent>> BurstThenKillAsync(HttpClient client, HostProcess host, int cycle, int killAt, Process azurite, List<Task<TimeSpan>> saves)
    {
        var sent = new ConcurrentQueue<SentEvent>();
        var unexpected = new ConcurrentQueue<string>();
        var accepted = 0;
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var senders = Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
        {
            for (var n = 0; ; n++)
            {
                var e = NextEvent(cycle, sender, n);
                sent.Enqueue(e);
                try
                {
                    using var response = await client.SendAsync(KamFlowsTestHost.SignedEvents(e.Json));
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        e.AcceptedBeforeKill = true;
                        if (Interlocked.Increment(ref accepted) == killAt)
                        {
                            reached.TrySetResult();
                        }
                    }
                    else if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                    {
                        unexpected.Enqueue($"{e.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        reached.TrySetResult();
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    return; // The host is gone.
                }
                catch (TaskCanceledException)
                {
                    return;
                }
            }
        })).ToList();
        _ = Task.WhenAll(senders).ContinueWith(_ => reached.TrySetResult(), TaskScheduler.Default); // All stopped early: fail below, not after 5 minutes.

        await reached.Task.WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(Volatile.Read(ref accepted) >= killAt || !unexpected.IsEmpty, $"The senders stopped after {accepted} accepted events, before the kill:\n{host.Output}");
        host.Kill();
        saves.Add(ExitedAfterAsync(azurite, Stopwatch.StartNew()));
        await Task.WhenAll(senders).WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(unexpected.IsEmpty, "Unexpected answers during the burst: " + string.Join("; ", unexpected.Take(5)));
        return [.. sent];
    }

    private sealed record Resent(int Duplicates, int KeptAccepted, int Accepted, List<string> Lost);

    /// <summary>Sends every event again from as many senders; classifies the answers against what was answered before the kill.</summary>
    private static async Task<Resent> SendAgainAsync(HttpClient client, IReadOnlyList<SentEvent> events)
    {
        int duplicates = 0, kept = 0, accepted = 0, next = -1;
        var lost = new ConcurrentBag<string>();
        var unexpected = new ConcurrentQueue<string>();
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < events.Count; i = Interlocked.Increment(ref next))
            {
                var e = events[i];
                var response = await client.SendAsync(KamFlowsTestHost.SignedEvents(e.Json));
                for (var attempt = 1; attempt < 100 && response.StatusCode == HttpStatusCode.ServiceUnavailable; attempt++)
                {
                    response.Dispose(); // Storage busy: send again, as a producer would.
                    response = await client.SendAsync(KamFlowsTestHost.SignedEvents(e.Json));
                }

                using (response)
                {
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == HttpStatusCode.OK && JsonDocument.Parse(body).RootElement.TryGetProperty("duplicate", out var d) && d.GetBoolean())
                    {
                        Interlocked.Increment(ref duplicates);
                        if (e.AcceptedBeforeKill)
                        {
                            Interlocked.Increment(ref kept);
                        }
                    }
                    else if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        Interlocked.Increment(ref accepted);
                        if (e.AcceptedBeforeKill)
                        {
                            lost.Add(e.Id);
                        }
                    }
                    else
                    {
                        unexpected.Enqueue($"{e.Id}: {(int)response.StatusCode} {body}");
                    }
                }
            }
        })));

        Assert.True(unexpected.IsEmpty, "Unexpected answers when sending again: " + string.Join("; ", unexpected.Take(5)));
        return new Resent(duplicates, kept, accepted, [.. lost]);
    }

    /// <summary>
    /// Waits until every event is on its account's timeline and in its account workflow's history, then checks: one
    /// timeline entry per event, every event delivered; repeated deliveries (at least once by contract, ignored by the
    /// workflow's memory of event ids) are counted and printed.
    /// </summary>
    private async Task AssertAppliedAndDeliveredAsync(HttpClient client, HostProcess host, List<SentEvent> all)
    {
        var byAccount = all.GroupBy(e => e.AccountId).ToDictionary(g => g.Key, g => g.Select(e => e.Id).ToHashSet(StringComparer.Ordinal));
        var timelines = new Dictionary<string, Dictionary<string, int>>();
        var deliveries = new Dictionary<string, Dictionary<string, int>>();
        var pending = new HashSet<string>(byAccount.Keys);
        var clock = Stopwatch.StartNew();
        async Task<bool> AllThere()
        {
            foreach (var account in pending.ToList())
            {
                timelines[account] = await TimelineAsync(client, account);
                deliveries[account] = await DeliveriesAsync(client, "account:" + account);
                if (byAccount[account].All(id => timelines[account].ContainsKey(id) && deliveries[account].ContainsKey(id)))
                {
                    pending.Remove(account);
                }
            }

            return pending.Count == 0;
        }

        try
        {
            await Eventually.WaitUntilAsync(AllThere, TimeSpan.FromMinutes(10), "every event applied to its account and delivered to account:{id}");
        }
        catch (TimeoutException ex)
        {
            var missing = all.Where(e => pending.Contains(e.AccountId)
                && !(timelines[e.AccountId].ContainsKey(e.Id) && deliveries[e.AccountId].ContainsKey(e.Id))).ToList();
            throw new TimeoutException($"{missing.Count} events not applied or delivered after {clock.Elapsed.TotalSeconds:F0} s:\n"
                + await DiagnoseAsync(client, host, missing.Take(15), timelines, deliveries), ex);
        }

        var timelineCounts = all.Select(e => timelines[e.AccountId][e.Id]).ToList();
        var deliveryCounts = all.Select(e => deliveries[e.AccountId][e.Id]).ToList();
        output.WriteLine($"{all.Count} events ({all.Count(e => e.AcceptedBeforeKill)} answered 202 before a kill) processed {clock.Elapsed.TotalSeconds:F0} s after the last restart's re-send: " +
            $"timeline entries once {timelineCounts.Count(c => c == 1)}, more than once {timelineCounts.Count(c => c > 1)}; " +
            $"delivered to the workflow once {deliveryCounts.Count(c => c == 1)}, again after a kill {deliveryCounts.Count(c => c > 1)} (ignored by the workflow as seen)");
        Assert.All(timelineCounts, c => Assert.Equal(1, c));
        // A repeated delivery is ignored by the workflow as long as it remembers the id (its last 500: WorkflowState.MaxRecentEventIds).
        Assert.All(deliveries.Values, d => Assert.True(d.Count < 500, $"{d.Count} events on one instance: repeats may be older than its memory of ids"));
        foreach (var account in byAccount.Keys)
        {
            using var response = await client.GetAsync($"/api/accounts/{account}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>For a failure message: where each missing event stands (timeline, deliveries, its intake row, its instance) and the host's warnings.</summary>
    private static async Task<string> DiagnoseAsync(HttpClient client, HostProcess host, IEnumerable<SentEvent> missing,
        Dictionary<string, Dictionary<string, int>> timelines, Dictionary<string, Dictionary<string, int>> deliveries)
    {
        var report = new System.Text.StringBuilder();
        using var health = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/api/health"));
        var port = System.Text.RegularExpressions.Regex.Match(health.RootElement.GetProperty("storage").GetString() ?? string.Empty, @"127\.0\.0\.1:(\d+)").Groups[1].Value;
        var intake = new Azure.Data.Tables.TableClient(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={KamFlows.DevStorage.EmbeddedAzurite.DevelopmentAccountKey};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;",
            health.RootElement.GetProperty("taskHub").GetString() + "Intake");
        foreach (var e in missing)
        {
            var shard = KamFlows.Infrastructure.Intake.IntakeShards.PartitionKey(KamFlows.Infrastructure.Intake.IntakeShards.For(e.AccountId));
            var row = await intake.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(shard, "e|" + e.Id);
            var fields = row.HasValue ? string.Join(", ", row.Value!.Where(kv => !kv.Key.StartsWith("Json", StringComparison.Ordinal) && kv.Key != "odata.etag").Select(kv => $"{kv.Key}={kv.Value}")) : "no intake row";
            using var instance = await client.GetAsync("/api/instances/" + Uri.EscapeDataString("account:" + e.AccountId));
            var status = instance.IsSuccessStatusCode
                ? System.Text.Json.JsonDocument.Parse(await instance.Content.ReadAsStringAsync()).RootElement.GetProperty("instance") is var i ? $"{i.GetProperty("status").GetString()} {i.GetProperty("customStatus").GetString()}" : null
                : ((int)instance.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            report.AppendLine($"  {e.Id} ({e.AccountId}, 202 before a kill: {e.AcceptedBeforeKill}): timeline {timelines[e.AccountId].GetValueOrDefault(e.Id)}, " +
                $"deliveries {deliveries[e.AccountId].GetValueOrDefault(e.Id)}, instance {status}; intake: {fields}");
        }

        var lines = host.Output.Split('\n');
        var warnings = Enumerable.Range(0, lines.Length).Where(i => lines[i].StartsWith("warn:", StringComparison.Ordinal) || lines[i].StartsWith("fail:", StringComparison.Ordinal) || lines[i].StartsWith("crit:", StringComparison.Ordinal)).ToList();
        report.AppendLine($"host warnings and errors ({warnings.Count}), the last 20 with the line after each:");
        foreach (var i in warnings.TakeLast(20))
        {
            report.AppendLine("  " + lines[i].Trim() + " " + (i + 1 < lines.Length ? lines[i + 1].Trim() : string.Empty));
        }

        return report.ToString();
    }

    private static async Task<Dictionary<string, int>> TimelineAsync(HttpClient client, string account)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        using var response = await client.GetAsync($"/api/accounts/{account}/timeline?limit=5000");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return counts;
        }

        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        foreach (var entry in doc.RootElement.EnumerateArray())
        {
            var id = entry.GetProperty("referenceId").GetString()!;
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        return counts;
    }

    /// <summary>How often each event id reached the instance: in its start input or raised as kam.event (its history).</summary>
    private static async Task<Dictionary<string, int>> DeliveriesAsync(HttpClient client, string instanceId)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        using var response = await client.GetAsync("/api/instances/" + Uri.EscapeDataString(instanceId));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return counts;
        }

        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        void Count(string? canonicalJson)
        {
            if (canonicalJson is not null)
            {
                using var e = JsonDocument.Parse(canonicalJson);
                var id = e.RootElement.GetProperty("id").GetString()!;
                counts[id] = counts.GetValueOrDefault(id) + 1;
            }
        }

        foreach (var h in doc.RootElement.GetProperty("history").EnumerateArray())
        {
            var kind = h.GetProperty("kind").GetString();
            var payload = h.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            if (payload is null)
            {
                continue;
            }

            if (kind == "ExecutionStarted")
            {
                using var input = JsonDocument.Parse(payload);
                var state = input.RootElement.EnumerateObject().FirstOrDefault(m => m.NameEquals("State") || m.NameEquals("state"));
                Assert.True(state.Value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null,
                    $"{instanceId} continued as new: its history no longer shows every delivery");
                foreach (var events in input.RootElement.EnumerateObject().Where(m => m.NameEquals("Events") || m.NameEquals("events")))
                {
                    foreach (var json in events.Value.EnumerateArray())
                    {
                        Count(json.GetString());
                    }
                }
            }
            else if (kind == "EventRaised" && h.GetProperty("name").GetString() == "kam.event")
            {
                using var raised = JsonDocument.Parse(payload);
                if (raised.RootElement.ValueKind == JsonValueKind.Array) // Several events of one batch in one message, in order.
                {
                    foreach (var json in raised.RootElement.EnumerateArray())
                    {
                        Count(json.ValueKind == JsonValueKind.String ? json.GetString() : json.GetRawText());
                    }
                }
                else
                {
                    Count(raised.RootElement.ValueKind == JsonValueKind.String ? raised.RootElement.GetString() : raised.RootElement.GetRawText());
                }
            }
        }

        return counts;
    }

    /// <summary>The next event of a sender: first an upsert of each of its accounts, then revenue reports, each for a day of its own.</summary>
    private SentEvent NextEvent(int cycle, int sender, int n)
    {
        var seq = Interlocked.Increment(ref _sequence);
        var account = $"CRASH-{sender}-{n % AccountsPerSender}";
        var id = $"crash-{cycle}-{sender}-{n}";
        var time = T0.AddSeconds(seq);
        var json = cycle == 1 && n < AccountsPerSender
            ? TestEvents.Account(id, account, time, "Crash account " + account)
            : TestEvents.Revenue(id, account, time, new DateOnly(2001, 1, 1).AddDays(seq), new DateOnly(2001, 1, 1).AddDays(seq), 1000m + seq);
        return new SentEvent(id, account, json);
    }

    private static async Task<TimeSpan> ExitedAfterAsync(Process process, Stopwatch sinceKill)
    {
        await process.WaitForExitAsync();
        return sinceKill.Elapsed;
    }

    private static void Remember(List<Process> azurites, IReadOnlyList<Process> found)
    {
        foreach (var p in found)
        {
            if (azurites.Any(a => a.Id == p.Id))
            {
                p.Dispose();
            }
            else
            {
                azurites.Add(p);
            }
        }
    }

    /// <summary>Waits for every Azurite to end on its own (its host was killed: it saves, then exits); kills and names those that do not.</summary>
    private static async Task<List<int>> EndAllAsync(List<Process> azurites)
    {
        var leftOver = new List<int>();
        foreach (var azurite in azurites)
        {
            using (azurite)
            {
                try
                {
                    await azurite.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
                }
                catch (TimeoutException)
                {
                    leftOver.Add(azurite.Id);
                    try
                    {
                        azurite.Kill();
                    }
                    catch (InvalidOperationException)
                    {
                        // Ended just now.
                    }
                }
            }
        }

        return leftOver;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private sealed record SentEvent(string Id, string AccountId, string Json)
    {
        public bool AcceptedBeforeKill { get; set; }
    }
}
