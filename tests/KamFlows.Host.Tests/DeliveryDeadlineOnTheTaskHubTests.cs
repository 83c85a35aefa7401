using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.DurableTask.Client;

namespace KamFlows.Host.Tests;

/// <summary>
/// Issue 14 item 7 on the real host and task hub: kam.delivery.scheduled is checked at the door (a bad field is a 400 naming
/// it, and nothing is accepted), and a good one starts the delivery's workflow, whose deadline watch shows in the KAM's upcoming actions.
/// </summary>
public sealed class DeliveryDeadlineOnTheTaskHubTests
{
    [Fact]
    public async Task DeliveryScheduled_BadFields400NamingThem_AGoodOneStartsTheDeliveryWithItsChecksAndOverdueTaskPlanned()
    {
        await using var host = await KamFlowsTestHost.StartAsync(recordWorkflows: false);
        var now = DateTimeOffset.UtcNow;
        var dueOn = DateOnly.FromDateTime(now.UtcDateTime).AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(TestEvents.Account("a", "ACME", now, "Acme Oy"))).StatusCode);

        var bad = TestEvents.Batch(
            TestEvents.Envelope("d-bad-1", "kam.delivery.scheduled", now, """{"delivery_id":"D-5","account_id":"ACME","due_on":"2026-02-30"}"""),
            TestEvents.Envelope("d-bad-2", "kam.delivery.scheduled", now, $$"""{"delivery_id":"D-5","account_id":"ACME","due_on":"{{dueOn}}","team_lead_email":"jukka at supplier"}"""));
        var response = await host.PostEventsAsync(bad, "application/cloudevents-batch+json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["events[0].data.due_on", "events[1].data.team_lead_email"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Null(await host.Workflows.GetInstanceAsync("delivery:D-5")); // Nothing was accepted.

        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(TestEvents.Envelope("d", "kam.delivery.scheduled", now,
            $$"""{"delivery_id":"D-5","account_id":"ACME","due_on":"{{dueOn}}","team_lead_name":"Jukka Mäkinen","team_lead_email":"jukka@supplier.example"}"""))).StatusCode);

        List<JsonElement> planned = [];
        await KamFlows.Testing.Eventually.WaitUntilAsync(async () =>
        {
            var body = await host.Management.GetFromJsonAsync<JsonElement>("/api/people/anna@kamflows.example/upcoming?days=60");
            planned = [.. body.GetProperty("actions").EnumerateArray().Where(a => a.GetProperty("sourceKey").GetString() == "delivery:D-5")];
            return planned.Count == 3;
        });
        Assert.Equal(["DeliveryDeadlineApproaching", "DeliveryDeadlineApproaching", "DeliveryOverdue"], planned.Select(a => a.GetProperty("kind").GetString()).Order(StringComparer.Ordinal));
        var delivery = await host.Workflows.GetInstanceAsync("delivery:D-5");
        Assert.Equal((Workflows.WorkflowCatalog.ReferenceLetter, OrchestrationRuntimeStatus.Running), (delivery!.Name, delivery.RuntimeStatus));
    }
}
