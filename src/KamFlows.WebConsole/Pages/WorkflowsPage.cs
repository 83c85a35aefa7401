// The operators' page: instances of the task hub, one instance's input, custom status, history and next timer, and the
// controls. Invariants: only operators see or act; an action runs only from a POST with a valid anti-forgery token
// after a confirmation page that says what it will do; each action is written to the account's timeline with who did it.
using System.Globalization;
using System.Text.Json;
using DurableTask.Core.History;
using KamFlows.WebConsole.Auth;
using KamFlows.WebConsole.Data;
using KamFlows.WebConsole.Web;
using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Timeline;
using KamFlows.Workflows;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace KamFlows.WebConsole.Pages;

public static class WorkflowsPage
{
    public static readonly IReadOnlyList<string> Actions = ["suspend", "resume", "terminate", "restart", "raise", "purge"];

    private static readonly (string Workflow, string Prefix)[] Workflows =
    [
        (WorkflowCatalog.ProposalFollowUp, "proposal:"), (WorkflowCatalog.TenderPreparation, "tender:"), (WorkflowCatalog.SaleCycle, "opportunity:"),
        (WorkflowCatalog.ReferenceLetter, "delivery:"), (WorkflowCatalog.AccountCare, "account:"),
        (WorkflowCatalog.ComplaintHandling, "complaint:"), (WorkflowCatalog.MeetingPreparation, "meeting:"),
    ];

    public static async Task<IResult> ListAsync(ConsoleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Access.CanOperateWorkflows(request.User))
        {
            return Layout.Forbidden(request);
        }

        var (v, ct) = (request.Viewer, request.Aborted);
        var status = request.Query("status");
        var workflow = request.Query("workflow");
        var account = request.Query("account");
        OrchestrationRuntimeStatus? wanted = Enum.TryParse<OrchestrationRuntimeStatus>(status, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : null;
        var prefix = Workflows.FirstOrDefault(w => w.Workflow == workflow).Prefix;
        List<OrchestrationMetadata> instances;
        string? next = null;
        if (account.Length > 0)
        {
            var objects = await request.Service<AccountObjects>().OfAccountAsync(account, ct);
            var keys = new List<string> { "account:" + account };
            foreach (var (kind, list) in objects)
            {
                if (Enum.TryParse<WorkflowKind>(kind, ignoreCase: true, out _) && kind != "account")
                {
                    keys.AddRange(list.Select(o => kind + ":" + o.Id));
                }
            }

            instances = (await Task.WhenAll(keys.Take(200).Select(k => request.Client.GetInstanceAsync(k, ct)))).OfType<OrchestrationMetadata>()
                .Where(m => wanted is null || m.RuntimeStatus == wanted).Where(m => prefix is null || m.InstanceId.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        }
        else
        {
            var query = new OrchestrationQuery
            {
                Statuses = wanted is { } w ? [w] : null, InstanceIdPrefix = prefix, PageSize = 50, FetchInputsAndOutputs = false,
            };
            var token = request.Query("page") is { Length: > 0 } t ? t : null;
            instances = [];
            await foreach (var page in request.Client.GetAllInstancesAsync(query).AsPages(token, 50).WithCancellation(ct))
            {
                instances.AddRange(page.Values);
                next = page.ContinuationToken;
                break;
            }
        }

        var html = new Html();
        html.Add($"<form method=\"get\" class=\"filters\"><label>{v.T("status")}<select name=\"status\"><option value=\"\">{v.T("any")}</option>");
        foreach (var option in new[] { OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Suspended, OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated })
        {
            html.Add($"<option value=\"{option}\"{(wanted == option ? new HtmlString(" selected") : HtmlString.Empty)}>{v.Term("status_", option)}</option>");
        }

        html.Add($"</select></label><label>{v.T("workflow")}<select name=\"workflow\"><option value=\"\">{v.T("any")}</option>");
        foreach (var (name, _) in Workflows)
        {
            html.Add($"<option value=\"{name}\"{(name == workflow ? new HtmlString(" selected") : HtmlString.Empty)}>{name}</option>");
        }

        html.Add($"</select></label><label>{v.T("account")}<input name=\"account\" value=\"{account}\"></label><button type=\"submit\">{v.T("filter")}</button></form>");
        html.Add($"<section><table class=\"instances\"><thead><tr><th>{v.T("instance")}</th><th>{v.T("workflow")}</th><th>{v.T("status")}</th><th>{v.T("created")}</th><th>{v.T("updated")}</th></tr></thead><tbody>");
        foreach (var m in instances)
        {
            html.Add($"<tr data-instance=\"{m.InstanceId}\"><td><a href=\"{v.Link("workflows/" + Uri.EscapeDataString(m.InstanceId))}\">{m.InstanceId}</a></td><td>{m.Name}</td>");
            html.Add($"<td class=\"status\">{v.Term("status_", m.RuntimeStatus)}</td><td>{v.Time(m.CreatedAt)}</td><td>{v.Time(m.LastUpdatedAt)}</td></tr>");
        }

        html.Add($"</tbody></table>{(instances.Count == 0 ? Html.Of($"<p class=\"muted\">{v.T("none")}</p>") : HtmlString.Empty)}");
        if (next is not null)
        {
            html.Add($"<p><a class=\"button\" href=\"{v.Link("workflows", ("status", status), ("workflow", workflow), ("account", account), ("page", next))}\">{v.T("next_page")}</a></p>");
        }

