using KamFlows.WebConsole.Auth;
using KamFlows.WebConsole.Web;
using KamFlows.Infrastructure.Notifications;
using KamFlows.Infrastructure.Notifications.Digests;
using KamFlows.Infrastructure.Notifications.Outbox;
using Microsoft.AspNetCore.Http;

namespace KamFlows.WebConsole.Pages;

/// <summary>
/// The outbox (queued, sent, failed, outcome unknown ...) with a rendered preview, and digest preferences: one's own to
/// change, everyone's to see for heads and operators. A KAM sees only the messages addressed to her.
/// </summary>
public static class EmailPage
{
    public static async Task<IResult> ListAsync(ConsoleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (v, user, ct) = (request.Viewer, request.User, request.Aborted);
        var status = Enum.TryParse<OutboxStatus>(request.Query("status"), ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : (OutboxStatus?)null;
        var all = Access.CanSeeWholeOutbox(user);
        var page = await request.Service<OutboxStore>().ListAsync(new OutboxQuery
        {
            Status = status, RecipientEmail = all ? NullIfEmpty(request.Query("recipient")) : user.Email, PageSize = 50,
            ContinuationToken = NullIfEmpty(request.Query("page")),
        }, ct);
        var recipients = request.Service<RecipientDirectory>();
        var html = new Html();
        if (request.Query("saved") == "1")
        {
            html.Add($"<p class=\"notice\" role=\"status\">{v.T("preference_saved")}</p>");
        }

        await PreferencesAsync(html, request, recipients, all);
        html.Add($"<section><h2>{v.T("outbox")}</h2><form method=\"get\" class=\"filters\"><label>{v.T("status")}<select name=\"status\"><option value=\"\">{v.T("any")}</option>");
        foreach (var option in Enum.GetValues<OutboxStatus>())
        {
            html.Add($"<option value=\"{option}\"{(status == option ? new HtmlString(" selected") : HtmlString.Empty)}>{v.Term("outbox_", option)}</option>");
        }

        html.Add($"</select></label>{(all ? Html.Of($"<label>{v.T("recipient")}<input name=\"recipient\" value=\"{request.Query("recipient")}\"></label>") : HtmlString.Empty)}<button type=\"submit\">{v.T("filter")}</button></form>");
        html.Add($"<table class=\"outbox\"><thead><tr><th>{v.T("send_at")}</th><th>{v.T("what")}</th><th>{v.T("recipient")}</th><th>{v.T("account")}</th><th>{v.T("status")}</th><th>{v.T("attempts")}</th><th></th></tr></thead><tbody>");
        foreach (var m in page.Messages)
        {
            var r = m.Request;
            html.Add($"<tr><td>{v.Time(r.SendAt)}</td><td>{v.Term("kind_", r.Kind)}</td><td>{r.Recipient.Name ?? r.Recipient.Email} <span class=\"muted\">{r.Recipient.Email}</span></td><td>{r.AccountId}</td>");
            html.Add($"<td class=\"{(m.Status is OutboxStatus.Failed or OutboxStatus.OutcomeUnknown ? "warning" : m.Status == OutboxStatus.Sent ? "ok" : string.Empty)}\">{v.Term("outbox_", m.Status)}{(m.LastError is { } e ? Html.Of($"<div class=\"muted\">{e}</div>") : HtmlString.Empty)}{(m.Note is { } n ? Html.Of($"<div class=\"muted\">{n}</div>") : HtmlString.Empty)}</td>");
            html.Add($"<td class=\"num\">{m.Attempts}</td><td><a href=\"{v.Link("email/" + Uri.EscapeDataString(r.NotificationId))}\">{v.T("preview")}</a></td></tr>");
        }

        html.Add($"</tbody></table>{(page.Messages.Count == 0 ? Html.Of($"<p class=\"muted\">{v.T("none")}</p>") : HtmlString.Empty)}");
        if (page.ContinuationToken is { } next)
        {
            // The next page keeps every filter of this one (the recipient's too).
            html.Add($"<p><a class=\"button\" href=\"{v.Link("email", ("status", status?.ToString()), ("recipient", all ? request.Query("recipient") : null), ("page", next))}\">{v.T("next_page")}</a></p>");
        }

        html.Add($"</section>");
        return Layout.Page(request, v.T("email"), html.ToHtmlString());
    }

    public static async Task<IResult> PreviewAsync(ConsoleRequest request, string id)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (v, user, ct) = (request.Viewer, request.User, request.Aborted);
        var message = await request.Service<OutboxStore>().GetAsync(id, ct);
        if (message is null)
        {
            return Layout.NotFound(request, id);
        }

        if (!Access.CanSeeWholeOutbox(user) && !user.SameEmail(message.Request.Recipient.Email))
        {
            return Layout.Forbidden(request);
        }

        var email = request.Service<NotificationRenderer>().Render(message);
        var html = new Html();
        html.Add($"<section><table><tbody><tr><th>{v.T("subject")}</th><td>{email.Subject}</td></tr><tr><th>{v.T("recipient")}</th><td>{message.Request.Recipient.Email}</td></tr>");
        html.Add($"<tr><th>{v.T("status")}</th><td>{v.Term("outbox_", message.Status)}</td></tr><tr><th>{v.T("send_at")}</th><td>{v.Time(message.Request.SendAt)}</td></tr>");
        html.Add($"<tr><th>{v.T("sent_at")}</th><td>{v.Time(message.SentAt)}</td></tr></tbody></table></section>");
        // The rendered HTML goes into a sandboxed frame as an escaped attribute: no script runs, nothing reaches this page's DOM.
        html.Add($"<section><h2>HTML</h2><iframe class=\"preview\" sandbox=\"\" title=\"{v.T("preview")}\" srcdoc=\"{email.Html}\"></iframe></section>");
        html.Add($"<section><h2>{v.T("plain_text")}</h2><pre>{email.Text}</pre></section>");
        return Layout.Page(request, v.T("preview") + ": " + email.Subject, html.ToHtmlString());
    }

    public static async Task<IResult> SetPreferenceAsync(ConsoleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (v, user, ct) = (request.Viewer, request.User, request.Aborted);
        var form = await request.Http.Request.ReadFormAsync(ct);
        if (!Enum.TryParse<DigestPreference>(form["digest"].ToString(), ignoreCase: true, out var digest) || !Enum.IsDefined(digest))
        {
            return Layout.Message(request, StatusCodes.Status400BadRequest, "bad_request_title", v.T("digest_invalid"));
        }

        var recipients = request.Service<RecipientDirectory>();
        if (await recipients.GetAsync(user.Email, ct) is null)
        {
            return Layout.Message(request, StatusCodes.Status404NotFound, "not_found_title", v.T("not_a_recipient"));
        }

        await recipients.SetPreferencesAsync(user.Email, digest, form["nonEssentialOptOut"].ToString() == "on", ct);
        return Results.Redirect(v.Link("email") + "?saved=1");
    }

    private static async Task PreferencesAsync(Html html, ConsoleRequest request, RecipientDirectory recipients, bool all)
    {
        var (v, user, ct) = (request.Viewer, request.User, request.Aborted);
        var own = await recipients.GetAsync(user.Email, ct);
        html.Add($"<section><h2>{v.T("digest_preferences")}</h2>");
        if (own is null)
        {
            html.Add($"<p class=\"muted\">{v.T("not_a_recipient")}</p>");
        }
        else
        {
            html.Add($"<form method=\"post\" action=\"{v.Link("email/preferences")}\" class=\"filters\">{request.AntiforgeryField()}<label>{v.T("my_digest")}<select name=\"digest\">");
            foreach (var p in Enum.GetValues<DigestPreference>())
            {
                html.Add($"<option value=\"{p}\"{(own.Digest == p ? new HtmlString(" selected") : HtmlString.Empty)}>{v.Term("digest_", p)}</option>");
            }

            html.Add($"</select></label><label><span><input type=\"checkbox\" name=\"nonEssentialOptOut\"{(own.NonEssentialOptOut ? new HtmlString(" checked") : HtmlString.Empty)}> {v.T("non_essential_opt_out")}</span></label>");
            html.Add($"<button type=\"submit\" class=\"primary\">{v.T("save")}</button></form><p class=\"muted\">{v.T("next_agenda", v.Time(own.NextAgendaAt))} · {v.T("next_report", v.Time(own.NextReportAt))}</p>");
        }

        if (all)
        {
            html.Add($"<table class=\"recipients\"><thead><tr><th>{v.T("person")}</th><th>{v.T("role")}</th><th>{v.T("time_zone")}</th><th>{v.T("digest")}</th><th>{v.T("non_essential")}</th></tr></thead><tbody>");
            foreach (var r in (await recipients.AllAsync(ct)).OrderBy(r => r.Email, StringComparer.OrdinalIgnoreCase).Take(300))
            {
                var roles = string.Join(", ", new[] { (r.IsKam, "kam"), (r.IsHead, "head") }.Where(x => x.Item1).Select(x => v.T("role_" + x.Item2)));
                html.Add($"<tr><td>{r.Name ?? r.Email} <span class=\"muted\">{r.Email}</span></td><td>{roles}</td><td>{r.TimeZone}</td><td>{v.Term("digest_", r.Digest)}</td><td>{v.T(r.NonEssentialOptOut ? "opted_out" : "receives")}</td></tr>");
            }

            html.Add($"</tbody></table>");
        }

        html.Add($"</section>");
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
