using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using KamFlows.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace KamFlows.Host.Tests;

/// <summary>
/// No anonymous writes: every route of the local host (the OpenAPI document's and those outside it) is called without
/// the API key, with a wrong key, and webhooks without a valid signature. Every route that can change state answers
/// 401/403; only the liveness check and the OpenAPI document answer anyone, read-only; and no row of any table changes.
/// </summary>
public sealed class RouteTableSecurityTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(2));

    /// <summary>Routes anyone may read; each must also be a GET that writes nothing.</summary>
    private static readonly HashSet<string> PublicReads = new(StringComparer.Ordinal) { "GET /health", "GET /openapi/{documentName}.json" };

    [Fact]
    public async Task EveryRoute_WithoutKeyOrSignature_RefusesToChangeStateAndNothingChanges()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        // Something to protect: an account, its running workflow, a recipient, a failed-event candidate id.
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(TestEvents.Account("seed-1", "ACME", T0, "Acme"))).StatusCode);
        await host.WaitForReceivedAsync("account:ACME", 1);
        await host.WaitForIntakeDrainedAsync();

        var routes = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet(StringComparer.Ordinal);
        var documented = await DocumentedRoutesAsync(host);
        Assert.Empty(documented.Except(routes));
        Assert.Equal(["GET /openapi/{documentName}.json"], routes.Except(documented).Where(r => !IsConsole(r))); // Every other route is in the document.
        Assert.Contains("POST /console/{*path}", routes);
        Assert.Superset(PublicReads, routes);
        Assert.Contains("POST /api/health/probe", routes);
        Assert.Contains("POST /api/intake/events/{eventId}/retry", routes);

        var before = await SnapshotWhenQuietAsync(host);
        var refused = 0;
        foreach (var route in routes.Order(StringComparer.Ordinal))
        {
            var (method, template) = (route[..route.IndexOf(' ', StringComparison.Ordinal)], route[(route.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            if (IsConsole(route))
            {
                refused += await ConsoleRefusesAnonymousAsync(host, method, template);
                continue;
            }

            foreach (var attempt in Attempts(method, template))
            {
                using var response = await host.Http.SendAsync(attempt);
                var status = (int)response.StatusCode;
                if (PublicReads.Contains(route))
                {
                    Assert.True(status == 200, $"{route} answered {status} to anyone.");
                }
                else
                {
                    Assert.True(status is 401 or 403, $"{attempt.Method} {attempt.RequestUri} without a valid key or signature answered {status}.");
                    refused++;
                }
            }
        }

        var after = await SnapshotAsync(host);
        Assert.Equal(before, after);
        var instance = await host.Workflows.GetInstanceAsync("account:ACME");
        Assert.Equal(OrchestrationRuntimeStatus.Running, instance!.RuntimeStatus);
        output.WriteLine($"{routes.Count} routes ({documented.Count} in the OpenAPI document, {routes.Count - documented.Count} outside it); {refused} unauthenticated requests refused.");
    }

    /// <summary>The web console signs people in itself (issue 11): its pages and forms are checked by <see cref="ConsoleRefusesAnonymousAsync"/>.</summary>
    private static bool IsConsole(string route) => route == "GET /" || route.Contains("console/{*path}", StringComparison.Ordinal);

    /// <summary>
    /// Anyone is sent to the sign-in page and reads nothing; a form posted without its token is refused; a form posted with
    /// a valid token but nobody signed in (the token from the sign-in page) is sent to sign in and does nothing.
    /// </summary>
    private static async Task<int> ConsoleRefusesAnonymousAsync(KamFlowsTestHost host, string method, string template)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = host.Http.BaseAddress };
        var basePath = template == "/" ? "/console" : template.Replace("/{*path}", string.Empty, StringComparison.Ordinal);
        if (method == "GET")
        {
            foreach (var page in template == "/" ? [""] : new[] { "", "portfolio", "accounts", "accounts/ACME", "week", "workflows", "workflows/account%3AACME", "workflows/account%3AACME/suspend", "email" })
            {
                using var response = await client.GetAsync(template == "/" ? "/" : $"{basePath}/{page}");
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"GET {basePath}/{page} answered {(int)response.StatusCode} to anyone.");
                Assert.Contains(template == "/" ? "/console" : "/signin", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
            }

            return 0;
        }

        var signIn = await client.GetStringAsync($"{basePath}/signin");
        var token = System.Text.RegularExpressions.Regex.Match(signIn, "name=\"__af\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        var refused = 0;
        foreach (var (form, withToken) in new[] { ("workflows/account%3AACME/suspend", false), ("workflows/account%3AACME/suspend", true), ("workflows/account%3AACME/purge", true), ("email/preferences", true) })
        {
            var fields = new Dictionary<string, string> { ["email"] = "anna@kamflows.example", ["digest"] = "off", ["reason"] = "anonymous" };
            if (withToken)
            {
                fields["__af"] = token;
            }

            using var response = await client.PostAsync($"{basePath}/{form}", new FormUrlEncodedContent(fields));
            var status = (int)response.StatusCode;
            var toSignIn = response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/signin", StringComparison.Ordinal);
            Assert.True(withToken ? toSignIn : status == 400, $"POST {basePath}/{form} ({(withToken ? "with" : "without")} a form token, nobody signed in) answered {status}.");
            refused++;
        }

        return refused;
    }

    /// <summary>Requests a caller without credentials might send: no key, a wrong key; webhooks unsigned, to every source.</summary>
    private static IEnumerable<HttpRequestMessage> Attempts(string method, string template)
    {
        if (template == "/api/webhooks/{source}")
        {
            foreach (var source in new[] { "events", "hubspot", "pipedrive", "bitrix24", "amocrm" })
            {
                var body = source is "bitrix24" or "amocrm"
                    ? new StringContent("event=ONCRMDEALUPDATE&data%5BFIELDS%5D%5BID%5D=1", Encoding.UTF8, "application/x-www-form-urlencoded")
                    : new StringContent(TestEvents.Account("anon-1", "ACME", T0, "Anonymous"), Encoding.UTF8, source == "events" ? "application/cloudevents+json" : "application/json");
                var unsigned = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/{source}" + (source == "amocrm" ? "?token=wrong-token" : string.Empty)) { Content = body };
                if (source == "events")
                {
                    unsigned.Headers.Add("webhook-id", "msg_1");
                    unsigned.Headers.Add("webhook-timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
                    unsigned.Headers.Add("webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
                }

                yield return unsigned;
            }

            yield break;
        }

        var path = template
            .Replace("{documentName}", "v1", StringComparison.Ordinal)
            .Replace("{accountId}", "ACME", StringComparison.Ordinal)
            .Replace("{instanceId}", "account:ACME", StringComparison.Ordinal)
            .Replace("{eventName}", "kam.event", StringComparison.Ordinal)
            .Replace("{eventId}", "seed-1", StringComparison.Ordinal)
            .Replace("{email}", "anna@kamflows.example", StringComparison.Ordinal)
            .Replace("{token}", "anna%40kamflows.example.Zm9yZ2Vk", StringComparison.Ordinal)
            .Replace("{id}", "x", StringComparison.Ordinal);
        Assert.DoesNotContain("{", path, StringComparison.Ordinal);
        foreach (var key in new[] { null, "wrong-key-0123456789abcdef" })
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT" or "PATCH" or "DELETE")
            {
                // A body the handler would accept, so that a missing check would show as a change.
                request.Content = new StringContent(template.EndsWith("/preferences", StringComparison.Ordinal)
                    ? """{"digest":"off","nonEssentialOptOut":true}"""
                    : """{"email":"anna@kamflows.example","name":"Anna","timeZone":"Europe/Helsinki","locale":"fi","role":"kam"}""", Encoding.UTF8, "application/json");
            }

            if (key is not null)
            {
                request.Headers.Add("X-Api-Key", key);
            }

            yield return request;
        }
    }

    private static async Task<HashSet<string>> DocumentedRoutesAsync(KamFlowsTestHost host)
    {
        var document = await host.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        return document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(op => op.Name is "get" or "post" or "put" or "patch" or "delete")
                .Select(op => $"{op.Name.ToUpperInvariant()} {p.Name}"))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>A snapshot once background loops have settled (two reads in a row agree).</summary>
    private static async Task<string> SnapshotWhenQuietAsync(KamFlowsTestHost host)
    {
        var last = await SnapshotAsync(host);
        var quiet = string.Empty;
        await Eventually.WaitUntilAsync(async () =>
        {
            var now = await SnapshotAsync(host);
            var same = now == last;
            last = now;
            quiet = now;
            return same;
        });
        return quiet;
    }

    /// <summary>Every row (table, keys, ETag) of the host's tables, but the task hub's partition leases, which renew on their own.</summary>
    private static async Task<string> SnapshotAsync(KamFlowsTestHost host)
    {
        var service = new TableServiceClient(host.ConnectionString);
        var rows = new List<string>();
        await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(host.TaskHub) >= 0 && t.Name.CompareTo(host.TaskHub + "~") < 0))
        {
            if (table.Name.EndsWith("Partitions", StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (var row in service.GetTableClient(table.Name).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            {
                rows.Add($"{table.Name}|{row.PartitionKey}|{row.RowKey}|{row.ETag}");
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return string.Join("\n", rows);
    }
}
