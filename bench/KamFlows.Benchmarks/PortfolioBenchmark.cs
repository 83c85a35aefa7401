// Issue 4's benchmark: a portfolio of N key accounts, each with a tender, two proposals and an opportunity, simulated over
// M months of virtual time with the real workflows on DurableTask.Core's replay (the simulator's virtual task hub). Prints wall time, peak memory, notifications.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using KamFlows.Workflows.Simulation;

namespace KamFlows.Benchmarks;

public static class PortfolioBenchmark
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.FromHours(2));

    public static async Task<int> RunAsync(BenchArgs args)
    {
        Console.WriteLine($"KamFlows portfolio simulation benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        var build = Stopwatch.StartNew();
        var scenario = Scenario.Parse(ScenarioJson(args.Accounts), "portfolio");
        build.Stop();
        var until = Start.AddMonths(args.Months);
        Console.WriteLine($"{args.Accounts} accounts × (tender, 2 proposals, opportunity) = {scenario.Events.Count} events, simulated until {until:yyyy-MM-dd} (built in {build.ElapsedMilliseconds} ms)");

        GC.Collect();
        var sw = Stopwatch.StartNew();
        var result = await new ScenarioSimulator().RunAsync(scenario, until, lowMemory: true);
        sw.Stop();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine($"  wall time:            {sw.Elapsed.TotalSeconds:F1} s (target ≤ 30 s)");
        Console.WriteLine($"  peak working set:     {self.PeakWorkingSet64 / 1024.0 / 1024.0:F0} MB (target < 500 MB)");
        Console.WriteLine($"  workflow instances:   {result.Instances.Count}, episodes {result.Steps}, activities {result.ActivityExecutions}");
        Console.WriteLine($"  notifications:        {result.Notifications.Count} ({string.Join(", ", result.Notifications.GroupBy(n => n.Kind).OrderByDescending(g => g.Count()).Take(6).Select(g => $"{g.Key} {g.Count()}"))}, ...)");
        return 0;
    }

    /// <summary>Deterministic accounts spread over the year: different tender dates, proposal validity, deal stages.</summary>
    private static string ScenarioJson(int accounts)
    {
        var events = new JsonArray();
        for (var i = 0; i < accounts; i++)
        {
            var id = $"A{i:D4}";
            var t0 = Start.AddHours(i % 200);
            void Add(string suffix, string type, DateTimeOffset at, JsonObject data)
            {
                data["account_id"] = id;
                events.Add(new JsonObject
                {
                    ["specversion"] = "1.0", ["id"] = $"{id}-{suffix}", ["source"] = "/bench", ["type"] = type,
                    ["time"] = at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), ["data"] = data,
                });
            }

            static string D(DateTimeOffset d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            static JsonObject Eur(decimal amount) => new() { ["amount"] = amount, ["currency"] = "EUR" };
            Add("acc", "kam.account.upserted", t0, new JsonObject
            {
                ["name"] = $"Account {i}", ["currency"] = "EUR", ["bonds"] = new JsonArray("personal", "information_and_control"),
                ["kam"] = new JsonObject { ["email"] = $"kam{i % 50}@supplier.example", ["time_zone"] = "Europe/Helsinki", ["locale"] = (i % 4) switch { 0 => "fi", 1 => "en", 2 => "ru", _ => "bg" } },
                ["head"] = new JsonObject { ["email"] = "head@supplier.example", ["time_zone"] = "Europe/Helsinki", ["locale"] = "en" },
            });
            Add("tender", "kam.tender.announced", t0.AddHours(1), new JsonObject { ["tender_id"] = id + "-T", ["title"] = $"Tender {i}", ["tender_date"] = D(t0.AddDays(240 + (i % 90))) });
            Add("p1", "kam.proposal.sent", t0.AddDays(10 + (i % 30)), new JsonObject { ["proposal_id"] = id + "-P1", ["total"] = Eur(50_000 + i), ["valid_until"] = D(t0.AddDays(50 + (i % 30))) });
            Add("p2", "kam.proposal.sent", t0.AddDays(120 + (i % 40)), new JsonObject { ["proposal_id"] = id + "-P2", ["total"] = Eur(80_000 + i), ["valid_until"] = D(t0.AddDays(170 + (i % 40))) });
            Add("opp", "kam.opportunity.upserted", t0.AddHours(2), new JsonObject { ["opportunity_id"] = id + "-O", ["name"] = $"Deal {i}", ["stage"] = "needs_recognition", ["amount"] = Eur(250_000 + i) });
        }

        return new JsonObject { ["name"] = "portfolio", ["events"] = events }.ToJsonString();
    }
}
