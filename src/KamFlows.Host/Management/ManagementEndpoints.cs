using System.Text.Json;
using KamFlows.Domain.Events;
using KamFlows.Host.Webhooks;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Timeline;
using KamFlows.Workflows.Ports;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace KamFlows.Host.Management;

/// <summary>The management API under /api (API key in X-Api-Key) and the OpenAPI document at /openapi/v1.json.</summary>
public static class ManagementEndpoints
{
    private static readonly string[] ObjectKinds =
    [
        AccountRows.Opportunity, AccountRows.Proposal, AccountRows.Tender, AccountRows.Contract, AccountRows.Delivery,
        AccountRows.Complaint, AccountRows.Meeting, AccountRows.Reference, AccountRows.Revenue,
    ];

    public static IServiceCollection AddManagement(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddKamFlowsAccountState(configuration);
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>>(new DelegateValidator<ApiOptions>(o => o.Validate()));
        services.AddSingleton<ApiKeyFilter>();
        services.AddOpenApi();
        return services;
    }

    public static WebApplication MapManagement(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi();
        var api = app.MapGroup("/api").WithTags("Management").AddEndpointFilter<ApiKeyFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("/accounts", ListAccountsAsync).WithName("ListAccounts").WithSummary("Accounts with their groups (Breadwinner computed) and revenue share");
        api.MapGet("/accounts/{accountId}", GetAccountAsync).WithName("GetAccount")
            .WithSummary("One account: DMU, business objects, timeline, running workflows and upcoming scheduled actions").ProducesProblem(404);
        api.MapGet("/accounts/{accountId}/timeline", GetTimelineAsync).WithName("GetTimeline").WithSummary("Every event KamFlows saw or caused for the account, in time order");
        api.MapGet("/people/{email}/upcoming", GetUpcomingForPersonAsync).WithName("GetUpcomingForPerson")
            .WithSummary("What will fire for one KAM or head across accounts, and their open tasks (due in the past = overdue)");
        api.MapGet("/portfolio", GetPortfolioAsync).WithName("GetPortfolio").WithSummary("Pareto/ABC report and concentration warnings").ProducesProblem(422);
        api.MapGet("/instances", QueryInstancesAsync).WithName("QueryInstances").WithSummary("Workflow instances by status, name, id prefix and creation time").ProducesProblem(400);
        api.MapGet("/instances/{instanceId}", GetInstanceAsync).WithName("GetInstance").WithSummary("One workflow instance with its history").ProducesProblem(404);
        api.MapPost("/instances/{instanceId}/events/{eventName}", RaiseEventAsync).WithName("RaiseEvent").WithSummary("Raises an event (JSON body) on an instance").ProducesProblem(404);
        api.MapPost("/instances/{instanceId}/terminate", (string instanceId, string? reason, DurableTaskClient client, CancellationToken ct) =>
            ControlAsync(client, instanceId, "terminated", () => client.TerminateInstanceAsync(instanceId, reason, ct), ct)).WithName("TerminateInstance").ProducesProblem(404);
        api.MapPost("/instances/{instanceId}/suspend", (string instanceId, string? reason, DurableTaskClient client, CancellationToken ct) =>
            ControlAsync(client, instanceId, "suspended", () => client.SuspendInstanceAsync(instanceId, reason, ct), ct)).WithName("SuspendInstance").ProducesProblem(404);
        api.MapPost("/instances/{instanceId}/resume", (string instanceId, string? reason, DurableTaskClient client, CancellationToken ct) =>
            ControlAsync(client, instanceId, "resumed", () => client.ResumeInstanceAsync(instanceId, reason, ct), ct)).WithName("ResumeInstance").ProducesProblem(404);
        return app;
    }

    private static async Task<Ok<AccountList>> ListAccountsAsync(AccountReader reader, PortfolioClassification classification, CancellationToken ct)
    {
        var accounts = await reader.ListAccountsAsync(ct).ConfigureAwait(false);
        var result = await classification.ClassifyAsync(ct).ConfigureAwait(false);
        var report = result.Analysis.Report;
        return TypedResults.Ok(new AccountList(
            ManagementMapping.Period(result.Period),
            report?.TotalRevenue.Currency.Code ?? string.Empty,
            result.Analysis.Errors,
            accounts.OrderBy(a => a.Name, StringComparer.CurrentCulture).Select(a => ManagementMapping.Summary(a, report?.Find(a.Id))).ToList()));
    }

    private static async Task<Results<Ok<AccountDetail>, ProblemHttpResult>> GetAccountAsync(string accountId, int? timelineLimit, AccountReader reader,
        PortfolioClassification classification, TimelineStore timeline, DurableTaskClient client, TimeProvider clock, IServiceProvider services, CancellationToken ct)
    {
        var account = await reader.GetAccountAsync(accountId, ct).ConfigureAwait(false);
        if (account is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "Unknown account", detail: $"No kam.account.upserted has arrived for '{accountId}'.");
        }

