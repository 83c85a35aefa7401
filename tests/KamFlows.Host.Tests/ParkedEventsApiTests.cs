using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using KamFlows.Infrastructure.Intake;
using KamFlows.Testing;
using KamFlows.Workflows.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Host.Tests;

/// <summary>The management API for events intake parked as failed: list, inspect, retry (safely, once), discard.</summary>
public sealed class ParkedEventsApiTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public async Task FailedEvent_ListedInspectedAndRetried_IsProcessedOnceLikeAFreshEvent()
    {
        var outage = new TeamListenerOutage { Failing = true };
        await using var host = await StartAsync(outage);
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(TestEvents.Account("acct-1", "ACME", T0, "Acme"))).StatusCode);
        var failed = await WaitForFailedAsync(host, "acct-1");

        Assert.Equal("kam.account.upserted", failed.GetProperty("type").GetString());
        Assert.Equal("ACME", failed.GetProperty("accountId").GetString());
        Assert.Contains("digest directory unavailable", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        var detail = await host.Management.GetFromJsonAsync<JsonElement>("/api/intake/events/acct-1");
        Assert.Equal("failed", detail.GetProperty("event").GetProperty("status").GetString());
        Assert.Equal("acct-1", detail.GetProperty("kept").GetProperty("id").GetString());
        Assert.Empty(await host.ReceivedByAsync("account:ACME"));

        outage.Failing = false;
        var retries = await Task.WhenAll(host.Management.PostAsync("/api/intake/events/acct-1/retry", null), host.Management.PostAsync("/api/intake/events/acct-1/retry", null));

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Conflict], retries.Select(r => r.StatusCode).Order());
        Assert.Equal(["acct-1"], await host.WaitForReceivedAsync("account:ACME", 1));
        await host.WaitForIntakeDrainedAsync();
        await Eventually.WaitUntilAsync(async () => (await host.Management.GetFromJsonAsync<JsonElement>("/api/intake/events/acct-1")).GetProperty("event").GetProperty("status").GetString() == "processed");
        Assert.Equal(HttpStatusCode.OK, (await host.Management.GetAsync("/api/accounts/ACME")).StatusCode);
        Assert.Empty(await ListFailedAsync(host));
        Assert.Equal(["acct-1"], await host.ReceivedByAsync("account:ACME"));
        var again = await host.Management.PostAsync("/api/intake/events/acct-1/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("is processed", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedEvent_Discarded_StaysKnownAsDuplicateAndCannotBeRetried()
    {
        var outage = new TeamListenerOutage { Failing = true };
        await using var host = await StartAsync(outage);
        var body = TestEvents.Account("acct-2", "BETA", T0, "Beta");
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(body)).StatusCode);
        await WaitForFailedAsync(host, "acct-2");
        outage.Failing = false;

        var discard = await host.Management.PostAsync("/api/intake/events/acct-2/discard", null);

        Assert.Equal(HttpStatusCode.Accepted, discard.StatusCode);
        Assert.Equal("discarded", (await discard.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        Assert.Equal("discarded", (await host.Management.GetFromJsonAsync<JsonElement>("/api/intake/events/acct-2")).GetProperty("event").GetProperty("status").GetString());
        Assert.Empty(await ListFailedAsync(host));
        Assert.Equal(HttpStatusCode.Conflict, (await host.Management.PostAsync("/api/intake/events/acct-2/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await host.Management.PostAsync("/api/intake/events/acct-2/discard", null)).StatusCode);
        var resent = await host.PostEventsAsync(body);
        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        Assert.True((await resent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        Assert.Empty(await host.ReceivedByAsync("account:BETA"));
    }

    [Fact]
    public async Task StoredEventWithAnImpossibleTime_ParkedAtOnceWithoutBlockingTheNextAndNotRetryable()
    {
        await using var host = await StartAsync(new TeamListenerOutage(), s => s["KamFlows:Intake:SweepInterval"] = "00:00:00.200");
        // An event accepted before the door refused such times: written the way intake writes it.
        var legacy = TestEvents.Account("legacy-0", "ACME", T0, "Acme").Replace("2026-03-02T09:00:00.000+02:00", "0001-01-01T00:00:00.000+01:00", StringComparison.Ordinal);
        var table = host.Table("Intake");
        await table.CreateIfNotExistsAsync();
        var shard = IntakeShards.PartitionKey(IntakeShards.For("ACME"));
        await table.AddEntityAsync(new TableEntity(shard, "e|legacy-0") { ["Status"] = "pending", ["Source"] = "events", ["Type"] = "kam.account.upserted", ["ReceivedAt"] = DateTimeOffset.UtcNow });
        await table.AddEntityAsync(new TableEntity(shard, $"q|{DateTimeOffset.UtcNow.UtcTicks:D19}|legacy-0") { ["Source"] = "events", ["ReceivedAt"] = DateTimeOffset.UtcNow, ["Json0"] = legacy, ["JsonChunks"] = 1 });

        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(TestEvents.Account("fresh-1", "ACME", T0, "Acme"))).StatusCode);

        Assert.Equal(["fresh-1"], await host.WaitForReceivedAsync("account:ACME", 1));
        var failed = await WaitForFailedAsync(host, "legacy-0");
        Assert.Contains("time", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        var retry = await host.Management.PostAsync("/api/intake/events/legacy-0/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Contains("Nothing to retry", await retry.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await host.Management.PostAsync("/api/intake/events/legacy-0/discard", null)).StatusCode);
    }

    [Fact]
    public async Task BadInput_ProblemDetailsNamingTheFieldAndUnknownIs404()
    {
        await using var host = await StartAsync(new TeamListenerOutage());

        var badSize = await host.Management.GetAsync("/api/intake/failed?pageSize=0");
        var badSizeText = await host.Management.GetAsync("/api/intake/failed?pageSize=many");
        var badId = await host.Management.PostAsync("/api/intake/events/bad%01id/retry", null);

        Assert.Equal(HttpStatusCode.BadRequest, badSize.StatusCode);
        Assert.True((await badSize.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("pageSize", out _));
        Assert.Equal(HttpStatusCode.BadRequest, badSizeText.StatusCode);
        Assert.Contains("pageSize", await badSizeText.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.True((await badId.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("eventId", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Management.GetAsync("/api/intake/events/never-sent")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Management.PostAsync("/api/intake/events/never-sent/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Management.PostAsync("/api/intake/events/never-sent/discard", null)).StatusCode);
        Assert.Equal("application/problem+json", (await host.Management.GetAsync("/api/intake/events/never-sent")).Content.Headers.ContentType?.MediaType);
    }

    private static Task<KamFlowsTestHost> StartAsync(TeamListenerOutage outage, Action<Dictionary<string, string?>>? configure = null) =>
        KamFlowsTestHost.StartAsync(s =>
        {
            s["KamFlows:Intake:MaxProcessingAttempts"] = "1";
            configure?.Invoke(s);
        }, services: services => services.AddSingleton<IAccountTeamListener>(outage));

    private static async Task<List<JsonElement>> ListFailedAsync(KamFlowsTestHost host) =>
        (await host.Management.GetFromJsonAsync<JsonElement>("/api/intake/failed?pageSize=1000")).GetProperty("events").EnumerateArray().ToList();

    private static async Task<JsonElement> WaitForFailedAsync(KamFlowsTestHost host, string eventId)
    {
        JsonElement found = default;
        await Eventually.WaitUntilAsync(async () =>
        {
            var match = (await ListFailedAsync(host)).Where(e => e.GetProperty("id").GetString() == eventId).ToList();
            found = match.FirstOrDefault();
            return match.Count == 1;
        });
        return found;
    }

    /// <summary>A part of processing that fails while <see cref="Failing"/> (the digests' directory being unreachable, say).</summary>
    private sealed class TeamListenerOutage : IAccountTeamListener
    {
        public volatile bool Failing;

        public Task AccountTeamChangedAsync(AccountProfile profile, CancellationToken cancellationToken) =>
            Failing ? throw new InvalidOperationException("digest directory unavailable") : Task.CompletedTask;
    }
}
