// Console page times over a large portfolio: the real local host (HostComposition, the console, the task hub) against
// an in-memory Azurite, with N accounts (revenue, an opportunity, a proposal, a contact, planned actions each) applied
// through the account store as intake applies them, and M workflow instances in the task hub (running, waiting for an
// event). Each page is requested over loopback by a signed-in head, KAM or operator: 3 warm-ups, then R timed requests.
// Usage: dotnet run -c Release --project bench/KamFlows.Benchmarks.Console -- [--accounts 1000] [--instances 5000] [--requests 20]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using KamFlows.DevStorage;
using KamFlows.Domain.Events;
using KamFlows.Host;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Storage;
using KamFlows.Workflows;
using KamFlows.Workflows.Ports;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

var accounts = Arg("--accounts", 1000);
var instances = Arg("--instances", 5000);
var requests = Arg("--requests", 20);
const int Kams = 20;

await using var azurite = await EmbeddedAzurite.StartAsync();
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["KamFlows:Storage:ConnectionString"] = azurite.ConnectionString,
    ["KamFlows:Storage:TaskHub"] = "bench" + Guid.NewGuid().ToString("N")[..8],
    ["KamFlows:TaskHub:PartitionCount"] = "4",
    ["KamFlows:Email:LocalSinkFolder"] = Path.Combine(Path.GetTempPath(), "kamflows-console-bench"),
});
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()!;
// Every workflow name is a small orchestrator that waits for its event: the task hub holds M running instances.
builder.Services.AddKamFlowsHost(builder.Configuration, ResolvedStorage.FromOptions(storage), registry =>
{
    foreach (var name in new[] { WorkflowCatalog.ProposalFollowUp, WorkflowCatalog.TenderPreparation, WorkflowCatalog.SaleCycle, WorkflowCatalog.ReferenceLetter, WorkflowCatalog.AccountCare })
    {
        registry.AddOrchestrator(name, () => new Waiting());
    }
});
var app = builder.Build();
app.MapKamFlowsEndpoints();
await app.StartAsync();
var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

var seed = Stopwatch.StartNew();
var store = app.Services.GetRequiredService<AccountStore>();
var upcoming = app.Services.GetRequiredService<IUpcomingActions>();
var now = DateTimeOffset.UtcNow;
var today = DateOnly.FromDateTime(now.UtcDateTime);
var quarter = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1).AddMonths(-3);
await Parallel.ForEachAsync(Enumerable.Range(1, accounts), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
{
    var id = $"A-{i:D4}";
    var kam = $"kam{i % Kams:D2}@supplier.example";
    foreach (var json in AccountEvents(id, kam, i))
    {
        await store.ApplyAsync(CanonicalEventParser.ParseOrThrow(json), ct);
    }

    await upcoming.ReplacePlanAsync("proposal:P-" + id, id, kam,
    [
        new PlannedAction("ProposalCallToConfirmReceipt", now.AddDays(-(i % 5)), kam, $"Call {id} to confirm receipt"),
        new PlannedAction("ProposalExpiryReminder", now.AddDays(1 + (i % 6)), kam, $"Proposal of {id} expires soon"),
        new PlannedAction("SaleCycleNextStep", now.AddDays(2 + (i % 4)), kam, $"Next step with {id}"),
    ], ct);
});
Console.WriteLine($"Seeded {accounts} accounts in {seed.Elapsed.TotalSeconds:F0} s");

seed.Restart();
var client = app.Services.GetRequiredService<DurableTaskClient>();
string[] kinds = ["proposal", "tender", "opportunity", "delivery", "account"];
string[] names = [WorkflowCatalog.ProposalFollowUp, WorkflowCatalog.TenderPreparation, WorkflowCatalog.SaleCycle, WorkflowCatalog.ReferenceLetter, WorkflowCatalog.AccountCare];
await Parallel.ForEachAsync(Enumerable.Range(0, instances), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (n, ct) =>
{
    var account = $"A-{(n % accounts) + 1:D4}";
    var k = n / accounts % kinds.Length;
    var instanceId = kinds[k] == "account" ? "account:" + account : kinds[k] == "proposal" ? "proposal:P-" + account : $"{kinds[k]}:{kinds[k][0]}-{n}";
    await client.ScheduleNewOrchestrationInstanceAsync(names[k], input: n, new StartOrchestrationOptions(instanceId), ct);
});
await WaitAsync(async () =>
{
    var running = 0;
    await foreach (var _ in client.GetAllInstancesAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running], PageSize = 1000 }))
    {
        running++;
    }

    return running >= instances;
}, TimeSpan.FromMinutes(30));
Console.WriteLine($"Started {instances} instances (all running) in {seed.Elapsed.TotalSeconds:F0} s");

