using KamFlows.WebConsole.Auth;
using KamFlows.WebConsole.Web;
using KamFlows.WebConsole.Data;
using Microsoft.AspNetCore.Http;

namespace KamFlows.WebConsole.Pages;

/// <summary>The accounts the viewer may open: a KAM's own (she is in the team), every account for heads and operators.</summary>
public static class AccountListPage
{
    public static async Task<IResult> RenderAsync(ConsoleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (v, user) = (request.Viewer, request.User);
        var accounts = (await request.Service<PortfolioSnapshots>().GetAsync(request.Aborted)).Accounts.Where(a => Access.CanSeeAccount(user, a))
            .OrderBy(a => a.Name, StringComparer.Create(v.Culture, ignoreCase: true)).ToList();
        var html = new Html();
        html.Add($"<section><table class=\"accounts\"><thead><tr><th>{v.T("account")}</th><th>{v.T("kam")}</th><th>{v.T("head")}</th><th>{v.T("groups")}</th></tr></thead><tbody>");
        foreach (var a in accounts.Take(500))
        {
            html.Add($"<tr><td><a href=\"{v.Link("accounts/" + Uri.EscapeDataString(a.Id))}\">{a.Name}</a>{(a.IsKeyAccount ? HtmlString.Empty : Html.Of($" <span class=\"tag\">{v.T("ordinary_client")}</span>"))}</td>");
            html.Add($"<td>{a.Kam.Name ?? a.Kam.Email.Value}</td><td>{a.Head.Name ?? a.Head.Email.Value}</td><td>");
            foreach (var g in a.AssignedGroups)
            {
                html.Add($"<span class=\"tag\">{v.Term("group_", Domain.Events.WireName.Of(g))}</span>");
            }

            html.Add($"</td></tr>");
        }

        html.Add($"</tbody></table>{(accounts.Count == 0 ? Html.Of($"<p class=\"muted\">{v.T("no_accounts")}</p>") : HtmlString.Empty)}</section>");
        return Layout.Page(request, v.T("accounts"), html.ToHtmlString());
    }
}
