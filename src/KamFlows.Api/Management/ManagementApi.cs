using System.Text.Json;
using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Http;
using KamFlows.Infrastructure.Timeline;
using KamFlows.Workflows.Ports;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Api.Management;

/// <summary>
/// The management API's handlers (routes under /api, API key in X-Api-Key: the caller applies <see cref="ApiKeyCheck"/>).
/// Each takes the request's HttpContext, its route values and, where it reads or controls workflows, the host's
/// <see cref="DurableTaskClient"/>; services come from the request's services, query values from its query string.
/// </summary>
public static class ManagementApi
{
    private static readonly string[] ObjectKinds =
    [
        AccountRows.Opportunity, AccountRows.Proposal, AccountRows.Tender, AccountRows.Contract, AccountRows.Delivery,
        AccountRows.Complaint, AccountRows.Meeting, AccountRows.Reference, AccountRows.Revenue,
    ];

    /// <summary>GET /api/accounts: accounts with their groups (Breadwinner computed) and revenue share.</summary>
    public static async Task<IResult> ListAccountsAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var (reader, classification, ct) = (Service<AccountReader>(http), Service<PortfolioClassification>(http), http.RequestAborted);
        var accounts = await reader.ListAccountsAsync(ct).ConfigureAwait(false);
        var result = await classification.ClassifyAsync(ct).ConfigureAwait(false);
        var report = result.Analysis.Report;
        return TypedResults.Ok(new AccountList(
            ManagementMapping.Period(result.Period),
            report?.TotalRevenue.Currency.Code ?? string.Empty,
            result.Analysis.Errors,
            accounts.OrderBy(a => a.Name, StringComparer.CurrentCulture).Select(a => ManagementMapping.Summary(a, report?.Find(a.Id))).ToList()));
    }

    /// <summary>GET /api/accounts/{accountId}[?timelineLimit=]: DMU, business objects, timeline, running workflows and upcoming actions.</summary>
    public static async Task<IResult> GetAccountAsync(HttpContext http, string accountId, DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(client);
        if (!QueryValues.TryInt(http, "timelineLimit", out var timelineLimit, out var invalid))
        {
            return invalid;
        }

        var (reader, classification, timeline, clock, services, ct) = (Service<AccountReader>(http), Service<PortfolioClassification>(http), Service<TimelineStore>(http),
            Service<TimeProvider>(http), http.RequestServices, http.RequestAborted);
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

    /// <summary>GET /api/people/{email}/upcoming[?days=&amp;overdueDays=]: what will fire for one KAM or head, and their open tasks.</summary>
    public static async Task<IResult> GetUpcomingForPersonAsync(HttpContext http, string email)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!QueryValues.TryInt(http, "days", out var days, out var invalid) || !QueryValues.TryInt(http, "overdueDays", out var overdueDays, out invalid))
        {
            return invalid;
        }

        var (services, clock, ct) = (http.RequestServices, Service<TimeProvider>(http), http.RequestAborted);
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

    /// <summary>GET /api/accounts/{accountId}/timeline[?from=&amp;limit=]: every event KamFlows saw or caused for the account, in time order.</summary>
    public static async Task<IResult> GetTimelineAsync(HttpContext http, string accountId)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!QueryValues.TryTime(http, "from", out var from, out var invalid) || !QueryValues.TryInt(http, "limit", out var limit, out invalid))
        {
            return invalid;
        }

        var timeline = Service<TimelineStore>(http);
        return TypedResults.Ok(await timeline.ReadAsync(accountId, from, Math.Clamp(limit ?? 500, 1, 5000), http.RequestAborted).ConfigureAwait(false));
    }

    /// <summary>GET /api/portfolio: the Pareto/ABC report and concentration warnings (422 when revenue cannot be analysed).</summary>
    public static async Task<IResult> GetPortfolioAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var result = await Service<PortfolioClassification>(http).ClassifyAsync(http.RequestAborted).ConfigureAwait(false);
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

    /// <summary>GET /api/instances[?status=&amp;name=&amp;prefix=&amp;createdFrom=&amp;createdTo=&amp;customStatus=&amp;pageSize=&amp;continuationToken=]: workflow instances, a page at a time.</summary>
    public static async Task<IResult> QueryInstancesAsync(HttpContext http, DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(client);
        var (q, ct) = (http.Request.Query, http.RequestAborted);
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

    /// <summary>GET /api/instances/{instanceId}: one workflow instance with its history.</summary>
    public static async Task<IResult> GetInstanceAsync(HttpContext http, string instanceId, DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(client);
        var ct = http.RequestAborted;
        if (!IsInstanceId(instanceId) || await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct).ConfigureAwait(false) is not { } m)
        {
            return NotFound(instanceId);
        }

        var history = await client.GetOrchestrationHistoryAsync(instanceId, ct).ConfigureAwait(false);
        return TypedResults.Ok(new InstanceDetail(ManagementMapping.Instance(m), history.Select(ManagementMapping.History).ToList()));
    }

    /// <summary>POST /api/instances/{instanceId}/events/{eventName}: raises an event (JSON body) on a running instance.</summary>
    public static async Task<IResult> RaiseEventAsync(HttpContext http, string instanceId, string eventName, DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(client);
        var (request, ct) = (http.Request, http.RequestAborted);
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

    /// <summary>POST /api/instances/{instanceId}/terminate[?reason=].</summary>
    public static Task<IResult> TerminateAsync(HttpContext http, string instanceId, DurableTaskClient client) =>
        ControlAsync(http, client, instanceId, "terminated", (reason, ct) => client.TerminateInstanceAsync(instanceId, reason, ct));

    /// <summary>POST /api/instances/{instanceId}/suspend[?reason=].</summary>
    public static Task<IResult> SuspendAsync(HttpContext http, string instanceId, DurableTaskClient client) =>
        ControlAsync(http, client, instanceId, "suspended", (reason, ct) => client.SuspendInstanceAsync(instanceId, reason, ct));

    /// <summary>POST /api/instances/{instanceId}/resume[?reason=].</summary>
    public static Task<IResult> ResumeAsync(HttpContext http, string instanceId, DurableTaskClient client) =>
        ControlAsync(http, client, instanceId, "resumed", (reason, ct) => client.ResumeInstanceAsync(instanceId, reason, ct));

    private static async Task<IResult> ControlAsync(HttpContext http, DurableTaskClient client, string instanceId, string outcome, Func<string?, CancellationToken, Task> control)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(client);
        var ct = http.RequestAborted;
        var reason = QueryValues.Text(http, "reason");
        if (!IsInstanceId(instanceId) || await client.GetInstanceAsync(instanceId, ct).ConfigureAwait(false) is null)
        {
            return NotFound(instanceId);
        }

        await control(reason, ct).ConfigureAwait(false);
        return TypedResults.Accepted((string?)null, new ControlResult(instanceId, outcome));
    }

    private static bool IsInstanceId(string id) => id.Length is > 0 and <= 400 && !id.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));

    private static ProblemHttpResult NotFound(string instanceId) =>
        TypedResults.Problem(statusCode: 404, title: "Unknown instance", detail: $"No workflow instance '{instanceId}'.");

    private static T Service<T>(HttpContext http)
        where T : notnull => http.RequestServices.GetRequiredService<T>();
}
