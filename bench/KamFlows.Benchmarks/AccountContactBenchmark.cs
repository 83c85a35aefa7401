// Issue 14's dormant key accounts: what keeping the last contact on the account row costs intake (table requests and wall
// time per event applied to the account store, in batches and one by one), and what the head's dormant list costs per
// weekly report (one query over the account rows). Runs against its own in-memory Azurite.
using System.Diagnostics;
using System.Globalization;
using KamFlows.DevStorage;
using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Notifications.Digests;
using KamFlows.Infrastructure.Storage;
using KamFlows.Infrastructure.Timeline;

namespace KamFlows.Benchmarks;

public static class AccountContactBenchmark
{
    private const int Heads = 10;
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.FromHours(2));

    public static async Task<int> RunAsync(BenchArgs args)
    {
        Console.WriteLine($"KamFlows account-contact benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load {Load()}");
        await using var azurite = await EmbeddedAzurite.StartAsync();
        var counter = new StorageRequestCounter();
        var clients = new StorageClients(new ResolvedStorage { TaskHub = "bench" + Guid.NewGuid().ToString("N")[..8], ConnectionString = azurite.ConnectionString, Description = "bench" }, counter);
        var store = new AccountStore(clients, new TimelineStore(clients));
        await store.EnsureCreatedAsync();
        var ids = Enumerable.Range(0, args.Accounts).Select(i => "A" + i.ToString("D5", CultureInfo.InvariantCulture)).ToList();

        // History: six events per account applied as one batch (intake's account batches).
        await MeasureAsync("history, 6-event batches", counter, ids.Count * 6, () => Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
            await store.ApplyManyAsync(id, History(id), ct)));

        // Live: three events per account, each its own batch (what a quiet account's events look like).
        await MeasureAsync("live, 1-event batches", counter, ids.Count * 3, () => Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
        {
            foreach (var e in Live(id))
            {
                await store.ApplyManyAsync(id, [e], ct);
            }
        }));

        await DormantListsAsync(store, counter, ids.Count);
        return 0;
    }

    private static async Task DormantListsAsync(AccountStore store, StorageRequestCounter counter, int accounts)
    {
        var dormant = new DormantKeyAccounts(new AccountReader(store), 60);
        var at = new DateTimeOffset(2026, 3, 30, 8, 0, 0, TimeSpan.FromHours(3));
        var before = counter.Table;
        var sw = Stopwatch.StartNew();
        var listed = 0;
        for (var h = 0; h < Heads; h++)
        {
            listed += (await dormant.ForHeadAsync(Head(h), at, default)).Count;
        }

        sw.Stop();
        Console.WriteLine($"  dormant lists, {Heads} heads × {accounts / Heads} key accounts: {sw.Elapsed.TotalMilliseconds / Heads:F0} ms and {(counter.Table - before) / (double)Heads:F1} table requests per head's report, {listed} accounts listed");
    }

    private static async Task MeasureAsync(string name, StorageRequestCounter counter, int events, Func<Task> run)
    {
        var before = counter.Table;
        var sw = Stopwatch.StartNew();
        await run();
        sw.Stop();
        Console.WriteLine($"  {name}: {events} events in {sw.Elapsed.TotalSeconds:F1} s = {events / sw.Elapsed.TotalSeconds:F0} events/s, {(counter.Table - before) / (double)events:F2} table requests per event");
    }

    private static string Head(int h) => $"head{h}@supplier.example";

    private static int _ids;

    private static CanonicalEvent E(string type, DateTimeOffset time, string data) => CanonicalEventParser.ParseOrThrow(
        $$"""{"specversion":"1.0","id":"b-{{Interlocked.Increment(ref _ids)}}","source":"/bench","type":"{{type}}","time":"{{time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}","data":{{data}}}""");

    private static List<CanonicalEvent> History(string id)
    {
        var head = Head(int.Parse(id[1..], CultureInfo.InvariantCulture) % Heads);
        return
        [
            E("kam.account.upserted", Start, $$"""{"account_id":"{{id}}","name":"Account {{id}}","currency":"EUR","kam":{"email":"kam@supplier.example","name":"Anna","time_zone":"Europe/Helsinki","locale":"fi"},"head":{"email":"{{head}}","time_zone":"Europe/Helsinki","locale":"en"} }"""),
            E("kam.opportunity.upserted", Start.AddHours(1), $$"""{"opportunity_id":"O-{{id}}","account_id":"{{id}}","name":"Deal","stage":"needs_recognition"}"""),
            E("kam.proposal.sent", Start.AddHours(2), $$"""{"proposal_id":"P-{{id}}","account_id":"{{id}}","total":{"amount":100000,"currency":"EUR"},"valid_until":"2026-03-31"}"""),
            E("kam.delivery.completed", Start.AddDays(3), $$"""{"delivery_id":"D-{{id}}","account_id":"{{id}}","on_time":true,"expectations_met":true}"""),
            E("kam.complaint.opened", Start.AddDays(4), $$"""{"complaint_id":"C-{{id}}","account_id":"{{id}}"}"""),
            E("kam.revenue.reported", Start.AddDays(5), $$"""{"account_id":"{{id}}","period_start":"2025-10-01","period_end":"2025-12-31","revenue":{"amount":250000,"currency":"EUR"} }"""),
        ];
    }

    private static List<CanonicalEvent> Live(string id)
    {
        // Every other account meets its client in March: the rest stay dormant since January.
        var met = int.Parse(id[1..], CultureInfo.InvariantCulture) % 2 == 0;
        return
        [
            E("kam.proposal.acknowledged", Start.AddDays(6), $$"""{"proposal_id":"P-{{id}}","account_id":"{{id}}"}"""),
            E("kam.contact.upserted", Start.AddDays(7), $$"""{"contact_id":"K-{{id}}","account_id":"{{id}}","name":"Liisa","role":"finance","influence":"high","attitude":"neutral"}"""),
            met
                ? E("kam.meeting.logged", new DateTimeOffset(2026, 3, 20, 12, 0, 0, TimeSpan.FromHours(2)), $$"""{"meeting_id":"M-{{id}}","account_id":"{{id}}","held_at":"2026-03-20T10:00:00+02:00"}""")
                : E("kam.opportunity.stage_changed", Start.AddDays(8), $$"""{"opportunity_id":"O-{{id}}","account_id":"{{id}}","stage":"evaluation_of_options","previous_stage":"needs_recognition"}"""),
        ];
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
