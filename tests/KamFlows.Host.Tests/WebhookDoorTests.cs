using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace KamFlows.Host.Tests;

/// <summary>What the webhook door refuses before anything is stored: ambiguous batches and impossible times.</summary>
public sealed class WebhookDoorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public async Task Events_SameIdTwiceWithDifferentContent_400NamesBothPositionsAndNothingIsStored()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        var batch = TestEvents.Batch(
            TestEvents.Account("a-0", "ACME", T0, "Acme"),
            TestEvents.Account("a-1", "BETA", T0, "Beta"),
            TestEvents.Account("a-2", "GAMMA", T0, "Gamma"),
            TestEvents.Account("dup", "ACME", T0, "Acme Oy"),
            TestEvents.Account("a-4", "DELTA", T0, "Delta"),
            TestEvents.Account("a-5", "EPS", T0, "Eps"),
            TestEvents.Account("a-6", "ZETA", T0, "Zeta"),
            TestEvents.Account("dup", "ACME", T0, "Acme Corporation"));

        var response = await host.PostEventsAsync(batch, "application/cloudevents-batch+json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["events[3].id", "events[7].id"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Contains("events[7]", errors.GetProperty("events[3].id")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("events[3]", errors.GetProperty("events[7].id")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await host.CountStateRowsAsync());
    }

    [Fact]
    public async Task Events_SameEventTwiceWithIdenticalContentInOneBatch_AcceptedOnceAndAppliedOnce()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        var account = TestEvents.Account("a-1", "ACME", T0, "Acme");
        var batch = TestEvents.Batch(account, TestEvents.Account("b-1", "BETA", T0, "Beta"), account.Replace("\n", " ", StringComparison.Ordinal));

        var response = await host.PostEventsAsync(batch, "application/cloudevents-batch+json");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, receipt.GetProperty("accepted").GetInt32());
        Assert.Equal(["a-1", "b-1"], receipt.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        await host.WaitForIntakeDrainedAsync();
        var eventRows = 0;
        await foreach (var _ in host.Table("Intake").QueryAsync<TableEntity>(filter: "RowKey ge 'e|' and RowKey lt 'e}'", select: ["RowKey"]))
        {
            eventRows++;
        }

        Assert.Equal(2, eventRows);
        Assert.Equal(["a-1"], await host.WaitForReceivedAsync("account:ACME", 1));
    }

    [Fact]
    public async Task Events_ImpossibleTimes_400NamingEveryFieldAndNothingIsStored()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var batch = TestEvents.Batch(
            Retimed(TestEvents.Account("t-0", "ACME", T0, "Acme"), "0000-01-01T00:00:00Z"),
            Retimed(TestEvents.Account("t-1", "ACME", T0, "Acme"), "0001-01-01T00:00:00+01:00"),
            Retimed(TestEvents.Account("t-2", "ACME", T0, "Acme"), "9999-12-31T23:59:59-01:00"),
            Retimed(TestEvents.Account("t-3", "ACME", T0, "Acme"), "2200-01-01T00:00:00+02:00"),
            Retimed(TestEvents.Account("t-4", "ACME", T0, "Acme"), "1999-12-31T23:00:00Z"),
            TestEvents.Account("t-5", "ACME", now.AddDays(2), "Acme"),
            TestEvents.ProposalSent("t-6", "ACME", "P-1", T0, validUntil: "9999-12-31"),
            TestEvents.Account("t-7", "ACME", now.AddHours(20), "Acme"));

        var response = await host.PostEventsAsync(batch, "application/cloudevents-batch+json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["events[0].time", "events[1].time", "events[2].time", "events[6].data.valid_until"], errors.EnumerateObject().Select(p => p.Name));

        // The door's own limits are checked once the events are well-formed.
        var late = TestEvents.Batch(
            Retimed(TestEvents.Account("t-3", "ACME", T0, "Acme"), "2200-01-01T00:00:00+02:00"),
            Retimed(TestEvents.Account("t-4", "ACME", T0, "Acme"), "1999-12-31T23:00:00Z"),
            TestEvents.Account("t-5", "ACME", now.AddDays(2), "Acme"),
            TestEvents.Account("t-7", "ACME", now.AddHours(20), "Acme"));
        response = await host.PostEventsAsync(late, "application/cloudevents-batch+json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["events[0].time", "events[1].time", "events[2].time"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Contains("1 day in the future", errors.GetProperty("events[0].time")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("before 2000-01-01", errors.GetProperty("events[1].time")[0].GetString(), StringComparison.Ordinal);

        var single = await host.PostEventsAsync(Retimed(TestEvents.Account("s", "ACME", T0, "Acme"), "2200-01-01T00:00:00Z"));
        Assert.Equal(HttpStatusCode.BadRequest, single.StatusCode);
        Assert.True((await single.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("time", out _));

        Assert.Equal(0, await host.CountStateRowsAsync());
    }

    [Fact]
    public async Task MeetingScheduled_BadStartOrEnd_400NamingTheField_NothingStored_AGoodOneReachesItsMeetingWorkflow()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        static string Meeting(string id, string times) => TestEvents.Envelope(id, "kam.meeting.scheduled", T0, $$"""{"meeting_id":"M-9","account_id":"ACME",{{times}}}""");
        var batch = TestEvents.Batch(
            Meeting("m-0", "\"starts_at\":\"2026-03-05T10:00:00\""),
            Meeting("m-1", "\"starts_at\":\"2026-03-05T10:00:00+02:00\",\"ends_at\":\"2026-03-05T09:00:00+02:00\""),
            Meeting("m-2", "\"starts_at\":\"2026-03-05T10:00:00+02:00\",\"ends_at\":\"noon\""),
            Meeting("m-3", "\"ends_at\":\"2026-03-05T11:00:00+02:00\""));

        var response = await host.PostEventsAsync(batch, "application/cloudevents-batch+json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["events[0].data.starts_at", "events[1].data.ends_at", "events[2].data.ends_at", "events[3].data.starts_at"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Contains("must not be before starts_at", errors.GetProperty("events[1].data.ends_at")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await host.CountStateRowsAsync());

        var good = await host.PostEventsAsync(Meeting("m-4", "\"starts_at\":\"2026-03-05T10:00:00+02:00\",\"ends_at\":\"2026-03-05T10:00:00+02:00\""));
        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);
        Assert.Equal(["m-4"], await host.WaitForReceivedAsync("meeting:M-9", 1));
    }

    [Fact]
    public async Task Events_LimitsConfigured_WiderSkewAndLaterFloorApply()
    {
        await using var host = await KamFlowsTestHost.StartAsync(s =>
        {
            s["KamFlows:Webhooks:MaxFutureSkew"] = "30.00:00:00";
            s["KamFlows:Webhooks:EarliestEventTime"] = "2020-01-01T00:00:00Z";
        });

        var ahead = await host.PostEventsAsync(TestEvents.Account("ahead", "ACME", DateTimeOffset.UtcNow.AddDays(10), "Acme"));
        var old = await host.PostEventsAsync(Retimed(TestEvents.Account("old", "ACME", T0, "Acme"), "2019-06-01T00:00:00Z"));

        Assert.Equal(HttpStatusCode.Accepted, ahead.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        Assert.Contains("before 2020-01-01", await old.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("KamFlows:Webhooks:MaxFutureSkew", "-00:00:01")]
    [InlineData("KamFlows:Webhooks:EarliestEventTime", "1500-01-01T00:00:00Z")]
    [InlineData("KamFlows:Webhooks:EarliestEventTime", "2999-01-01T00:00:00Z")]
    public async Task Start_TimeLimitOutOfRange_RefusedNamingTheSetting(string key, string value)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => KamFlowsTestHost.StartAsync(s => s[key] = value));

        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revenue_MarginOutOfRangeOrDisagreeing_400NamingTheField_AValidOneIsStoredWithTheReport()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        static string Revenue(string id, string margin) => TestEvents.Envelope(id, "kam.revenue.reported", T0, $$"""
            {"account_id":"ACME","period_start":"2026-01-01","period_end":"2026-01-31","revenue":{"amount":200000,"currency":"EUR"}{{margin}} }
            """);

        var refused = await host.PostEventsAsync(TestEvents.Batch(
            Revenue("m-0", ""","margin_percent":120"""),
            Revenue("m-1", ""","margin_percent":4.6,"gross_margin":{"amount":9000,"currency":"EUR"}"""),
            Revenue("m-2", ""","gross_margin":{"amount":9000,"currency":"SEK"}""")), "application/cloudevents-batch+json");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["events[0].data.margin_percent", "events[1].data.margin_percent", "events[2].data.gross_margin.currency"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Equal("must be from -100 to 100 (got 120)", errors.GetProperty("events[0].data.margin_percent")[0].GetString());
        Assert.Equal(0, await host.CountStateRowsAsync());

        var accepted = await host.PostEventsAsync(TestEvents.Batch(TestEvents.Account("a-1", "ACME", T0, "Acme"),
            Revenue("m-3", ""","margin_percent":4.5,"gross_margin":{"amount":9000,"currency":"EUR"}""")), "application/cloudevents-batch+json");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await host.WaitForIntakeDrainedAsync();
        var account = await host.Management.GetStringAsync("/api/accounts/ACME");
        Assert.Contains("\"MarginPercent\":\"4.5\"", account, StringComparison.Ordinal);
        Assert.Contains("\"GrossMargin\":\"9000\"", account, StringComparison.Ordinal);
        Assert.Contains("reported for 2026-01-01..2026-01-31, margin 4.5 %", account, StringComparison.Ordinal); // On the timeline too.
    }

    private static string Retimed(string eventJson, string time)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(eventJson)!;
        node["time"] = time;
        return node.ToJsonString();
    }
}
