using System.Globalization;
using System.Text;
using KamFlows.Api;
using KamFlows.Api.Management;
using KamFlows.Functions.Http;
using KamFlows.Functions.Timers;
using KamFlows.Functions.Workflows;
using KamFlows.Infrastructure.Intake;
using KamFlows.Infrastructure.Intake.Events;
using KamFlows.Infrastructure.Notifications;
using KamFlows.Testing;
using KamFlows.Workflows.Simulation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KamFlows.Functions.Tests;

/// <summary>
/// The Functions app's services (FunctionsComposition) started as the worker starts them, against the test run's Azurite,
/// and its function bodies called as the Functions host would call them. The task hub is the workflows' virtual task hub,
/// with the app's services, so the real orchestrators and activities run on a clock the test moves.
/// </summary>
public sealed class FunctionsAppTests : IAsyncLifetime
{
    private const string ApiKey = "functions-app-api-key-0123456789";

    // Monday 2 March 2026, 09:00 in Helsinki (EET): a working morning for the KAM.
    private static readonly DateTimeOffset Monday0900Helsinki = new(2026, 3, 2, 7, 0, 0, TimeSpan.Zero);

    private readonly string _secret = StandardWebhookVerifier.SecretPrefix + Convert.ToBase64String(Guid.NewGuid().ToByteArray());
    private readonly string _sink = Directory.CreateTempSubdirectory("kamflows-functions-sink-").FullName;
    private readonly VirtualClock _clock = new(Monday0900Helsinki);
    private IHost _app = null!;

