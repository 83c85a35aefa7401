// A company connects its CRM and its history arrives at once: each sample scenario, moved into the past by whole weeks,
// posted to the real host (webhook, intake, the real workflows on the Azure Storage task hub in Azurite, the outbox)
// in one signed batch. The oracle is the simulator: what the same history sends when each event arrives at its own time.
// The account team works around the clock here, so whatever the workflows decide to send is queued at once, whatever
// the time of day the test runs. Before the catch-up window (commit a5a77ec's parent) this run queued 2 stale alerts for
// the proposal sample (call to confirm receipt, expired), 4 for the tender (two "date moved", the overdue report, the
// result follow-up) and 32 for the sale cycle (16 "deal stalled", 16 escalations to the head, for a deal the batch marks won).
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using KamFlows.DevStorage;
using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Notifications;
using KamFlows.Infrastructure.Notifications.Digests;
using KamFlows.Testing;
using KamFlows.Workflows;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Simulation;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Host.Tests;

public sealed class BackfillLiveTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> CaughtUpPhrase = new(StringComparer.Ordinal)
    {
        ["en"] = "While KamFlows caught up", ["fi"] = "Kun KamFlows kuroi", ["ru"] = "Пока KamFlows догонял", ["bg"] = "Докато KamFlows наваксваше",
    };

    public static TheoryData<string> Samples() => ["proposal-never-acknowledged", "tender-date-moves-twice", "sale-cycle-three-years"];

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Sample_PostedToTheLiveHostInOneGo_SendsNoStaleAlert_AndTheNextDigestSummarizesWhatWasMissed(string sample)
    {
        var outbox = Directory.CreateTempSubdirectory("kamflows-backfill-");
        await using var host = await KamFlowsTestHost.StartAsync(s =>
        {
            s["KamFlows:Workflows:Timing:CatchUpSettleSeconds"] = "5"; // Short hold: the whole batch is old, so nothing depends on it ending late.
            s["KamFlows:Email:LocalSinkFolder"] = outbox.FullName;
        }, recordWorkflows: false);
        try
        {
            var postedAt = DateTimeOffset.UtcNow;
            var history = SampleHistory.Load(Path.Combine(RepositoryRoot.Find(), "samples", sample + ".json"), postedAt, TimeSpan.FromDays(14), roundTheClock: true);
            var response = await host.PostEventsAsync(history.Batch, "application/cloudevents-batch+json");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await host.WaitForIntakeDrainedAsync();
            await WaitForWorkflowsToSettleAsync(host, history.Events);

            // Stale alerts: what the live host queued that the same history, on time, sends long before it arrived (or never).
            var sent = await OutboxAsync(host);
            var onTime = await new ScenarioSimulator().RunAsync(Scenario.Parse(history.ScenarioJson), postedAt.AddDays(60));
            var stale = StaleAlerts.Of(sent.Select(m => (m.Id, m.Kind)), onTime.Notifications.Select(n => (n.NotificationId, n.SendAt)), postedAt);
            output.WriteLine($"{sample}: shifted {history.ShiftDays} days; {sent.Count} notification(s) queued; {stale.Count} stale alert(s){(stale.Count > 0 ? ":\n  " + string.Join("\n  ", stale) : string.Empty)}");
            Assert.True(stale.Count == 0, $"{sample}: {stale.Count} stale alert(s):\n  " + string.Join("\n  ", stale));

            // The missed items are on the account's timeline and in the KAM's next agenda, once.
            var account = JsonNode.Parse(history.Events.First(e => e.Contains("\"kam.account.upserted\"", StringComparison.Ordinal)))!["data"]!;
            var (accountId, kamEmail, locale) = (account["account_id"]!.GetValue<string>(), account["kam"]!["email"]!.GetValue<string>(), account["kam"]!["locale"]!.GetValue<string>());
            var timeline = await host.Management.GetStringAsync($"/api/accounts/{accountId}/timeline?limit=1000");
            Assert.Contains("Not sent, past due while KamFlows caught up", timeline, StringComparison.Ordinal);

            var agenda = await RunAgendaAsync(host, kamEmail);
            output.WriteLine(agenda);
            Assert.Contains(CaughtUpPhrase[locale], agenda, StringComparison.Ordinal);
            Assert.Contains($"/api/accounts/{accountId}/timeline", agenda, StringComparison.Ordinal);
            var store = host.Services.GetRequiredService<MissedActionStore>();
            var recorded = await store.ForRecipientAsync(kamEmail, default);
            Assert.NotEmpty(recorded);
            Assert.All(recorded, r => Assert.StartsWith("digest:agenda|", r.ReportedIn, StringComparison.Ordinal)); // Reported, so the next digest will not repeat them.
        }
        finally
        {
            outbox.Delete(recursive: true);
        }
    }

    /// <summary>Every instance the batch reaches has taken all its events and has nothing due soon (the catch-up hold is over).</summary>
    private static async Task WaitForWorkflowsToSettleAsync(KamFlowsTestHost host, IReadOnlyList<string> events)
    {
        var routes = events.SelectMany(e => WorkflowRouting.Routes(CanonicalEventParser.ParseOrThrow(e))).ToList();
        var expected = routes.GroupBy(r => r.InstanceId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var onlyIfExists = routes.GroupBy(r => r.InstanceId, StringComparer.Ordinal).Where(g => g.All(r => r.OnlyIfExists)).Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal); // A meeting logged but never scheduled has no instance.
        string? waitingFor = null;
        try
        {
            await Eventually.WaitUntilAsync(async () =>
        {
            foreach (var (id, count) in expected)
            {
                var m = await host.Workflows.GetInstanceAsync(id, getInputsAndOutputs: true);
                if (m is null && onlyIfExists.Contains(id))
                {
                    continue;
                }

                Assert.False(m?.RuntimeStatus is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated, $"{id} is {m?.RuntimeStatus}: {m?.FailureDetails}");
                if (m is { RuntimeStatus: OrchestrationRuntimeStatus.Completed })
                {
                    continue;
                }

                var status = m?.SerializedCustomStatus is null ? null : m.ReadCustomStatusAs<WorkflowStatus>();
                if (status is null || status.Phase is "working" || status.EventsReceived < count
                    || (status.NextWakeAt is { } wake && wake < DateTimeOffset.UtcNow.AddSeconds(30)))
                {
                    waitingFor = $"{id}: {m?.SerializedCustomStatus}";
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromMinutes(4));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("The workflows did not settle; still waiting for " + waitingFor);
        }
    }

    private static async Task<List<(string Id, string Kind)>> OutboxAsync(KamFlowsTestHost host)
    {
        var items = new List<(string, string)>();
        string? continuation = null;
        do
        {
            var page = await host.Management.GetFromJsonAsync<JsonObject>("/api/outbox?pageSize=200" + (continuation is null ? string.Empty : "&continuation=" + Uri.EscapeDataString(continuation)));
            items.AddRange(page!["items"]!.AsArray().Select(i => (i!["id"]!.GetValue<string>(), i["kind"]!.GetValue<string>())));
            continuation = page["continuation"]?.GetValue<string>();
        }
        while (continuation is not null);
        return items;
    }

    /// <summary>Makes the KAM's agenda due now, runs the digest pass and returns the agenda's rendered text and HTML.</summary>
    private static async Task<string> RunAgendaAsync(KamFlowsTestHost host, string kamEmail)
    {
        var recipients = host.Services.GetRequiredService<RecipientDirectory>();
        await Eventually.WaitUntilAsync(async () => await recipients.GetAsync(kamEmail, default) is { } kam // Registered with the account; retried if the row changed meanwhile.
            && await recipients.TryReplaceAsync(kam, kam with { NextAgendaAt = DateTimeOffset.UtcNow.AddSeconds(-1) }, default) is not null);
        await host.Services.GetRequiredService<EmailDelivery>().RunOnceAsync(default);
        JsonObject? page = null;
        await Eventually.WaitUntilAsync(async () =>
            (page = await host.Management.GetFromJsonAsync<JsonObject>($"/api/outbox?kind=DailyAgenda&recipient={Uri.EscapeDataString(kamEmail)}"))!["items"]!.AsArray().Count > 0);
        var id = page!["items"]!.AsArray()[0]!["id"]!.GetValue<string>();
        var detail = await host.Management.GetFromJsonAsync<JsonObject>("/api/outbox/" + Uri.EscapeDataString(id));
        return detail!["rendered"]!["text"]!.GetValue<string>() + "\n" + detail["rendered"]!["html"]!.GetValue<string>();
    }
}
