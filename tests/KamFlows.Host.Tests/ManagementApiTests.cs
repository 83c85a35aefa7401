using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace KamFlows.Host.Tests;

public sealed class ManagementApiTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ManagementApi_WithoutOrWithWrongKey_401Problem()
    {
        await using var host = await KamFlowsTestHost.StartAsync();

        var none = await host.Http.GetAsync("/api/accounts");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/portfolio");
        wrong.Headers.Add("X-Api-Key", KamFlowsTestHost.ApiKey + "x");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(wrong)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Management.GetAsync("/api/accounts")).StatusCode);
    }

    [Fact]
    public async Task Instances_QueryGetRaiseSuspendResumeTerminate_WorkOnTheWorkflowStartedByAnEvent()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        await host.PostEventsAsync(TestEvents.ProposalSent("p1", "ACME", "P-1", T0));
        await host.WaitForReceivedAsync("proposal:P-1", 1);

        var page = await host.Management.GetFromJsonAsync<JsonElement>("/api/instances?status=Running&prefix=proposal:");
        Assert.Equal("proposal:P-1", page.GetProperty("instances").EnumerateArray().Single().GetProperty("instanceId").GetString());

        var raised = await host.Management.PostAsync("/api/instances/proposal:P-1/events/kam.event?eventId=manual-1",
            new StringContent(JsonSerializer.Serialize(TestEvents.ProposalAcknowledged("manual-1", "ACME", "P-1", T0.AddHours(1))), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, raised.StatusCode);
        Assert.Equal(["p1", "manual-1"], await host.WaitForReceivedAsync("proposal:P-1", 2));

        var detail = await host.Management.GetFromJsonAsync<JsonElement>("/api/instances/proposal:P-1");
        Assert.Contains(detail.GetProperty("history").EnumerateArray(), e => e.GetProperty("kind").GetString() == "EventRaised");

        Assert.Equal(HttpStatusCode.Accepted, (await host.Management.PostAsync("/api/instances/proposal:P-1/suspend?reason=test", null)).StatusCode);
        await WaitForStatusAsync(host, "proposal:P-1", "Suspended");
        Assert.Equal(HttpStatusCode.Accepted, (await host.Management.PostAsync("/api/instances/proposal:P-1/resume", null)).StatusCode);
        await WaitForStatusAsync(host, "proposal:P-1", "Running");
        Assert.Equal(HttpStatusCode.Accepted, (await host.Management.PostAsync("/api/instances/proposal:P-1/terminate?reason=done", null)).StatusCode);
        await WaitForStatusAsync(host, "proposal:P-1", "Terminated");

        Assert.Equal(HttpStatusCode.NotFound, (await host.Management.GetAsync("/api/instances/proposal:nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Management.PostAsync("/api/instances/proposal:nope/terminate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Management.GetAsync("/api/instances?status=Sleeping")).StatusCode);
    }

    [Fact]
    public async Task Account_Unknown_404Problem()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        var response = await host.Management.GetAsync("/api/accounts/NOPE");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApi_DocumentIsServed_WithWebhookAndManagementRoutes()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        var document = await host.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/webhooks/{source}", paths);
        Assert.Contains("/api/accounts/{accountId}", paths);
        Assert.Contains("/api/instances/{instanceId}/terminate", paths);
        Assert.Contains("/api/portfolio", paths);
    }

    [Fact]
    public async Task StartUp_BadMappingFile_FailsNamingTheFileAndTheProblem()
    {
        var file = Path.Combine(Path.GetTempPath(), "kamflows-bad-mapping-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(file, """{"source":"/crm/hubspot","rules":[{"name":"x","when":{"a":"b"},"type":"kam.nothing","time":"{t}","data":{}}]}""");
        try
        {
            var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => KamFlowsTestHost.StartAsync(s => s["KamFlows:Webhooks:Mappings:hubspot"] = file));
            Assert.Contains(file, ex.Message, StringComparison.Ordinal);
            Assert.Contains("rules[0].type", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task StartUp_MalformedEventsSecret_FailsNamingTheKeyButNotTheSecret()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => KamFlowsTestHost.StartAsync(s => s["KamFlows:Webhooks:Secrets:events"] = "not-a-whsec-secret"));
        Assert.Contains("KamFlows:Webhooks:Secrets:events", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-whsec-secret", ex.Message, StringComparison.Ordinal);
    }

    private static async Task WaitForStatusAsync(KamFlowsTestHost host, string instanceId, string status) =>
        await KamFlows.Testing.Eventually.WaitUntilAsync(async () =>
            (await host.Management.GetFromJsonAsync<JsonElement>($"/api/instances/{instanceId}")).GetProperty("instance").GetProperty("status").GetString() == status);
}