        html.Add($"</section>");
        return Layout.Page(request, v.T("workflows"), html.ToHtmlString());
    }

    public static async Task<IResult> DetailAsync(ConsoleRequest request, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Access.CanOperateWorkflows(request.User))
        {
            return Layout.Forbidden(request);
        }

        var (v, ct) = (request.Viewer, request.Aborted);
        if (!IsInstanceId(instanceId) || await request.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct) is not { } m)
        {
            return Layout.NotFound(request, instanceId);
        }

        var history = await request.Client.GetOrchestrationHistoryAsync(instanceId, ct);
        var fired = history.OfType<TimerFiredEvent>().Select(e => e.TimerId).ToHashSet();
        var nextTimer = history.OfType<TimerCreatedEvent>().Where(e => !fired.Contains(e.EventId)).Select(e => (DateTimeOffset?)Utc(e.FireAt)).Min();
        var accountId = await AccountOfAsync(request, instanceId);
        var html = new Html();
        if (request.Query("done") is { Length: > 0 } done && Actions.Contains(done))
        {
            html.Add($"<p class=\"notice\" role=\"status\">{v.T("action_done_" + done, instanceId)}</p>");
        }

        html.Add($"<section><table class=\"instance\"><tbody><tr><th>{v.T("workflow")}</th><td>{m.Name}</td></tr>");
        html.Add($"<tr><th>{v.T("status")}</th><td class=\"status\" data-status=\"{m.RuntimeStatus}\">{v.Term("status_", m.RuntimeStatus)}</td></tr>");
        html.Add($"<tr><th>{v.T("account")}</th><td>{(accountId is null ? Html.Of($"—") : Html.Of($"<a href=\"{v.Link("accounts/" + Uri.EscapeDataString(accountId))}\">{accountId}</a>"))}</td></tr>");
        html.Add($"<tr><th>{v.T("created")}</th><td>{v.Time(m.CreatedAt)}</td></tr><tr><th>{v.T("updated")}</th><td>{v.Time(m.LastUpdatedAt)}</td></tr>");
        html.Add($"<tr><th>{v.T("next_timer")}</th><td>{(m.IsCompleted || nextTimer is null ? "—" : v.Time(nextTimer))}</td></tr>");
        if (m.FailureDetails is { } f)
        {
            html.Add($"<tr><th>{v.T("failure")}</th><td class=\"warning\">{f.ErrorType}: {f.ErrorMessage}</td></tr>");
        }

        html.Add($"</tbody></table><p class=\"actions\">");
        foreach (var action in Available(m))
        {
            html.Add($"<a class=\"button\" href=\"{v.Link("workflows/" + Uri.EscapeDataString(instanceId) + "/" + action)}\">{v.T("action_" + action)}</a> ");
        }

        html.Add($"</p></section><div class=\"grid\"><section><h2>{v.T("input")}</h2><pre>{Pretty(m.SerializedInput)}</pre></section>");
        html.Add($"<section><h2>{v.T("custom_status")}</h2><pre>{Pretty(m.SerializedCustomStatus)}</pre>{(m.SerializedOutput is null ? HtmlString.Empty : Html.Of($"<h2>{v.T("output")}</h2><pre>{Pretty(m.SerializedOutput)}</pre>"))}</section></div>");
        html.Add($"<section><h2>{v.T("history")} ({history.Count})</h2><table class=\"history\"><thead><tr><th>{v.T("when")}</th><th>{v.T("event")}</th><th>{v.T("name")}</th><th>{v.T("detail")}</th></tr></thead><tbody>");
        foreach (var e in history.Reverse().Take(200))
        {
            var (name, detail) = e switch
            {
                ExecutionStartedEvent s => (s.Name, string.Empty),
                TaskScheduledEvent t => (t.Name, string.Empty),
                TaskCompletedEvent t => ("#" + t.TaskScheduledId.ToString(CultureInfo.InvariantCulture), Short(t.Result)),
                TaskFailedEvent t => ("#" + t.TaskScheduledId.ToString(CultureInfo.InvariantCulture), t.FailureDetails?.ErrorMessage ?? t.Reason ?? string.Empty),
                TimerCreatedEvent t => ("#" + t.EventId.ToString(CultureInfo.InvariantCulture), v.Time(Utc(t.FireAt))),
                TimerFiredEvent t => ("#" + t.TimerId.ToString(CultureInfo.InvariantCulture), v.Time(Utc(t.FireAt))),
                EventRaisedEvent r => (r.Name, Short(r.Input)),
                ExecutionCompletedEvent c => (c.OrchestrationStatus.ToString(), Short(c.Result)),
                ExecutionTerminatedEvent x => (string.Empty, Short(x.Input)),
                _ => (string.Empty, string.Empty),
            };
            html.Add($"<tr><td>{v.Time(Utc(e.Timestamp))}</td><td>{e.EventType}</td><td>{name}</td><td>{detail}</td></tr>");
        }

        html.Add($"</tbody></table></section>");
        return Layout.Page(request, instanceId, html.ToHtmlString());
    }

    /// <summary>GET: the confirmation page saying what the action will do. POST: does it, records it, and returns to the instance.</summary>
    public static async Task<IResult> ActionAsync(ConsoleRequest request, string instanceId, string action, bool isPost)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Access.CanOperateWorkflows(request.User))
        {
            return Layout.Forbidden(request);
        }

        var (v, ct, client) = (request.Viewer, request.Aborted, request.Client);
        if (!Actions.Contains(action) || !IsInstanceId(instanceId) || await client.GetInstanceAsync(instanceId, ct) is not { } m)
        {
            return Layout.NotFound(request, instanceId + "/" + action);
        }

        var accountId = await AccountOfAsync(request, instanceId);
        if (!isPost)
        {
            var html = new Html();
            html.Add($"<section><p class=\"notice\">{v.T("confirm_" + action, instanceId)}</p><p>{v.T(accountId is null ? "recorded_nowhere" : "recorded_on", accountId, request.User.Email)}</p>");
            html.Add($"<form method=\"post\" class=\"filters\">{request.AntiforgeryField()}");
            if (action == "raise")
            {
                html.Add($"<label>{v.T("event_name")}<input name=\"event\" required value=\"{WorkflowCatalog.CanonicalEventName}\"></label><label>{v.T("event_data")}<textarea name=\"data\" rows=\"4\" cols=\"60\"></textarea></label>");
            }

            html.Add($"<label>{v.T("reason")}<input name=\"reason\" maxlength=\"300\"></label>");
            html.Add($"<button type=\"submit\" class=\"{(action is "terminate" or "purge" ? "danger" : "primary")}\">{v.T("action_" + action)}</button> <a class=\"button\" href=\"{v.Link("workflows/" + Uri.EscapeDataString(instanceId))}\">{v.T("cancel")}</a></form></section>");
            return Layout.Page(request, v.T("confirm_title", v.T("action_" + action)), html.ToHtmlString());
        }

        var form = await request.Http.Request.ReadFormAsync(ct);
        var reason = form["reason"].ToString().Trim();
        reason = reason.Length > 300 ? reason[..300] : reason;
        var who = request.User.Email;
        var note = $"{v.T("by")} {who}" + (reason.Length > 0 ? ": " + reason : string.Empty);
        string detail = string.Empty;
        switch (action)
        {
            case "suspend":
                await client.SuspendInstanceAsync(instanceId, note, ct);
                break;
            case "resume":
                await client.ResumeInstanceAsync(instanceId, note, ct);
                break;
            case "terminate":
                await client.TerminateInstanceAsync(instanceId, note, ct);
                break;
            case "restart":
                await client.RestartAsync(instanceId, restartWithNewInstanceId: false, ct);
                break;
            case "purge":
                if (!m.IsCompleted)
                {
                    return Layout.Message(request, StatusCodes.Status409Conflict, "bad_request_title", v.T("purge_running"));
                }

                await client.PurgeInstanceAsync(instanceId, cancellation: ct);
                break;
            case "raise":
                var name = form["event"].ToString().Trim();
                var data = form["data"].ToString().Trim();
                JsonElement? payload = null;
                if (name.Length is 0 or > 100)
                {
                    return Layout.Message(request, StatusCodes.Status400BadRequest, "bad_request_title", v.T("event_name_required"));
                }

                if (data.Length > 0)
                {
                    try
                    {
                        using var doc = JsonDocument.Parse(data);
                        payload = doc.RootElement.Clone();
                    }
                    catch (JsonException e)
                    {
                        return Layout.Message(request, StatusCodes.Status400BadRequest, "bad_request_title", v.T("event_data_invalid", e.Message));
                    }
                }

                await client.RaiseEventAsync(instanceId, name, payload, ct);
                detail = " (" + name + ")";
                break;
        }

        if (accountId is not null)
        {
            var now = request.Service<TimeProvider>().GetUtcNow();
            await request.Service<ITimelineWriter>().AppendAsync(accountId, new TimelineEntry(now, TimelineOrigin.Caused, "console." + action,
                $"Workflow {instanceId}: {action}{detail} by {who}{(reason.Length > 0 ? " — " + reason : string.Empty)}", instanceId,
                $"console|{action}|{instanceId}|{now.UtcTicks.ToString(CultureInfo.InvariantCulture)}"), ct);
        }

        return Results.Redirect(v.Link(action == "purge" ? "workflows" : "workflows/" + Uri.EscapeDataString(instanceId) + "?done=" + action));
    }

    private static IEnumerable<string> Available(OrchestrationMetadata m)
    {
        if (m.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending)
        {
            yield return "suspend";
        }

        if (m.RuntimeStatus == OrchestrationRuntimeStatus.Suspended)
        {
            yield return "resume";
        }

        if (!m.IsCompleted)
        {
            yield return "raise";
            yield return "terminate";
        }

        yield return "restart";
        if (m.IsCompleted)
        {
            yield return "purge";
        }
    }

    /// <summary>The account a workflow instance belongs to: its own id for account care, else the account holding its business object.</summary>
    private static async Task<string?> AccountOfAsync(ConsoleRequest request, string instanceId)
    {
        if (!BusinessKey.TryParse(instanceId, out var key))
        {
            return null;
        }

        return key.Kind == WorkflowKind.Account ? key.Id : await request.Service<AccountObjects>().AccountOfAsync(WireName.Of(key.Kind), key.Id, request.Aborted);
    }

    private static bool IsInstanceId(string id) => id.Length is > 0 and <= 400 && !id.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    private static string Short(string? text) => text is null ? string.Empty : text.Length > 160 ? text[..160] + "…" : text;

    private static string Pretty(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return "—";
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            var text = JsonSerializer.Serialize(doc.RootElement, PrettyOptions);
            return text.Length > 20_000 ? text[..20_000] + "…" : text;
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static readonly JsonSerializerOptions PrettyOptions = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