        var result = await classification.ClassifyAsync(ct).ConfigureAwait(false);
        var dmu = await reader.GetDecisionMakingUnitAsync(accountId, ct).ConfigureAwait(false);
        var objects = new Dictionary<string, IReadOnlyList<AccountObject>>(StringComparer.Ordinal);
        foreach (var kind in ObjectKinds)
        {
            objects[kind] = await reader.GetObjectsAsync(accountId, kind, ct).ConfigureAwait(false);
        }

        var limit = Math.Clamp(timelineLimit ?? 100, 1, 1000);
        var entries = await timeline.ReadAsync(accountId, null, 10_000, ct).ConfigureAwait(false);
        var keys = new List<string> { BusinessKey.Account(accountId).ToString() };
        keys.AddRange(objects[AccountRows.Opportunity].Select(o => BusinessKey.Opportunity(o.Id).ToString()));
        keys.AddRange(objects[AccountRows.Proposal].Select(o => BusinessKey.Proposal(o.Id).ToString()));
        keys.AddRange(objects[AccountRows.Tender].Select(o => BusinessKey.Tender(o.Id).ToString()));
        keys.AddRange(objects[AccountRows.Delivery].Select(o => BusinessKey.Delivery(o.Id).ToString()));
        var running = new List<WorkflowView>();
        var timers = new List<ScheduledTimer>();
        var now = clock.GetUtcNow();
        foreach (var key in keys)
        {
            if (await client.GetInstanceAsync(key, ct).ConfigureAwait(false) is not { IsCompleted: false } m)
            {
                continue;
            }

            running.Add(new WorkflowView(m.InstanceId, m.Name, m.RuntimeStatus.ToString(), m.CreatedAt, m.LastUpdatedAt));
            var history = await client.GetOrchestrationHistoryAsync(key, ct).ConfigureAwait(false);
            timers.AddRange(ManagementMapping.OpenTimers(history).Select(at => new ScheduledTimer(key, at)));
        }

        IReadOnlyList<PlannedActionView>? planned = null;
        if (services.GetService<IUpcomingActions>() is { } upcoming)
        {
            planned = (await upcoming.ForAccountAsync(accountId, now, now.AddDays(90), ct).ConfigureAwait(false)).Select(ManagementMapping.Planned).ToList();
        }

