// The local host's routes: the shared handlers of KamFlows.Api mapped with minimal APIs (the Functions app maps the
// same handlers to HTTP triggers). Names, summaries and response types feed the OpenAPI document at /openapi/v1.json.
using KamFlows.Api.Health;
using KamFlows.Api.Management;
using KamFlows.Api.Webhooks;
using KamFlows.Infrastructure.Notifications.Api;
using KamFlows.WebConsole;
using Microsoft.DurableTask.Client;

namespace KamFlows.Host;

public static class HostRoutes
{
    public static WebApplication MapKamFlowsEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // Liveness without a key: read-only, says only that the host answers. Everything else about health needs the key.
        app.MapGet("/health", (Func<HttpContext, IResult>)HealthApi.Live).WithTags("Health").WithName("Liveness")
            .WithSummary("Liveness: the host answers (no key; no details)").Produces<LivenessReport>();

        app.MapPost("/api/webhooks/{source}", (HttpContext http, string source) => WebhookApi.ReceiveAsync(http, source))
            .WithName("ReceiveWebhook")
            .WithTags("Webhooks")
            .WithSummary("Receives CRM webhooks and canonical CloudEvents")
            .WithDescription("Sources: events (CloudEvents 1.0, Standard Webhooks signature), hubspot (signature v3), pipedrive (webhooks v2, basic auth), " +
                "bitrix24 (form, auth[application_token]), amocrm (form, ?token=). 202 once stored; 200 for duplicates or when no mapping rule applies.")
            .Accepts<object>("application/cloudevents+json", "application/cloudevents-batch+json", "application/json", "application/x-www-form-urlencoded")
            .Produces<WebhookReceipt>(StatusCodes.Status202Accepted)
            .Produces<WebhookReceipt>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        app.MapOpenApi();
        var api = app.MapGroup("/api").WithTags("Management").AddEndpointFilter<ApiKeyFilter>().ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapGet("/health", (Func<HttpContext, IResult>)HealthApi.Get).WithTags("Health").WithName("Health")
            .WithSummary("Storage in use, task hub and storage requests made").Produces<HealthReport>();
        api.MapPost("/health/probe", (HttpContext http, DurableTaskClient client) => HealthApi.ProbeAsync(http, client)).WithTags("Health").WithName("RunHealthProbe")
            .WithSummary("A durable round trip through the task hub (control queue, activity, timer; ?timerSeconds=)")
            .Produces<ProbeReport>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/accounts", (Func<HttpContext, Task<IResult>>)ManagementApi.ListAccountsAsync).WithName("ListAccounts")
            .WithSummary("Accounts with their groups (Breadwinner computed) and revenue share").Produces<AccountList>();
        api.MapGet("/accounts/{accountId}", (HttpContext http, string accountId, DurableTaskClient client) => ManagementApi.GetAccountAsync(http, accountId, client))
            .WithName("GetAccount").WithSummary("One account: DMU, business objects, timeline (?timelineLimit=), running workflows and upcoming scheduled actions")
            .Produces<AccountDetail>().ProducesProblem(404);
        api.MapGet("/accounts/{accountId}/timeline", (HttpContext http, string accountId) => ManagementApi.GetTimelineAsync(http, accountId)).WithName("GetTimeline")
            .WithSummary("Every event KamFlows saw or caused for the account, in time order (?from=&limit=)").Produces<IReadOnlyList<KamFlows.Infrastructure.Timeline.TimelineEntry>>();
        api.MapGet("/people/{email}/upcoming", (HttpContext http, string email) => ManagementApi.GetUpcomingForPersonAsync(http, email)).WithName("GetUpcomingForPerson")
            .WithSummary("What will fire for one KAM or head across accounts, and their open tasks (due in the past = overdue; ?days=&overdueDays=)")
            .Produces<UpcomingForPerson>().ProducesProblem(400).ProducesProblem(503);
        api.MapGet("/portfolio", (Func<HttpContext, Task<IResult>>)ManagementApi.GetPortfolioAsync).WithName("GetPortfolio")
            .WithSummary("Pareto/ABC report and concentration warnings").Produces<PortfolioView>().ProducesProblem(422);
        api.MapGet("/instances", (HttpContext http, DurableTaskClient client) => ManagementApi.QueryInstancesAsync(http, client)).WithName("QueryInstances")
            .WithSummary("Workflow instances by status, name, id prefix and creation time").Produces<InstancePage>().ProducesProblem(400);
        api.MapGet("/instances/{instanceId}", (HttpContext http, string instanceId, DurableTaskClient client) => ManagementApi.GetInstanceAsync(http, instanceId, client))
            .WithName("GetInstance").WithSummary("One workflow instance with its history").Produces<InstanceDetail>().ProducesProblem(404);
        api.MapPost("/instances/{instanceId}/events/{eventName}", (HttpContext http, string instanceId, string eventName, DurableTaskClient client) =>
            ManagementApi.RaiseEventAsync(http, instanceId, eventName, client)).WithName("RaiseEvent").WithSummary("Raises an event (JSON body) on an instance")
            .Produces<ControlResult>(StatusCodes.Status202Accepted).ProducesProblem(404);
        api.MapPost("/instances/{instanceId}/terminate", (HttpContext http, string instanceId, DurableTaskClient client) => ManagementApi.TerminateAsync(http, instanceId, client))
            .WithName("TerminateInstance").Produces<ControlResult>(StatusCodes.Status202Accepted).ProducesProblem(404);
        api.MapPost("/instances/{instanceId}/suspend", (HttpContext http, string instanceId, DurableTaskClient client) => ManagementApi.SuspendAsync(http, instanceId, client))
            .WithName("SuspendInstance").Produces<ControlResult>(StatusCodes.Status202Accepted).ProducesProblem(404);
        api.MapPost("/instances/{instanceId}/resume", (HttpContext http, string instanceId, DurableTaskClient client) => ManagementApi.ResumeAsync(http, instanceId, client))
            .WithName("ResumeInstance").Produces<ControlResult>(StatusCodes.Status202Accepted).ProducesProblem(404);

