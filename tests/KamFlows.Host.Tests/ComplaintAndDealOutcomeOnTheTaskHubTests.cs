using System.Net;
using System.Text.Json;
using Microsoft.DurableTask.Client;

namespace KamFlows.Host.Tests;

/// <summary>
/// Issue 14 on the real task hub (Azure Storage provider on Azurite, real host, real workflows): a complaint starts its own
/// workflow from a webhook, and a won deal reaches its proposal through an event one orchestration sends another.
/// </summary>
public sealed class ComplaintAndDealOutcomeOnTheTaskHubTests
{
    private static async Task<List<JsonElement>> UpcomingAsync(KamFlowsTestHost host)
    {
        var body = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonElement>(host.Management, "/api/people/anna@kamflows.example/upcoming?days=60");
        return [.. body.GetProperty("actions").EnumerateArray()];
    }

    [Fact]
    public async Task ComplaintOpened_ThroughTheWebhook_StartsComplaintHandling_WithTheKamsTaskPlanned()
    {
        await using var host = await KamFlowsTestHost.StartAsync(recordWorkflows: false);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(TestEvents.Account("a", "ACME", now, "Acme Oy"))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(TestEvents.Envelope("c", "kam.complaint.opened", now,
            """{"complaint_id":"CP-1","account_id":"ACME","summary":"Wrong invoice"}"""))).StatusCode);

        OrchestrationMetadata? complaint = null;
        await KamFlows.Testing.Eventually.WaitUntilAsync(async () =>
            (complaint = await host.Workflows.GetInstanceAsync("complaint:CP-1", getInputsAndOutputs: true)) is { RuntimeStatus: OrchestrationRuntimeStatus.Running }
            && complaint.ReadCustomStatusAs<Workflows.Common.WorkflowStatus>() is { Phase: "waiting" });
        Assert.Equal(Workflows.WorkflowCatalog.ComplaintHandling, complaint!.Name);

        // Sent at once in working hours, else planned for the next business morning: an open task either way.
        await KamFlows.Testing.Eventually.WaitUntilAsync(async () =>
            (await UpcomingAsync(host)).Any(a => a.GetProperty("sourceKey").GetString() == "complaint:CP-1" && a.GetProperty("kind").GetString() == "ComplaintReceived"));
    }

    [Fact]
    public async Task DealWon_TheSaleCycleTellsItsProposal_WhoseFollowUpStops()
    {
        await using var host = await KamFlowsTestHost.StartAsync(recordWorkflows: false);
        var now = DateTimeOffset.UtcNow;
        await host.PostEventsAsync(TestEvents.Account("a", "ACME", now, "Acme Oy"));
        await host.PostEventsAsync(TestEvents.Envelope("o", "kam.opportunity.upserted", now,
            """{"opportunity_id":"O-9","account_id":"ACME","name":"Fleet deal","stage":"decision"}"""));
        await host.PostEventsAsync(TestEvents.Envelope("p", "kam.proposal.sent", now,
            """{"proposal_id":"P-1","account_id":"ACME","opportunity_id":"O-9","total":{"amount":120000,"currency":"EUR"},"valid_until":"2099-12-31"}"""));
        await KamFlows.Testing.Eventually.WaitUntilAsync(async () => (await UpcomingAsync(host)).Any(a => a.GetProperty("sourceKey").GetString() == "proposal:P-1"));

        await host.PostEventsAsync(TestEvents.Envelope("w", "kam.opportunity.stage_changed", now.AddSeconds(1),
            """{"opportunity_id":"O-9","account_id":"ACME","stage":"won"}"""));

        await KamFlows.Testing.Eventually.WaitUntilAsync(async () =>
            (await host.Workflows.GetInstanceAsync("opportunity:O-9"))?.RuntimeStatus == OrchestrationRuntimeStatus.Completed
            && !(await UpcomingAsync(host)).Any(a => a.GetProperty("sourceKey").GetString() == "proposal:P-1"));
        var proposal = await host.Workflows.GetOrchestrationHistoryAsync("proposal:P-1");
        Assert.Contains(proposal, e => e is DurableTask.Core.History.EventRaisedEvent { Name: Workflows.WorkflowCatalog.CanonicalEventName } raised
            && raised.Input?.Contains("kam.opportunity.stage_changed", StringComparison.Ordinal) == true); // Sent by the sale cycle; intake does not route it there.
    }
}
