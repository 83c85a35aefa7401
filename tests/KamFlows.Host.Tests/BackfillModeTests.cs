using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using KamFlows.Infrastructure.Intake;
using KamFlows.Infrastructure.Notifications.Digests;
using KamFlows.Testing;
using KamFlows.Workflows.Common;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Host.Tests;

/// <summary><c>POST /api/webhooks/events?mode=backfill</c>: every event of the request is marked, and its workflows catch up instead of firing the past.</summary>
public sealed class BackfillModeTests
{
    [Fact]
    public async Task BackfillMode_MarksEveryEventOfTheRequest_TheWorkflowCatchesUp_AndTheMissedTaskIsOnTheTimeline()
    {
        await using var host = await KamFlowsTestHost.StartAsync(s => s["KamFlows:Workflows:Timing:CatchUpSettleSeconds"] = "3", recordWorkflows: false);
        var now = DateTimeOffset.UtcNow;
        var batch = TestEvents.Batch(TestEvents.Account("a", "ACME", now.AddDays(-40), "Acme Oy"), TestEvents.ProposalSent("p", "ACME", "P-1", now.AddDays(-30)));
        Assert.Equal(HttpStatusCode.Accepted, (await host.Http.SendAsync(Backfill(batch))).StatusCode);
        await host.WaitForIntakeDrainedAsync();

        var shard = IntakeShards.PartitionKey(IntakeShards.For("ACME"));
        foreach (var id in new[] { "e|a", "e|p" })
        {
            var row = (await host.Table("Intake").GetEntityAsync<TableEntity>(shard, id)).Value;
            Assert.Contains("\"kambackfill\":true", row.GetString("Json0"), StringComparison.Ordinal); // Kept with the event, so every workflow sees it.
        }

        var store = host.Services.GetRequiredService<MissedActionStore>();
        IReadOnlyList<MissedActionRow> missed = [];
        await Eventually.WaitUntilAsync(async () => (missed = await store.ForRecipientAsync("anna@kamflows.example", default)).Count > 0, TimeSpan.FromMinutes(2));
        Assert.Contains(missed, m => m.Id == "proposal:P-1|ProposalCallToConfirmReceipt|v1|call" && m.AccountName == "Acme Oy");
        var outbox = await host.Management.GetFromJsonAsync<JsonElement>("/api/outbox?kind=ProposalCallToConfirmReceipt");
        Assert.Equal(0, outbox.GetProperty("items").GetArrayLength());
        var timeline = await host.Management.GetStringAsync("/api/accounts/ACME/timeline");
        Assert.Contains("Not sent, past due while KamFlows caught up: Call Acme Oy to confirm receipt of proposal P-1 v1", timeline, StringComparison.Ordinal);
        Assert.Contains("\"origin\":\"Missed\"", timeline, StringComparison.Ordinal);
        Assert.Contains("\"origin\":\"Received\"", timeline, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?mode=replay")]
    [InlineData("?mode=backfill&mode=live")]
    public async Task BackfillMode_UnknownOrRepeatedMode_400NamingTheParameter_NothingWritten(string query)
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        var response = await host.Http.SendAsync(Backfill(TestEvents.Account("a", "ACME", DateTimeOffset.UtcNow, "Acme Oy"), query));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("mode", out _), problem.ToString());
        Assert.Equal(0, await host.CountStateRowsAsync());
    }

    [Fact]
    public void BackfillExtension_IsReadAsTrueOrTheStringTrue_Only()
    {
        static bool Marked(string value) => CatchUp.IsBackfill(Domain.Events.CanonicalEventParser.ParseOrThrow(
            "{\"kambackfill\":" + value + "," + TestEvents.Account("a", "ACME", DateTimeOffset.UtcNow, "Acme Oy")[1..]));
        Assert.True(Marked("true"));
        Assert.True(Marked("\"true\""));
        Assert.False(Marked("false"));
        Assert.False(Marked("1"));
    }

    private static HttpRequestMessage Backfill(string body, string query = "?mode=backfill")
    {
        var request = KamFlowsTestHost.SignedEvents(body, body.StartsWith('[') ? "application/cloudevents-batch+json" : "application/cloudevents+json");
        request.RequestUri = new Uri("/api/webhooks/events" + query, UriKind.Relative); // Standard Webhooks signs the body, not the address.
        return request;
    }
}
