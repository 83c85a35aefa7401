using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;

namespace KamFlows.Host.Tests;

/// <summary>Each CRM's webhook through the real host with the sample mappings: mapped, stored, processed; a CRM retry is a duplicate.</summary>
public sealed class CrmWebhookTests
{
    [Fact]
    public async Task HubSpot_SignedDealStageChange_BecomesStageChangedAndRetryIsDuplicate()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        var body = CrmRequests.HubSpotBody(1001, 555, "closedwon");

        var first = await host.Http.SendAsync(CrmRequests.HubSpot(host.Http.BaseAddress!, body));
        var retry = await host.Http.SendAsync(CrmRequests.HubSpot(host.Http.BaseAddress!, body));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(1, (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ignored").GetInt32()); // the kam_account_id change alone maps to nothing
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        await host.WaitForIntakeDrainedAsync();
        Assert.Equal("won", await StageAsync(host, "ACME", "deal-555"));
        Assert.Single(await host.WaitForReceivedAsync("opportunity:deal-555", 1));
    }

    [Fact]
    public async Task HubSpot_BadSignatureOrOldTimestamp_401()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        var body = CrmRequests.HubSpotBody(1, 2, "closedwon");
        var tampered = CrmRequests.HubSpot(host.Http.BaseAddress!, body);
        tampered.Content = new StringContent(body.Replace("closedwon", "closedlost", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(tampered)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(CrmRequests.HubSpot(host.Http.BaseAddress!, body, DateTimeOffset.UtcNow.AddMinutes(-6)))).StatusCode);
        Assert.Equal(0, await host.CountStateRowsAsync());
    }

    [Fact]
    public async Task Pipedrive_BasicAuthStageChange_BecomesStageChanged_WrongPassword401()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        var body = CrmRequests.PipedriveBody("8c1f4c1e-7f61-4a53-9d7b-1f1c2d3e4f50", 31, 3, 2);

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(CrmRequests.Pipedrive(body, "kamflows:wrong"))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.Http.SendAsync(CrmRequests.Pipedrive(body))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(CrmRequests.Pipedrive(body))).StatusCode);
        await host.WaitForIntakeDrainedAsync();
        Assert.Equal("resolution_of_concerns", await StageAsync(host, "org-77", "deal-31"));
    }

    [Fact]
    public async Task Bitrix24_FormWithApplicationToken_BecomesStageChanged_WrongToken401()
    {
        await using var host = await KamFlowsTestHost.StartAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(CrmRequests.Form("/api/webhooks/bitrix24", CrmRequests.BitrixBody(7, "WON", "wrong")))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.Http.SendAsync(CrmRequests.Form("/api/webhooks/bitrix24", CrmRequests.BitrixBody(7, "WON")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(CrmRequests.Form("/api/webhooks/bitrix24", CrmRequests.BitrixBody(7, "WON")))).StatusCode);
        await host.WaitForIntakeDrainedAsync();
        Assert.Equal("won", await StageAsync(host, "company-42", "deal-7"));
    }

    [Fact]
    public async Task AmoCrm_FormWithUrlToken_BecomesStageChanged_WrongToken401()
    {
        await using var host = await KamFlowsTestHost.StartAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(CrmRequests.Form(CrmRequests.AmoPath("wrong"), CrmRequests.AmoBody(25399013, 142)))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.Http.SendAsync(CrmRequests.Form(CrmRequests.AmoPath(), CrmRequests.AmoBody(25399013, 142)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(CrmRequests.Form(CrmRequests.AmoPath(), CrmRequests.AmoBody(25399013, 142)))).StatusCode);
        await host.WaitForIntakeDrainedAsync();
        Assert.Equal("won", await StageAsync(host, "company-9001", "lead-25399013"));
    }

    [Fact]
    public async Task Crm_MappedEventMissingARequiredField_400NamesFieldAndRule()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        var body = CrmRequests.HubSpotBody(1, 2, "no-such-stage");

        var response = await host.Http.SendAsync(CrmRequests.HubSpot(host.Http.BaseAddress!, body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var messages = problem.GetProperty("errors").GetProperty("events[1].data.stage");
        Assert.Contains("deal-stage", messages[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await host.CountStateRowsAsync());
    }

    private static async Task<string?> StageAsync(KamFlowsTestHost host, string accountId, string opportunityId) =>
        (await host.Table("Accounts").GetEntityAsync<TableEntity>(accountId, "opportunity|" + opportunityId)).Value.GetString("Stage");
}