    public async Task InitializeAsync() => _app = await StartAsync(_ => { });

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        _app.Dispose();
        Directory.Delete(_sink, recursive: true);
    }

    [Fact]
    public void Start_TheSharedRegistration_LeavesIntakeAndEmailToTheTimers()
    {
        var hosted = _app.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();

        Assert.False(_app.Services.GetRequiredService<IntakeOptions>().ProcessInBackground);
        Assert.DoesNotContain(typeof(EmailDeliveryService), hosted);
        Assert.Same(_clock, _app.Services.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void Start_EveryActivityTheAppRuns_IsBuiltFromItsServices()
    {
        var activities = KamFlowsServices.RegisterTasks(new DurableTaskRegistry()).GetActivities().ToList();

        Assert.NotEmpty(activities);
        // The activity functions build the same classes from the invocation's services (ActivityRunner): every port must be there.
        Assert.All(activities, a => Assert.NotNull(a.Value(_app.Services)));
    }

    [Fact]
    public async Task Start_InvalidSetting_FailsNamingTheKey()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(s => s["KamFlows:Intake:MaxEventsPerTransaction"] = "99"));

        Assert.Contains("KamFlows:Intake:MaxEventsPerTransaction", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnresolvedKeyVaultReferences_CountAsNotSet()
    {
        const string Unresolved = "@Microsoft.KeyVault(SecretUri=https://kv-kamflows.vault.azure.net/secrets/{0}/)";
        using var app = await StartAsync(s =>
        {
            s["KamFlows:Webhooks:Secrets:events"] = string.Format(CultureInfo.InvariantCulture, Unresolved, "webhook-secret-events");
            s["KamFlows:Webhooks:Secrets:hubspot"] = string.Format(CultureInfo.InvariantCulture, Unresolved, "webhook-secret-hubspot");
            s["KamFlows:Api:Keys:0"] = string.Format(CultureInfo.InvariantCulture, Unresolved, "management-api-key");
            s["KamFlows:Email:SendGridApiKey"] = string.Format(CultureInfo.InvariantCulture, Unresolved, "sendgrid-api-key");
        });

        // Started: no "must be whsec_" or missing-mapping failure for a secret nobody has set yet.
        Assert.Empty(app.Services.GetRequiredService<KamFlows.Api.Webhooks.WebhookSources>().Enabled);
        var locked = app.Services.GetRequiredService<ApiKeyCheck>().Refuse(new DefaultHttpContext().Request);
        Assert.Equal("Management API locked", Assert.IsType<ProblemHttpResult>(locked).ProblemDetails.Title);
        Assert.False(app.Services.GetRequiredService<EmailOptions>().UsesSendGrid);
        await app.StopAsync();
    }

    [Fact]
    public async Task Start_CrmSecretWithThePackagedMapping_EnablesTheSource()
    {
        using var app = await StartAsync(s =>
        {
            s["KamFlows:Webhooks:Secrets:hubspot"] = "hubspot-client-secret-for-tests";
            s["KamFlows:Webhooks:Mappings:hubspot"] = "mappings/hubspot.json"; // As infra/app/api.bicep sets it, relative to the app's folder.
        });

        Assert.Contains("hubspot", app.Services.GetRequiredService<KamFlows.Api.Webhooks.WebhookSources>().Enabled);
        await app.StopAsync();
    }

    [Fact]
    public void Composition_WithAnApplicationInsightsConnectionString_ExportsTelemetryAsTheLocalHostDoes()
    {
        var settings = new Dictionary<string, string?>
        {
            ["KamFlows:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            [Api.Telemetry.TelemetryExtensions.ConnectionStringSetting] = "InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://example.invalid/",
        };
        var withTelemetry = new ServiceCollection().AddKamFlowsFunctions(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        settings.Remove(Api.Telemetry.TelemetryExtensions.ConnectionStringSetting);
        var without = new ServiceCollection().AddKamFlowsFunctions(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

        static bool HasOpenTelemetry(IServiceCollection services) => services.Any(d => d.ServiceType.FullName?.StartsWith("OpenTelemetry.", StringComparison.Ordinal) == true);
        Assert.True(HasOpenTelemetry(withTelemetry));
        Assert.False(HasOpenTelemetry(without));
    }

    [Fact]
    public void Composition_WithoutStorage_FailsNamingTheSettings()
    {
        var configuration = new ConfigurationBuilder().Build();

        var ex = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddKamFlowsFunctions(configuration));

        Assert.Contains("KamFlows:Storage:TableServiceUri", ex.Message, StringComparison.Ordinal);
        Assert.Contains("KamFlows:Storage:ConnectionString", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedWebhook_ThenTheIntakeAndEmailTimers_RunTheWorkflowsAndSendTheCallTask()
    {
        var hub = new VirtualTaskHub(KamFlowsServices.RegisterTasks(new DurableTaskRegistry()), _app.Services, _clock);
        DurableTaskClient client = new VirtualTaskHubClient(hub);
        var batch = $"[{Account("evt-fn-1")},{ProposalSent("evt-fn-2")}]";

        var received = await WebhookFunctions.ReceiveWebhookAsync(SignedEvents(batch), "events");
        var unsigned = await WebhookFunctions.ReceiveWebhookAsync(Request("POST", "/api/webhooks/events", batch, "application/cloudevents-batch+json"), "events");

        Assert.Equal(StatusCodes.Status202Accepted, Assert.IsAssignableFrom<IStatusCodeHttpResult>(received).StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(unsigned).StatusCode);
        Assert.Null(hub.GetInstance("account:ACME")); // Stored only: the intake timer processes it.

        await TriggeredWorkFunctions.ProcessIntakeAsync(new TimerInfo(), client, Invocation());
        await hub.RunUntilIdleAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Running, hub.GetInstance("account:ACME")?.RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Running, hub.GetInstance("proposal:P-1")?.RuntimeStatus);
        var profile = await WorkflowActivities.ReadAccountProfileAsync("ACME", "proposal:P-1", Invocation());
        Assert.Equal("Acme Oy", profile?.Name);
        var accounts = await ManagementFunctions.ListAccountsAsync(Request("GET", "/api/accounts", key: ApiKey));
        Assert.Contains(Assert.IsType<Ok<AccountList>>(accounts).Value!.Accounts, a => a.Id == "ACME");

        // No acknowledgement by Tuesday 09:00: the KAM gets the call task, sent by the email timer through the local sink.
        await hub.AdvanceToAsync(Monday0900Helsinki.AddDays(1).AddMinutes(30));
        await TriggeredWorkFunctions.DeliverEmailAsync(new TimerInfo(), Invocation());

        var sent = Directory.GetFiles(_sink, "*.eml").Select(File.ReadAllText).ToList();
        Assert.Contains(sent, eml => eml.Contains("anna@kamflows.example", StringComparison.Ordinal) && eml.Contains("P-1", StringComparison.Ordinal));
        Assert.Null(hub.GetInstance("proposal:P-1")!.FailureDetails);
    }

    private async Task<IHost> StartAsync(Action<Dictionary<string, string?>> configure)
    {
        var settings = new Dictionary<string, string?>
        {
            ["KamFlows:Storage:ConnectionString"] = await SharedAzurite.ConnectionStringAsync(),
            ["KamFlows:Storage:TaskHub"] = Names.TaskHub("fa"),
            ["KamFlows:Webhooks:Secrets:events"] = _secret,
            ["KamFlows:Api:Keys:0"] = ApiKey,
            ["KamFlows:Email:FromAddress"] = "kam-bot@kamflows.example",
            ["KamFlows:Email:LocalSinkFolder"] = _sink,
        };
        configure(settings);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(_clock); // The shared registration keeps a clock that is already there.
        builder.Services.AddKamFlowsFunctions(builder.Configuration);
        var app = builder.Build();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            app.Dispose();
            throw;
        }

        return app;
    }

    private TestFunctionContext Invocation() => new(_app.Services);

    private HttpRequest Request(string method, string path, string? body = null, string? contentType = null, string? key = null)
    {
        var http = new DefaultHttpContext { RequestServices = _app.Services };
        http.Request.Method = method;
        http.Request.Scheme = "https";
        http.Request.Host = new HostString("func-kamflows.azurewebsites.net");
        http.Request.Path = path;
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentLength = bytes.Length;
            http.Request.ContentType = contentType;
        }

        if (key is not null)
        {
            http.Request.Headers[ApiOptions.HeaderName] = key;
        }

        return http.Request;
    }

    private HttpRequest SignedEvents(string body)
    {
        var request = Request("POST", "/api/webhooks/events", body, "application/cloudevents-batch+json");
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
        request.Headers["webhook-id"] = id;
        request.Headers["webhook-timestamp"] = timestamp.ToString(CultureInfo.InvariantCulture);
        request.Headers["webhook-signature"] = StandardWebhookVerifier.Sign(StandardWebhookVerifier.KeyOf(_secret), id, timestamp, Encoding.UTF8.GetBytes(body));
        return request;
    }

    private static string Time => Monday0900Helsinki.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Account(string id) => $$$"""
        {"specversion":"1.0","id":"{{{id}}}","source":"/crm","type":"kam.account.upserted","time":"{{{Time}}}","data":{"account_id":"ACME","name":"Acme Oy",
         "kam":{"email":"anna@kamflows.example","name":"Anna","time_zone":"Europe/Helsinki","locale":"en"},
         "head":{"email":"head@kamflows.example","time_zone":"Europe/Helsinki","locale":"en"},"currency":"EUR","is_key_account":true}}
        """;

    private static string ProposalSent(string id) => $$$"""
        {"specversion":"1.0","id":"{{{id}}}","source":"/crm","type":"kam.proposal.sent","time":"{{{Time}}}","data":{"proposal_id":"P-1","account_id":"ACME",
         "total":{"amount":120000,"currency":"EUR"},"valid_until":"2026-06-30","addressed_roles":["finance"]}}
        """;
}