        api.MapGet("/intake/failed", (Func<HttpContext, Task<IResult>>)ParkedEventsApi.ListFailedAsync).WithTags("Intake").WithName("ListFailedEvents")
            .WithSummary("Events parked as failed, every shard (?pageSize=&continuationToken=)").Produces<ParkedEventList>().ProducesProblem(400);
        api.MapGet("/intake/events/{eventId}", (HttpContext http, string eventId) => ParkedEventsApi.GetAsync(http, eventId)).WithTags("Intake").WithName("GetIntakeEvent")
            .WithSummary("One accepted event: status, last error and the event as kept (no personal data)").Produces<ParkedEventDetail>().ProducesProblem(400).ProducesProblem(404);
        api.MapPost("/intake/events/{eventId}/retry", (HttpContext http, string eventId) => ParkedEventsApi.RetryAsync(http, eventId)).WithTags("Intake").WithName("RetryFailedEvent")
            .WithSummary("Queues a failed event again, processed as a freshly accepted one").Produces<ParkedEventResult>(StatusCodes.Status202Accepted)
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        api.MapPost("/intake/events/{eventId}/discard", (HttpContext http, string eventId) => ParkedEventsApi.DiscardAsync(http, eventId)).WithTags("Intake").WithName("DiscardFailedEvent")
            .WithSummary("Gives up on a failed event; its id stays known (a re-send is a duplicate)").Produces<ParkedEventResult>(StatusCodes.Status202Accepted)
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        app.MapEmailApi(app.Services.GetRequiredService<ApiKeyFilter>());
        app.MapKamFlowsConsole(); // The web console at /console (and /api/console, its address in the Functions app).
        return app;
    }
}