        return TypedResults.Ok(new AccountDetail(
            ManagementMapping.Summary(account, result.Analysis.Report?.Find(accountId)),
            account.Bonds.Select(b => WireName.Of(b)).ToList(),
            dmu.Members.Select(c => new DmuMember(c.Id, c.Name, c.Email?.Value, c.JobTitle, WireName.Of(c.Role), WireName.Of(c.Influence), WireName.Of(c.Attitude),
                c.IsErased, c.PersonalDataId is not null)).ToList(),
            dmu.Roles.Select(r => WireName.Of(r)).ToList(),
            objects,
            entries.Skip(Math.Max(0, entries.Count - limit)).ToList(),
            running,
            timers.OrderBy(t => t.FireAt).ToList(),
            planned));
    }

    private static async Task<Results<Ok<UpcomingForPerson>, ProblemHttpResult>> GetUpcomingForPersonAsync(string email, int? days, int? overdueDays,
        IServiceProvider services, TimeProvider clock, CancellationToken ct)
    {
        if (services.GetService<IUpcomingActions>() is not { } upcoming)
        {
            return TypedResults.Problem("No workflows are running in this host, so nothing is planned.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (days is < 1 or > 366 || overdueDays is < 0 or > 366)
        {
            return TypedResults.Problem("days must be 1–366 and overdueDays 0–366.", statusCode: StatusCodes.Status400BadRequest);
        }

        var now = clock.GetUtcNow();
        var actions = await upcoming.ForKamAsync(email, now.AddDays(-(overdueDays ?? 30)), now.AddDays(days ?? 30), ct).ConfigureAwait(false);
        return TypedResults.Ok(new UpcomingForPerson(email, now, [.. actions.Select(a => ManagementMapping.Planned((a.SourceKey, a.Action)) with { })],
            [.. actions.Select(a => a.AccountId).Distinct(StringComparer.Ordinal)]));
    }

    private static async Task<Ok<IReadOnlyList<TimelineEntry>>> GetTimelineAsync(string accountId, DateTimeOffset? from, int? limit, TimelineStore timeline, CancellationToken ct) =>
        TypedResults.Ok(await timeline.ReadAsync(accountId, from, Math.Clamp(limit ?? 500, 1, 5000), ct).ConfigureAwait(false));

    private static async Task<Results<Ok<PortfolioView>, ProblemHttpResult>> GetPortfolioAsync(PortfolioClassification classification, CancellationToken ct)
    {
        var result = await classification.ClassifyAsync(ct).ConfigureAwait(false);
        if (!result.Analysis.Succeeded)
        {
            return TypedResults.Problem(statusCode: 422, title: "Revenue cannot be analysed", detail: string.Join(" ", result.Analysis.Errors),
                extensions: new Dictionary<string, object?> { ["errors"] = result.Analysis.Errors });
        }

        var r = result.Analysis.Report;
        return TypedResults.Ok(new PortfolioView(
            ManagementMapping.Period(r.Period), r.TotalRevenue.Amount, r.TotalRevenue.Currency.Code, r.KeyAccountShare,
            r.Accounts.Select(a => new AccountShareRow(a.AccountId, ManagementMapping.Share(a), a.IsKeyAccount)).ToList(),
            r.Warnings.Select(w => new WarningView(WireName.Of(w.Kind), WireName.Of(w.Severity), w.Share, w.Threshold, w.AccountIds)).ToList(),
            r.Breadwinners,
            result.LeftOut.Select(l => new LeftOutReport(l.AccountId, JsonText.Format(l.Period.Start), JsonText.Format(l.Period.End), l.Revenue.Amount, l.Revenue.Currency.Code)).ToList()));
    }

    private static async Task<Results<Ok<InstancePage>, ProblemHttpResult>> QueryInstancesAsync(HttpRequest request, DurableTaskClient client, CancellationToken ct)
    {
        var q = request.Query;
        var statuses = new List<OrchestrationRuntimeStatus>();
        foreach (var s in q["status"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Enum.TryParse<OrchestrationRuntimeStatus>(s, ignoreCase: true, out var status) || !Enum.IsDefined(status))
            {
                return TypedResults.Problem(statusCode: 400, title: "Invalid query", detail: $"status '{s}' is not one of {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}.");
            }

            statuses.Add(status);
        }

        DateTimeOffset? Time(string name) => DateTimeOffset.TryParse(q[name].ToString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;
        var pageSize = int.TryParse(q["pageSize"].ToString(), out var size) ? size : 100;
        if (pageSize is < 1 or > 1000)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid query", detail: "pageSize must be between 1 and 1000.");
        }

        var query = new OrchestrationQuery
        {
            Statuses = statuses.Count > 0 ? statuses : null,
            InstanceIdPrefix = q["prefix"].ToString() is { Length: > 0 } prefix ? prefix : null,
            CreatedFrom = Time("createdFrom"),
            CreatedTo = Time("createdTo"),
            PageSize = pageSize,
            FetchInputsAndOutputs = true,
        };
        var token = q["continuationToken"].ToString() is { Length: > 0 } t ? t : null;
        Page<OrchestrationMetadata>? page = null;
        await foreach (var p in client.GetAllInstancesAsync(query).AsPages(token, pageSize).WithCancellation(ct).ConfigureAwait(false))
        {
            page = p;
            break;
        }

        // The Durable Task query has no name or custom-status filter: those two narrow the page the task hub returned.
        var name = q["name"].ToString();
        var customStatus = q["customStatus"].ToString();
        var instances = (page?.Values ?? []).Where(m => name.Length == 0 || string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
            .Where(m => customStatus.Length == 0 || (m.SerializedCustomStatus?.Contains(customStatus, StringComparison.Ordinal) ?? false));
        return TypedResults.Ok(new InstancePage(instances.Select(ManagementMapping.Instance).ToList(), page?.ContinuationToken));
    }

    private static async Task<Results<Ok<InstanceDetail>, ProblemHttpResult>> GetInstanceAsync(string instanceId, DurableTaskClient client, CancellationToken ct)
    {
        if (!IsInstanceId(instanceId) || await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct).ConfigureAwait(false) is not { } m)
        {
            return NotFound(instanceId);
        }

        var history = await client.GetOrchestrationHistoryAsync(instanceId, ct).ConfigureAwait(false);
        return TypedResults.Ok(new InstanceDetail(ManagementMapping.Instance(m), history.Select(ManagementMapping.History).ToList()));
    }

    private static async Task<Results<Accepted<ControlResult>, ProblemHttpResult>> RaiseEventAsync(string instanceId, string eventName, HttpRequest request,
        DurableTaskClient client, CancellationToken ct)
    {
        if (!IsInstanceId(instanceId) || await client.GetInstanceAsync(instanceId, ct).ConfigureAwait(false) is not { IsCompleted: false })
        {
            return NotFound(instanceId);
        }

        JsonElement? data = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct).ConfigureAwait(false);
                data = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                return TypedResults.Problem(statusCode: 400, title: "Invalid event data", detail: "The body must be JSON: " + ex.Message);
            }
        }

        await client.RaiseEventAsync(instanceId, eventName, data, ct).ConfigureAwait(false);
        return TypedResults.Accepted((string?)null, new ControlResult(instanceId, "raised"));
    }

    private static async Task<Results<Accepted<ControlResult>, ProblemHttpResult>> ControlAsync(DurableTaskClient client, string instanceId, string outcome, Func<Task> control,
        CancellationToken ct)
    {
        if (!IsInstanceId(instanceId) || await client.GetInstanceAsync(instanceId, ct).ConfigureAwait(false) is null)
        {
            return NotFound(instanceId);
        }

        await control().ConfigureAwait(false);
        return TypedResults.Accepted((string?)null, new ControlResult(instanceId, outcome));
    }

    private static bool IsInstanceId(string id) => id.Length is > 0 and <= 400 && !id.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));

    private static ProblemHttpResult NotFound(string instanceId) =>
        TypedResults.Problem(statusCode: 404, title: "Unknown instance", detail: $"No workflow instance '{instanceId}'.");
}
