// Application Insights through OpenTelemetry, end to end: the real host with a connection string whose IngestionEndpoint is
// a local HTTP server standing in for Application Insights; what the exporter posts there is asserted.
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using KamFlows.Api.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KamFlows.Host.Tests;

public sealed class TelemetryTests
{
    private const string InstrumentationKey = "6f1c1c1e-3d3a-4a57-9a39-2f54d6a1b0c7";

    [Fact]
    public async Task ConnectionString_Set_RequestsActivitiesAndKamFlowsMetricsReachApplicationInsights()
    {
        await using var ingestion = await FakeIngestion.StartAsync();
        var items = new List<JsonElement>();
        string taskHub;
        await using (var host = await KamFlowsTestHost.StartAsync(s =>
        {
            s[TelemetryExtensions.ConnectionStringSetting] = $"InstrumentationKey={InstrumentationKey};IngestionEndpoint={ingestion.Address}";
            s["OTEL_SERVICE_NAME"] = "kamflows-telemetry-test";
            s[TelemetryExtensions.SamplingRatioSetting] = "1"; // Every trace: the default rate limit could sample this test's requests out.
        }))
        {
            taskHub = host.TaskHub;
            Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/health")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await host.Management.PostAsync("/api/health/probe?timerSeconds=0", null)).StatusCode);
            var events = await host.PostEventsAsync(TestEvents.Account("tel-1", "TELEMETRY", DateTimeOffset.UtcNow, "Telemetry Oy"));
            Assert.Equal(HttpStatusCode.Accepted, events.StatusCode);
        } // Disposing the host shuts the providers down, which exports what is buffered (traces, metrics, logs).

        items.AddRange(ingestion.Items);
        Assert.Empty(ingestion.Other);
        Assert.All(items, item => Assert.Equal(InstrumentationKey, item.GetProperty("iKey").GetString()));
        Assert.All(items, item => Assert.Equal("kamflows-telemetry-test", item.GetProperty("tags").GetProperty("ai.cloud.role").GetString()));

        var requests = items.Where(i => BaseType(i) == "RequestData").Select(i => i.GetProperty("data").GetProperty("baseData")).ToList();
        static string Url(JsonElement r) => r.TryGetProperty("url", out var url) ? url.GetString() ?? string.Empty : string.Empty; // Orchestration spans have none.
        Assert.Contains(requests, r => Url(r).EndsWith("/health", StringComparison.Ordinal) && r.GetProperty("responseCode").GetString() == "200");
        Assert.Contains(requests, r => Url(r).Contains("/api/webhooks/events", StringComparison.Ordinal) && r.GetProperty("responseCode").GetString() == "202");

        var dependencies = items.Where(i => BaseType(i) == "RemoteDependencyData").Select(i => i.GetProperty("data").GetProperty("baseData")).ToList();
        var spans = requests.Concat(dependencies).Select(d => d.GetProperty("name").GetString()!).ToList();
        Assert.Contains(spans, name => name.StartsWith("activity:HealthProbeEcho", StringComparison.Ordinal)); // DurableTask.Core's own spans.
        Assert.Contains(spans, name => name.StartsWith("orchestration:HealthProbe", StringComparison.Ordinal));
        // Storage calls are counted, not traced (this test's own calls to the host are, being in the same process).
        Assert.DoesNotContain(dependencies, d => d.TryGetProperty("data", out var url) && url.GetString()!.Contains(taskHub, StringComparison.OrdinalIgnoreCase));

        var metrics = items.Where(i => BaseType(i) == "MetricData")
            .SelectMany(i => i.GetProperty("data").GetProperty("baseData").GetProperty("metrics").EnumerateArray()
                .Select(m => (Name: m.GetProperty("name").GetString()!, Properties: i.GetProperty("data").GetProperty("baseData").TryGetProperty("properties", out var p) ? p.GetRawText() : "")))
            .ToList();
        Assert.Contains(metrics, m => m.Name == "kamflows.intake.events" && m.Properties.Contains("\"kamflows.source\":\"events\"", StringComparison.Ordinal));
        Assert.Contains(metrics, m => m.Name == "kamflows.activities" && m.Properties.Contains("HealthProbeEcho", StringComparison.Ordinal));
        Assert.Contains(metrics, m => m.Name == "kamflows.storage.requests" && m.Properties.Contains("\"kamflows.storage.service\":\"table\"", StringComparison.Ordinal));
        Assert.Contains(metrics, m => m.Name == "kamflows.storage.requests" && m.Properties.Contains("\"kamflows.storage.service\":\"taskhub\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("garbage-without-pairs")]
    [InlineData("InstrumentationKey=secret-but-not-a-guid;IngestionEndpoint=https://example.invalid/")]
    [InlineData("IngestionEndpoint=https://example.invalid/")]
    public void ConnectionString_Malformed_FailsAtStartUpNamingTheSettingWithoutEchoingIt(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryExtensions.ConnectionStringSetting] = value }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddKamFlowsTelemetry(configuration));
        Assert.Contains(TelemetryExtensions.ConnectionStringSetting, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TelemetryExtensions.TracesPerSecondSetting, "0", null, null)]
    [InlineData(TelemetryExtensions.TracesPerSecondSetting, "-1", null, null)]
    [InlineData(TelemetryExtensions.SamplingRatioSetting, "1.5", null, null)]
    [InlineData(TelemetryExtensions.SamplingRatioSetting, "0.5", TelemetryExtensions.TracesPerSecondSetting, "5")]
    public void Sampling_OutOfRangeOrBothSet_FailsAtStartUp(string key, string value, string? otherKey, string? otherValue)
    {
        var settings = new Dictionary<string, string?> { [TelemetryExtensions.ConnectionStringSetting] = $"InstrumentationKey={InstrumentationKey}", [key] = value };
        if (otherKey is not null)
        {
            settings[otherKey] = otherValue;
        }

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddKamFlowsTelemetry(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectionString_Absent_RegistersNothing()
    {
        var services = new ServiceCollection();
        Assert.False(services.AddKamFlowsTelemetry(new ConfigurationBuilder().Build()));
        Assert.Empty(services);
    }

    private static string? BaseType(JsonElement item) =>
        item.TryGetProperty("data", out var data) && data.TryGetProperty("baseType", out var type) ? type.GetString() : null;

    /// <summary>Accepts what the Azure Monitor exporter posts to {IngestionEndpoint}/v2.1/track (gzip, newline-delimited JSON).</summary>
    private sealed class FakeIngestion : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<JsonElement> _items = new();

        private FakeIngestion(WebApplication app) => _app = app;

        public string Address { get; private set; } = "";

        public IReadOnlyList<JsonElement> Items => [.. _items];

        public ConcurrentQueue<string> Other { get; } = new();

        public static async Task<FakeIngestion> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var ingestion = new FakeIngestion(app);
            app.MapPost("/v2.1/track", async (HttpRequest request) =>
            {
                Stream body = request.Body;
                if (request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
                {
                    body = new GZipStream(request.Body, CompressionMode.Decompress);
                }

                using var reader = new StreamReader(body);
                var count = 0;
                while (await reader.ReadLineAsync() is { } line)
                {
                    if (line.Length > 0)
                    {
                        ingestion._items.Enqueue(JsonDocument.Parse(line).RootElement.Clone());
                        count++;
                    }
                }

                return Results.Json(new { itemsReceived = count, itemsAccepted = count, errors = Array.Empty<object>() });
            });
            app.MapFallback((HttpRequest request) => { ingestion.Other.Enqueue(request.Method + " " + request.Path); return Results.NotFound(); });
            await app.StartAsync();
            ingestion.Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
            return ingestion;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
