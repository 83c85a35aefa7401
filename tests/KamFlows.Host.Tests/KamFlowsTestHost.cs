// The real KamFlows host (HostComposition: webhooks, management API, intake processor, durable runtime) on a free
// loopback port, against the test run's Azurite, in a task hub of its own. Workflows are stood in by EventRecorder.
using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using KamFlows.DevStorage;
using KamFlows.Infrastructure.Intake.Events;
using KamFlows.Infrastructure.Storage;
using KamFlows.Testing;
using KamFlows.Workflows;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KamFlows.Host.Tests;

public sealed class KamFlowsTestHost : IAsyncDisposable
{
    public const string EventsSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string RotatedEventsSecret = "whsec_c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24tdGVzdHM=";
    public const string HubSpotSecret = "hubspot-client-secret-for-tests";
    public const string PipedriveCredentials = "kamflows:pipedrive-password";
    public const string BitrixToken = "bitrix-application-token-0123456789";
    public const string AmoToken = "amo-url-token-0123456789abcdef";
    public const string ApiKey = "test-api-key-0123456789abcdef";

    private readonly WebApplication _app;

    private KamFlowsTestHost(WebApplication app, string taskHub, string connectionString, Uri address)
    {
        _app = app;
        TaskHub = taskHub;
        ConnectionString = connectionString;
        Http = new HttpClient { BaseAddress = address };
        Management = new HttpClient { BaseAddress = address };
        Management.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    public string TaskHub { get; }
    public string ConnectionString { get; }
    public HttpClient Http { get; }
    public HttpClient Management { get; }
    public IServiceProvider Services => _app.Services;
    public DurableTaskClient Workflows => Services.GetRequiredService<DurableTaskClient>();

    public static string MappingPath(string crm) => Path.Combine(RepositoryRoot.Find(), "samples", "mappings", crm + ".json");

    public static Dictionary<string, string?> DefaultSettings() => new()
    {
        ["KamFlows:Webhooks:Secrets:events"] = RotatedEventsSecret + "," + EventsSecret,
        ["KamFlows:Webhooks:Secrets:hubspot"] = HubSpotSecret,
        ["KamFlows:Webhooks:Secrets:pipedrive"] = PipedriveCredentials,
        ["KamFlows:Webhooks:Secrets:bitrix24"] = BitrixToken,
        ["KamFlows:Webhooks:Secrets:amocrm"] = AmoToken,
        ["KamFlows:Webhooks:Mappings:hubspot"] = MappingPath("hubspot"),
        ["KamFlows:Webhooks:Mappings:pipedrive"] = MappingPath("pipedrive"),
        ["KamFlows:Webhooks:Mappings:bitrix24"] = MappingPath("bitrix24"),
        ["KamFlows:Webhooks:Mappings:amocrm"] = MappingPath("amocrm"),
        ["KamFlows:Api:Keys:0"] = ApiKey,
        ["KamFlows:TaskHub:MaxQueuePollingInterval"] = "00:00:00.500",
        ["KamFlows:TaskHub:PartitionCount"] = "1",
        ["KamFlows:Intake:RetryDelay"] = "00:00:00.100",
    };

    public static async Task<KamFlowsTestHost> StartAsync(Action<Dictionary<string, string?>>? configure = null, bool recordWorkflows = true, ILoggerProvider? logs = null,
        Action<IServiceCollection>? services = null)
    {
        var cs = await SharedAzurite.ConnectionStringAsync();
        var hub = Names.TaskHub("h");
        var settings = DefaultSettings();
        settings["KamFlows:Storage:ConnectionString"] = cs;
        settings["KamFlows:Storage:TaskHub"] = hub;
        configure?.Invoke(settings);
        hub = settings["KamFlows:Storage:TaskHub"]!;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        if (Environment.GetEnvironmentVariable("KAMFLOWS_TEST_LOGS") is { Length: > 0 })
        {
            builder.Logging.AddSimpleConsole();
        }

        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>()!;
        builder.Services.AddKamFlowsHost(builder.Configuration, ResolvedStorage.FromOptions(storage), recordWorkflows ? EventRecorder.RegisterForEveryWorkflow : null);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapKamFlowsEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KamFlowsTestHost(app, hub, cs, new Uri(address));
    }

    public TableClient Table(string name) => new(ConnectionString, TaskHub + name);

    /// <summary>Rows in one of KamFlows' tables (0 when the table does not exist yet).</summary>
    public async Task<int> CountRowsAsync(string name)
    {
        var n = 0;
        try
        {
            await foreach (var _ in Table(name).QueryAsync<TableEntity>(select: ["PartitionKey"]))
            {
                n++;
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }

        return n;
    }

    /// <summary>Rows written by intake and processing: intake, accounts, personal data, timeline.</summary>
    public async Task<int> CountStateRowsAsync() =>
        await CountRowsAsync("Intake") + await CountRowsAsync("Accounts") + await CountRowsAsync("PersonalData") + await CountRowsAsync("Timeline");

    /// <summary>A Standard Webhooks signed request to /api/webhooks/events.</summary>
    public static HttpRequestMessage SignedEvents(string body, string mediaType = "application/cloudevents+json", string secret = EventsSecret,
        DateTimeOffset? at = null, string? messageId = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var id = messageId ?? "msg_" + Guid.NewGuid().ToString("N");
        var ts = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/events") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", StandardWebhookVerifier.Sign(StandardWebhookVerifier.KeyOf(secret), id, ts, bytes));
        return request;
    }

    public async Task<HttpResponseMessage> PostEventsAsync(string body, string mediaType = "application/cloudevents+json") =>
        await Http.SendAsync(SignedEvents(body, mediaType));

    /// <summary>Waits until the intake has no pending event left (everything accepted was processed).</summary>
    public async Task WaitForIntakeDrainedAsync()
    {
        await Eventually.WaitUntilAsync(async () =>
        {
            var pending = 0;
            await foreach (var _ in Table("Intake").QueryAsync<TableEntity>(filter: "RowKey ge 'q|' and RowKey lt 'q}'", select: ["PartitionKey"]))
            {
                pending++;
            }

            return pending == 0;
        });
    }

    /// <summary>Event ids a workflow instance received, in order (empty when it does not exist).</summary>
    public async Task<IReadOnlyList<string>> ReceivedByAsync(string instanceId)
    {
        var m = await Workflows.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
        return m?.SerializedCustomStatus is { } ? m.ReadCustomStatusAs<List<string>>() ?? [] : [];
    }

    /// <summary>Waits until the instance received <paramref name="count"/> events and returns their ids in order.</summary>
    public async Task<IReadOnlyList<string>> WaitForReceivedAsync(string instanceId, int count)
    {
        IReadOnlyList<string> received = [];
        await Eventually.WaitUntilAsync(async () => (received = await ReceivedByAsync(instanceId)).Count >= count);
        return received;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Management.Dispose();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>
/// Stands in for every workflow: records the ids of the canonical events it receives (those given with the start, then
/// those raised), in order, in its custom status. Continues as new every 20 events, as the real workflows do.
/// </summary>
public sealed class EventRecorder : TaskOrchestrator<RecorderInput, string>
{
    public static void RegisterForEveryWorkflow(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var name in new[] { WorkflowCatalog.ProposalFollowUp, WorkflowCatalog.TenderPreparation, WorkflowCatalog.SaleCycle, WorkflowCatalog.ReferenceLetter, WorkflowCatalog.AccountCare, WorkflowCatalog.ComplaintHandling, WorkflowCatalog.MeetingPreparation })
        {
            registry.AddOrchestrator(name, () => new EventRecorder());
        }
    }

    public override async Task<string> RunAsync(TaskOrchestrationContext context, RecorderInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var received = new List<string>(input?.Received ?? []);
        received.AddRange((input?.Events ?? []).Select(json => Domain.Events.CanonicalEventParser.ParseOrThrow(json).Id));
        context.SetCustomStatus(received);
        for (var i = 0; i < 20; i++)
        {
            // One event as a JSON string, or several (intake's batches) as an array of them.
            var data = await context.WaitForExternalEvent<System.Text.Json.JsonElement>(WorkflowCatalog.CanonicalEventName);
            var jsons = data.ValueKind == System.Text.Json.JsonValueKind.Array ? data.EnumerateArray().Select(e => e.GetString()!).ToList() : [data.GetString()!];
            received.AddRange(jsons.Select(json => Domain.Events.CanonicalEventParser.ParseOrThrow(json).Id));
            context.SetCustomStatus(received);
        }

        context.ContinueAsNew(new RecorderInput { Received = received });
        return "continued";
    }
}

/// <summary>The start input intake gives every workflow (its events), or what the recorder carries over.</summary>
public sealed record RecorderInput
{
    public IReadOnlyList<string>? Events { get; init; }

    public IReadOnlyList<string>? Received { get; init; }
}
