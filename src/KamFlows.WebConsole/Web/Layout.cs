using KamFlows.WebConsole.Auth;
using Microsoft.AspNetCore.Http;

namespace KamFlows.WebConsole.Web;

/// <summary>The page shell: navigation by role, the language and time-zone selector, who is signed in.</summary>
public static class Layout
{
    public static readonly IReadOnlyList<string> CommonZones =
        ["UTC", "Europe/Helsinki", "Europe/Moscow", "Europe/Sofia", "Europe/London", "Europe/Berlin", "America/New_York", "Asia/Dubai"];

    public static IResult Page(ConsoleRequest request, string title, HtmlString body, int status = 200)
    {
        ArgumentNullException.ThrowIfNull(request);
        var v = request.Viewer;
        var html = new Html();
        html.Add($"<!DOCTYPE html><html lang=\"{v.Language}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Add($"<title>{title} · KamFlows</title><link rel=\"stylesheet\" href=\"{v.Link("static/console.css")}\"><script src=\"{v.Link("static/console.js")}\" defer></script></head><body>");
        html.Add($"<header><a class=\"brand\" href=\"{v.Link("")}\">KamFlows</a><nav aria-label=\"{v.T("nav")}\">");
        if (v.User is { } user)
        {
            if (Access.CanSeePortfolio(user))
            {
                html.Add($"<a href=\"{v.Link("portfolio")}\">{v.T("portfolio")}</a>");
            }

            html.Add($"<a href=\"{v.Link("accounts")}\">{v.T("accounts")}</a>");
            if (Access.CanSeeWeek(user))
            {
                html.Add($"<a href=\"{v.Link("week")}\">{v.T("my_week")}</a>");
            }

            if (Access.CanOperateWorkflows(user))
            {
                html.Add($"<a href=\"{v.Link("workflows")}\">{v.T("workflows")}</a>");
            }

            html.Add($"<a href=\"{v.Link("email")}\">{v.T("email")}</a>");
        }

        html.Add($"</nav>{Preferences(request)}");
        if (v.User is { } signedIn)
        {
            html.Add($"<div class=\"who\"><span>{signedIn.Name} · {string.Join(", ", signedIn.RoleNames().Select(r => v.T("role_" + r)))}</span>");
            if (request.Service<ConsoleIdentity>().Options.LocalSignIn)
            {
                html.Add($"<form method=\"post\" action=\"{v.Link("signout")}\">{request.AntiforgeryField()}<button type=\"submit\">{v.T("sign_out")}</button></form>");
            }

            html.Add($"</div>");
        }

        html.Add($"</header><main><h1>{title}</h1>{body}</main><footer>{v.T("times_in", v.Zone.Id)}</footer></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }

    public static IResult Message(ConsoleRequest request, int status, string titleKey, string text)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Page(request, request.Viewer.T(titleKey), Html.Of($"<p class=\"notice\" role=\"alert\">{text}</p>"), status);
    }

    public static IResult Forbidden(ConsoleRequest request) => Message(request, StatusCodes.Status403Forbidden, "forbidden_title", request?.Viewer.T("forbidden_text") ?? string.Empty);

    public static IResult NotFound(ConsoleRequest request, string what) => Message(request, StatusCodes.Status404NotFound, "not_found_title", request?.Viewer.T("not_found_text", what) ?? what);

    private static HtmlString Preferences(ConsoleRequest request)
    {
        var v = request.Viewer;
        var html = new Html();
        html.Add($"<form method=\"post\" action=\"{v.Link("prefs")}\" class=\"prefs\" data-autosubmit>{request.AntiforgeryField()}");
        html.Add($"<input type=\"hidden\" name=\"return\" value=\"{request.Here}\">");
        html.Add($"<label>{v.T("language")} <select name=\"lang\">");
        foreach (var (code, name) in new[] { ("en", "English"), ("ru", "Русский"), ("fi", "Suomi"), ("bg", "Български") })
        {
            html.Add($"<option value=\"{code}\"{(code == v.Language ? new HtmlString(" selected") : HtmlString.Empty)}>{name}</option>");
        }

        html.Add($"</select></label><label>{v.T("time_zone")} <select name=\"tz\">");
        foreach (var zone in CommonZones.Contains(v.Zone.Id) ? CommonZones : [v.Zone.Id, .. CommonZones])
        {
            html.Add($"<option value=\"{zone}\"{(zone == v.Zone.Id ? new HtmlString(" selected") : HtmlString.Empty)}>{zone}</option>");
        }

        html.Add($"</select></label><button type=\"submit\">{v.T("apply")}</button></form>");
        return html.ToHtmlString();
    }
}