var pages = new (string Who, string Role, string Path)[]
{
    ("head@supplier.example", "head", "/console/portfolio"),
    ("head@supplier.example", "head", "/console/accounts"),
    ("head@supplier.example", "head", "/console/accounts/A-0001"),
    ("kam01@supplier.example", "kam", "/console/week"),
    ("operator@supplier.example", "operator", "/console/workflows"),
    ("operator@supplier.example", "operator", "/console/workflows?status=Running&workflow=ProposalFollowUp"),
    ("operator@supplier.example", "operator", "/console/workflows?account=A-0001"),
    ("operator@supplier.example", "operator", "/console/workflows/proposal:P-A-0001"),
    ("head@supplier.example", "head", "/console/email"),
};
var snapshots = app.Services.GetRequiredService<KamFlows.WebConsole.Data.PortfolioSnapshots>();
foreach (var cold in new[] { true, false })
{
Console.WriteLine($"Console pages, {accounts} accounts, {instances} instances, {requests} timed requests each (ms), portfolio snapshot {(cold ? "read for every request (cold)" : "reused (warm, within KamFlows:Console:PortfolioCacheSeconds)")}:");
Console.WriteLine($"{"page",-62} {"median",8} {"p95",8} {"max",8} {"KiB",6}");
foreach (var group in pages.GroupBy(p => p.Who))
{
    using var http = await SignInAsync(address, group.Key, group.First().Role);
    foreach (var (_, _, path) in group)
    {
        var times = new List<double>();
        var size = 0;
        for (var r = 0; r < requests + 3; r++)
        {
            if (cold)
            {
                snapshots.Invalidate();
            }

            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            watch.Stop();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {body[..Math.Min(400, body.Length)]}");
            }

            size = body.Length;
            if (r >= 3)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        Console.WriteLine($"{path,-62} {times[times.Count / 2],8:F0} {times[(int)Math.Ceiling(times.Count * 0.95) - 1],8:F0} {times[^1],8:F0} {size / 1024,6}");
    }
}
}

await app.StopAsync();
return 0;

static async Task<HttpClient> SignInAsync(Uri address, string email, string role)
{
    var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address };
    var page = await http.GetStringAsync("/console/signin");
    var token = Regex.Match(page, "name=\"__af\" value=\"([^\"]+)\"").Groups[1].Value;
    using var response = await http.PostAsync("/console/signin", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["__af"] = token, ["email"] = email, ["name"] = email, ["role"] = role, ["return"] = "/console",
    }));
    return response.StatusCode == HttpStatusCode.Redirect ? http : throw new InvalidOperationException($"Sign-in failed: {(int)response.StatusCode}");
}

static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
{
    var deadline = DateTime.UtcNow + timeout;
    while (!await condition())
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException("The instances did not all start in time.");
        }

        await Task.Delay(2000);
    }
}

IEnumerable<string> AccountEvents(string id, string kam, int i)
{
    string Envelope(string type, string data) =>
        $$"""{"specversion":"1.0","id":"{{type}}-{{id}}","source":"/bench","type":"{{type}}","time":"{{now.AddDays(-30).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}}","data":{{data}}}""";
    yield return Envelope("kam.account.upserted", $$"""
        {"account_id":"{{id}}","name":"Account {{id}}","currency":"EUR","groups":["expert"],"bonds":["personal"],
         "kam":{"email":"{{kam}}","name":"KAM {{kam}}","time_zone":"Europe/Helsinki","locale":"fi"},
         "head":{"email":"head@supplier.example","name":"Head","time_zone":"Europe/Helsinki","locale":"en"} }
        """);
    yield return Envelope("kam.revenue.reported", $$"""
        {"account_id":"{{id}}","period_start":"{{quarter:yyyy-MM-dd}}","period_end":"{{quarter.AddMonths(3).AddDays(-1):yyyy-MM-dd}}","revenue":{"amount":{{(1_000_000 / i) + 1000}},"currency":"EUR"} }
        """);
    yield return Envelope("kam.contact.upserted", $$"""
        {"contact_id":"C-{{id}}","account_id":"{{id}}","name":"Contact of {{id}}","role":"finance","influence":"high","attitude":"neutral","personal_data":{"birthday":"1975-04-12","hobbies":["sailing"]} }
        """);
    yield return Envelope("kam.opportunity.upserted", $$"""
        {"account_id":"{{id}}","opportunity_id":"O-{{id}}","name":"Deal {{id}}","stage":"evaluation_of_options","amount":{"amount":{{10_000 + i}},"currency":"EUR"} }
        """);
    yield return Envelope("kam.proposal.sent", $$"""
        {"proposal_id":"P-{{id}}","account_id":"{{id}}","total":{"amount":{{5_000 + i}},"currency":"EUR"},"valid_until":"{{today.AddDays(30):yyyy-MM-dd}}","addressed_roles":["finance"]}
        """);
}

int Arg(string name, int fallback) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;

internal sealed class Waiting : TaskOrchestrator<int, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, int input) =>
        await context.WaitForExternalEvent<string>(WorkflowCatalog.CanonicalEventName);
}
