using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using KamFlows.Durable;
using KamFlows.Testing;

namespace KamFlows.Functions.Tests;

/// <summary>
/// The Functions host is not available here, so these tests play its part exactly as documented: they take messages
/// from the work queue and POST them to /{function} with the Data/Metadata payload, delete them on 2xx, and call the
/// timer function on schedule. The handler is the published executable, started with FUNCTIONS_CUSTOMHANDLER_PORT.
/// </summary>
public sealed class CustomHandlerTests(PublishedHost published) : IClassFixture<PublishedHost>
{
    [Fact]
    public void Publish_ProducesHostJson_FunctionFolders_AndTheExecutable()
    {
        Assert.True(File.Exists(Path.Combine(published.Folder, "host.json")), published.PublishOutput);
        Assert.True(File.Exists(Path.Combine(published.Folder, "KamFlows.Host.dll")));
        foreach (var function in new[] { "api", "kamflows-work", "kamflows-timers", "kamflows-intake", "kamflows-email" })
        {
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(published.Folder, function, "function.json")))!;
            Assert.NotEmpty(json["bindings"]!.AsArray());
        }

        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(published.Folder, "host.json")))!;
        Assert.Equal("dotnet", host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
        Assert.Equal("KamFlows.Host.dll", host["customHandler"]!["description"]!["arguments"]![0]!.GetValue<string>());
        Assert.True(host["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>()); // Raw bodies for webhook signatures.
        Assert.Equal("none", host["extensions"]!["queues"]!["messageEncoding"]!.GetValue<string>());
        var work = JsonNode.Parse(File.ReadAllText(Path.Combine(published.Folder, "kamflows-work", "function.json")))!["bindings"]![0]!;
        Assert.Equal("queueTrigger", work["type"]!.GetValue<string>());
        Assert.Equal("kamflows-work", work["queueName"]!.GetValue<string>());
        Assert.Equal("message", work["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task StartedFromAnotherWorkingDirectory_ItsOwnAppSettingsStillApply()
    {
        var elsewhere = Directory.CreateTempSubdirectory("kamflows-cwd-").FullName;
        try
        {
            var settings = Settings(await SharedAzurite.ConnectionStringAsync(), Names.TaskHub("fn"));
            settings["Logging__LogLevel__Default"] = "Information"; // Only the default: the Microsoft.AspNetCore level is appsettings.json's.
            using var handler = await published.StartAsCustomHandlerAsync(settings, elsewhere);
            await Eventually.WaitUntilAsync(() => Task.FromResult(handler.Output.Contains("KamFlows starting", StringComparison.Ordinal)));
            // appsettings.json next to the executable keeps ASP.NET Core's per-request logs at Warning; the health polls did not log.
            Assert.DoesNotContain("Request starting", handler.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public async Task QueueAndTimerInvocations_DriveAnOrchestrationToCompletion()
    {
        var (hub, cs) = (Names.TaskHub("fn"), await SharedAzurite.ConnectionStringAsync());
        // A short lookahead keeps the 4-second timer out of the handler's memory, so only the timer trigger can fire it.
        var settings = Settings(cs, hub);
        settings["KamFlows__Durable__TimerLookahead"] = "00:00:01";
        settings["KamFlows__Durable__TimerScanInterval"] = "00:00:00.500";
        using var handler = await published.StartAsCustomHandlerAsync(settings);
        await using var client = await DurableTestHost.StartAsync(_ => { }, o => o.RunBackgroundLoops = false, taskHub: hub);
        var queue = new QueueClient(cs, hub + "-work");

        var id = await client.Client.ScheduleNewOrchestrationInstanceAsync("HealthProbe", 4, new StartOrchestrationOptions { Version = "1" });
        await DeliverQueueAsync(handler, queue, metadataAsStrings: true);
        var running = await client.Client.GetInstanceAsync(id);
        Assert.True(running!.RuntimeStatus == OrchestrationRuntimeStatus.Running, $"{running.RuntimeStatus} {running.FailureDetails}\n{handler.Output}"); // Waiting on its durable timer now.

        // The timer trigger fires due timers; before the due time it fires none.
        var fireAt = (await client.Client.GetInstanceHistoryAsync(id)).Single(e => e.Kind == KamFlows.Durable.History.HistoryEventKind.TimerCreated).FireAt!.Value;
        Assert.True(DateTimeOffset.UtcNow < fireAt, "the probe's timer should still be pending");
        var early = await InvokeAsync(handler, "kamflows-timers", TimerPayload());
        Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        Assert.Contains("fired 0 due timer", (await early.Content.ReadFromJsonAsync<JsonObject>())!["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await Task.Delay(fireAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200));
        var due = await InvokeAsync(handler, "kamflows-timers", TimerPayload());
        Assert.Equal(HttpStatusCode.OK, due.StatusCode);
        var body = await due.Content.ReadFromJsonAsync<JsonObject>();
        var timerRows = new TableClient(cs, hub + "Timers").Query<TableEntity>().Select(e => $"{e.PartitionKey}/{e.RowKey} {e.GetDateTimeOffset("FireAt"):O}").ToList();
        Assert.True(body!["Logs"]![0]!.GetValue<string>().Contains("fired 1 due timer", StringComparison.Ordinal), body.ToJsonString() + $" now {DateTimeOffset.UtcNow:O} fireAt {fireAt:O} rows: " + string.Join("; ", timerRows) + "\n" + handler.Output);
        Assert.True(body.ContainsKey("Outputs"));

        await DeliverQueueAsync(handler, queue, metadataAsStrings: false);
        var done = await client.Client.GetInstanceAsync(id, true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done!.RuntimeStatus);
        Assert.Equal("ok:" + id, done.ReadOutputAs<JsonElement>().GetProperty("echo").GetString());
    }

    [Fact]
    public async Task FailingInvocation_AnswersNon2xx_UntilTheLastAttempt_ThenParksAndFailsTheInstance()
    {
        var (hub, cs) = (Names.TaskHub("fn"), await SharedAzurite.ConnectionStringAsync());
        using var handler = await published.StartAsCustomHandlerAsync(Settings(cs, hub));
        await using var client = await DurableTestHost.StartAsync(_ => { }, o => o.RunBackgroundLoops = false, taskHub: hub);
        var queue = new QueueClient(cs, hub + "-work");
        var id = await client.Client.ScheduleNewOrchestrationInstanceAsync("HealthProbe", 30, new StartOrchestrationOptions { Version = "1" });
        await DeliverQueueAsync(handler, queue, metadataAsStrings: true);

        // Corrupt the stored history, then deliver a wake-up as the Functions host would, attempt after attempt.
        var table = new TableClient(cs, hub + "Instances");
        var row = table.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {id}")).First(e => e.RowKey.StartsWith('h'));
        row["E0"] = "{ not json";
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
        var wake = JsonSerializer.Serialize(new { id, why = "event" });
        var first = await InvokeAsync(handler, "kamflows-work", QueuePayload(wake, 1, asStrings: true));
        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode); // The Functions host retries.
        Assert.Contains("cannot be read", (await first.Content.ReadFromJsonAsync<JsonObject>())!["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var last = await InvokeAsync(handler, "kamflows-work", QueuePayload(wake, 5, asStrings: false));
        Assert.Equal(HttpStatusCode.OK, last.StatusCode); // Parked by KamFlows on its last allowed attempt.
        var failed = await client.Client.GetInstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed!.RuntimeStatus);
        Assert.Equal("PoisonMessage", failed.FailureDetails!.ErrorType);

        var malformed = await handler.Http.PostAsync("/kamflows-work", new StringContent("""{"Data":{}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task InvocationPaths_AreNotReachableThroughForwardedHttpRoutes()
    {
        var (hub, cs) = (Names.TaskHub("fn"), await SharedAzurite.ConnectionStringAsync());
        using var handler = await published.StartAsCustomHandlerAsync(Settings(cs, hub));
        // Every forwarded HTTP request arrives under /api (routePrefix); the invocation paths are not there.
        foreach (var path in new[] { "/api/kamflows-work", "/api/kamflows-timers", "/api/api/kamflows-work" })
        {
            using var r = await handler.Http.PostAsync(path, new StringContent(QueuePayload("{}", 1, true), System.Text.Encoding.UTF8, "application/json"));
            Assert.True(r.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{path}: {r.StatusCode}");
        }

        Assert.Equal(HttpStatusCode.OK, (await handler.Http.GetAsync("/api/health")).StatusCode);
    }

    [Fact]
    public async Task ForwardedWebhook_ThenIntakeAndEmailTimerInvocations_StartTheAccountWorkflow()
    {
        var (hub, cs) = (Names.TaskHub("fn"), await SharedAzurite.ConnectionStringAsync());
        var secret = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var settings = Settings(cs, hub);
        settings["KamFlows__Webhooks__Secrets__events"] = secret;
        using var handler = await published.StartAsCustomHandlerAsync(settings);
        await using var client = await DurableTestHost.StartAsync(_ => { }, o => o.RunBackgroundLoops = false, taskHub: hub);

        // The Functions host forwards /api/... with the raw body, so the signature computed over it verifies.
        var body = $$$"""{"specversion":"1.0","id":"evt-fn-1","source":"/crm","type":"kam.account.upserted","time":"{{{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}}}","data":{"account_id":"ACME","name":"Acme Oy","kam":{"email":"anna@kamflows.example","time_zone":"Europe/Helsinki","locale":"fi"},"head":{"email":"head@kamflows.example","time_zone":"Europe/Helsinki","locale":"en"},"currency":"EUR"}}""";
        var accepted = await handler.Http.SendAsync(SignedCloudEvent(body, secret));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Null(await client.Client.GetInstanceAsync("account:ACME")); // Loops are off: nothing happens until a trigger fires.

        var intake = await InvokeAsync(handler, "kamflows-intake", TimerPayload());
        Assert.Equal(HttpStatusCode.OK, intake.StatusCode);
        Assert.Contains("processed 1 intake event", (await intake.Content.ReadFromJsonAsync<JsonObject>())!["Logs"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(await client.Client.GetInstanceAsync("account:ACME"));

        await DeliverQueueAsync(handler, new QueueClient(cs, hub + "-work"), metadataAsStrings: false);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await client.Client.GetInstanceAsync("account:ACME"))!.RuntimeStatus);

        var email = await InvokeAsync(handler, "kamflows-email", TimerPayload());
        Assert.Equal(HttpStatusCode.OK, email.StatusCode);
    }

    private static HttpRequestMessage SignedCloudEvent(string body, string secret)
    {
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signature = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes($"{id}.{ts}.{body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/events")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/cloudevents+json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", ts);
        request.Headers.Add("webhook-signature", "v1," + signature);
        return request;
    }

    private static Dictionary<string, string> Settings(string cs, string hub) => new()
    {
        ["KamFlows__Storage__ConnectionString"] = cs,
        ["KamFlows__Storage__TaskHub"] = hub,
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>Does what the Functions host does for a queue trigger until the queue is empty: invoke, delete on success.</summary>
    private static async Task DeliverQueueAsync(RunningHandler handler, QueueClient queue, bool metadataAsStrings)
    {
        var idle = 0;
        while (idle < 10)
        {
            var messages = (await queue.ReceiveMessagesAsync(16, TimeSpan.FromSeconds(30))).Value;
            if (messages.Length == 0)
            {
                idle++;
                await Task.Delay(100);
                continue;
            }

            idle = 0;
            foreach (var m in messages)
            {
                using var response = await InvokeAsync(handler, "kamflows-work", QueuePayload(m.MessageText, m.DequeueCount, metadataAsStrings));
                Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{handler.Output}");
                await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
            }
        }
    }

    private static Task<HttpResponseMessage> InvokeAsync(RunningHandler handler, string function, string payload) =>
        handler.Http.PostAsync("/" + function, new StringContent(payload, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>The documented queue-trigger payload: the message as a JSON string; metadata numbers as numbers or strings.</summary>
    private static string QueuePayload(string message, long dequeueCount, bool asStrings)
    {
        var metadata = new JsonObject
        {
            ["DequeueCount"] = asStrings ? JsonValue.Create(dequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture)) : JsonValue.Create(dequeueCount),
            ["Id"] = Guid.NewGuid().ToString(),
            ["InsertionTime"] = DateTimeOffset.UtcNow.ToString("O"),
            ["sys"] = new JsonObject { ["MethodName"] = "kamflows-work", ["UtcNow"] = DateTimeOffset.UtcNow.ToString("O") },
        };
        return new JsonObject { ["Data"] = new JsonObject { ["message"] = message }, ["Metadata"] = metadata }.ToJsonString();
    }

    private static string TimerPayload() => """
        {"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}},"Metadata":{"sys":{"MethodName":"kamflows-timers"}}}
        """;
}
