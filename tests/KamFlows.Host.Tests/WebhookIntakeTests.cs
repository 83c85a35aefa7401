using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;

namespace KamFlows.Host.Tests;

/// <summary>End to end through the real host on Azurite: events in, account state, timeline, classification and workflows out.</summary>
public sealed class WebhookIntakeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public async Task Events_BatchOfAccountsContactsAndRevenue_StateTimelineAndClassificationAreServed()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        var (start, end) = TestEvents.LastQuarter();
        var batch = TestEvents.Batch(
            TestEvents.Account("a-1", "ACME", T0, "Acme Oy"),
            TestEvents.Account("a-2", "GLOBEX", T0, "Globex"),
            TestEvents.Account("a-3", "INITECH", T0, "Initech", isKey: false),
            TestEvents.Contact("c-1", "ACME", "C-1", T0.AddMinutes(1), "Liisa Korhonen", "sailing"),
            TestEvents.Revenue("r-1", "ACME", T0.AddMinutes(2), start, end, 700_000m),
            TestEvents.Revenue("r-2", "GLOBEX", T0.AddMinutes(2), start, end, 250_000m),
            TestEvents.Revenue("r-3", "INITECH", T0.AddMinutes(2), start, end, 50_000m));

        var response = await host.PostEventsAsync(batch, "application/cloudevents-batch+json");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(7, receipt.GetProperty("accepted").GetInt32());
        await host.WaitForIntakeDrainedAsync();

        var list = await host.Management.GetFromJsonAsync<JsonElement>("/api/accounts");
        var acme = list.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("id").GetString() == "ACME");
        Assert.Contains("breadwinner", acme.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(0.7m, acme.GetProperty("share").GetProperty("share").GetDecimal());
        var initech = list.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("id").GetString() == "INITECH");
        Assert.DoesNotContain("breadwinner", initech.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));

        var detail = await host.Management.GetFromJsonAsync<JsonElement>("/api/accounts/ACME");
        var member = detail.GetProperty("dmu").EnumerateArray().Single();
        Assert.Equal("Liisa Korhonen", member.GetProperty("name").GetString());
        Assert.True(member.GetProperty("hasPersonalData").GetBoolean());
        Assert.DoesNotContain("sailing", detail.GetRawText(), StringComparison.Ordinal);
        var kinds = detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["kam.account.upserted", "kam.contact.upserted", "kam.revenue.reported"], kinds);
        Assert.Contains(detail.GetProperty("runningWorkflows").EnumerateArray(), w => w.GetProperty("instanceId").GetString() == "account:ACME");

        var portfolio = await host.Management.GetFromJsonAsync<JsonElement>("/api/portfolio");
        Assert.Equal(1_000_000m, portfolio.GetProperty("totalRevenue").GetDecimal());
        Assert.Contains(portfolio.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("kind").GetString() == "single_account_dominates");

        // Personal data sits only in its own table, and the stored event kept in the intake no longer carries it.
        Assert.Equal(1, await host.CountRowsAsync("PersonalData"));
        await foreach (var row in host.Table("Intake").QueryAsync<TableEntity>())
        {
            Assert.DoesNotContain("sailing", string.Join("", row.Select(kv => kv.Value?.ToString())), StringComparison.Ordinal);
        }

        await foreach (var row in host.Table("Timeline").QueryAsync<TableEntity>())
        {
            Assert.DoesNotContain("sailing", row.GetString("Summary"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Events_SameEventTwice_SecondAnswers200DuplicateWithNoSecondEffect()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        var sent = TestEvents.ProposalSent("p-sent-1", "ACME", "P-1", T0);

        var first = await host.PostEventsAsync(sent);
        var second = await host.PostEventsAsync(sent);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        await host.WaitForIntakeDrainedAsync();
        Assert.Equal(["p-sent-1"], await host.WaitForReceivedAsync("proposal:P-1", 1));
        Assert.Equal(1, await host.CountRowsAsync("Intake")); // the e| row stays for deduplication; the q| row is gone
        Assert.Single(await ReadTimelineAsync(host, "ACME"));
        Assert.Equal(["p-sent-1"], await host.ReceivedByAsync("proposal:P-1"));
    }

    [Fact]
    public async Task Events_AcknowledgedBeforeSent_BothReachTheProposalWorkflowInArrivalOrder()
    {
        await using var host = await KamFlowsTestHost.StartAsync();

        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(TestEvents.ProposalAcknowledged("p-ack", "ACME", "P-7", T0.AddHours(2)))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(TestEvents.ProposalSent("p-sent", "ACME", "P-7", T0))).StatusCode);

        Assert.Equal(["p-ack", "p-sent"], await host.WaitForReceivedAsync("proposal:P-7", 2));
        await host.WaitForIntakeDrainedAsync();
        var proposal = (await host.Table("Accounts").GetEntityAsync<TableEntity>("ACME", "proposal|P-7")).Value;
        Assert.Equal("acknowledged", proposal.GetString("Status")); // the later event (by its time) wins
        Assert.Equal("2099-12-31", proposal.GetString("ValidUntil")); // details come from the sent event that arrived last
        var timeline = await ReadTimelineAsync(host, "ACME");
        Assert.Equal(["kam.proposal.sent", "kam.proposal.acknowledged"], timeline.Select(e => e.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Events_ContactErased_PersonalDataDeletedAndNameGoneFromStoreAndTimeline()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        await host.PostEventsAsync(TestEvents.Account("a", "ACME", T0, "Acme Oy"));
        await host.PostEventsAsync(TestEvents.Contact("c", "ACME", "C-9", T0.AddMinutes(1), "Liisa Korhonen", "chess"));
        await host.WaitForIntakeDrainedAsync();
        Assert.Equal(1, await host.CountRowsAsync("PersonalData"));

        await host.PostEventsAsync(TestEvents.ContactErased("e", "ACME", "C-9", T0.AddDays(1)));
        await host.WaitForIntakeDrainedAsync();

        Assert.Equal(0, await host.CountRowsAsync("PersonalData"));
        var detail = await host.Management.GetFromJsonAsync<JsonElement>("/api/accounts/ACME");
        var member = detail.GetProperty("dmu").EnumerateArray().Single();
        Assert.True(member.GetProperty("erased").GetBoolean());
        Assert.Equal(JsonValueKind.Null, member.GetProperty("email").ValueKind);
        Assert.DoesNotContain("Liisa", detail.GetRawText(), StringComparison.Ordinal);
        var text = string.Join("\n", (await ReadTimelineAsync(host, "ACME")).Select(e => e.GetProperty("summary").GetString()));
        Assert.DoesNotContain("Liisa", text, StringComparison.Ordinal);
        Assert.Contains("(erased)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_BatchWithOneInvalidEvent_400NamesTheFieldAndNothingIsStored()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        var batch = TestEvents.Batch(
            TestEvents.Account("a", "ACME", T0, "Acme"),
            TestEvents.ProposalSent("p", "ACME", "P-1", T0),
            TestEvents.Account("b", "ACME", T0, "Acme"),
            TestEvents.ProposalSent("q", "ACME", "P-2", T0, validUntil: "2020-01-01"));

        var response = await host.PostEventsAsync(batch, "application/cloudevents-batch+json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("events[3].data.valid_until", out _));
        Assert.Equal(0, await host.CountStateRowsAsync());
    }

    [Fact]
    public async Task Webhook_RefusedRequests_AnswerTheRightStatusAndWriteNothing()
    {
        await using var host = await KamFlowsTestHost.StartAsync(s => s.Remove("KamFlows:Webhooks:Secrets:amocrm"));
        var body = TestEvents.Account("a", "ACME", T0, "Acme");

        var unsigned = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/events") { Content = new StringContent(body, Encoding.UTF8, "application/cloudevents+json") };
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(unsigned)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(KamFlowsTestHost.SignedEvents(body, at: DateTimeOffset.UtcNow.AddMinutes(-6)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.SendAsync(KamFlowsTestHost.SignedEvents(body, secret: "whsec_d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXk="))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await host.Http.SendAsync(KamFlowsTestHost.SignedEvents(body, "text/plain"))).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await host.Http.SendAsync(KamFlowsTestHost.SignedEvents(body + new string(' ', 1024 * 1024)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.SendAsync(KamFlowsTestHost.SignedEvents("{\"specversion\":\"1.0\"}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.PostAsync("/api/webhooks/salesforce", new StringContent("{}", Encoding.UTF8, "application/json"))).StatusCode);
        var disabled = await host.Http.PostAsync("/api/webhooks/amocrm?token=x", new StringContent("a=b", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.NotFound, disabled.StatusCode);
        Assert.Contains("not enabled", await disabled.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(0, await host.CountStateRowsAsync());
    }

    [Fact]
    public async Task Events_SignedWithTheOlderOfTwoActiveSecrets_IsAccepted()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        var response = await host.Http.SendAsync(KamFlowsTestHost.SignedEvents(TestEvents.Account("a", "ACME", T0, "Acme"), secret: KamFlowsTestHost.RotatedEventsSecret));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static async Task<List<JsonElement>> ReadTimelineAsync(KamFlowsTestHost host, string accountId) =>
        (await host.Management.GetFromJsonAsync<JsonElement>($"/api/accounts/{accountId}/timeline")).EnumerateArray().ToList();
}
