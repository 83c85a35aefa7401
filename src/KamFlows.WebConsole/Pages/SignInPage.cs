using KamFlows.WebConsole.Auth;
using KamFlows.WebConsole.Web;
using KamFlows.Domain.Common;
using Microsoft.AspNetCore.Http;

namespace KamFlows.WebConsole.Pages;

/// <summary>
/// The local sign-in: pick one of the people the accounts name (each KAM and head) or type any address, and a role. Only
/// when <see cref="ConsoleOptions.LocalSignIn"/> is on (the local host's default); in Azure, Entra ID signs people in.
/// </summary>
public static class SignInPage
{
    public const string DefaultOperator = "operator@kamflows.local";

    public static async Task<IResult> HandleAsync(ConsoleRequest request, ConsoleIdentity identity, bool isPost)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(identity);
        var v = request.Viewer;
        if (!identity.Options.LocalSignIn)
        {
            return Layout.Message(request, StatusCodes.Status404NotFound, "sign_in_title", v.T(identity.Options.TrustEasyAuthPrincipal ? "sign_in_entra" : "no_sign_in_configured"));
        }

        var returnTo = request.Query("return");
        if (isPost)
        {
            var form = await request.Http.Request.ReadFormAsync(request.Aborted);
            var email = form["email"].ToString().Trim();
            var role = ConsoleUser.ParseRole(form["role"].ToString());
            if (!EmailAddress.IsValid(email) || role == ConsoleRoles.None)
            {
                return Layout.Message(request, StatusCodes.Status400BadRequest, "bad_request_title", v.T("sign_in_invalid"));
            }

            var name = form["name"].ToString().Trim();
            identity.SignInLocally(request.Http, new ConsoleUser(email, name.Length > 0 ? name : email, role));
            return Results.Redirect(ConsoleApp.LocalReturn(request, form["return"].ToString()));
        }

        var accounts = (await request.Service<Data.PortfolioSnapshots>().GetAsync(request.Aborted)).Accounts;
        var people = accounts.Select(a => (a.Kam.Email.Value, a.Kam.Name, Role: "kam"))
            .Concat(accounts.Select(a => (a.Head.Email.Value, a.Head.Name, Role: "head")))
            .DistinctBy(p => (p.Value.ToUpperInvariant(), p.Role)).OrderBy(p => p.Role, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.OrdinalIgnoreCase)
            .Append((DefaultOperator, (string?)"Operator", "operator")).ToList();
        var html = new Html();
        html.Add($"<p>{v.T("sign_in_local_intro")}</p><section><table><thead><tr><th>{v.T("person")}</th><th>{v.T("role")}</th><th></th></tr></thead><tbody>");
        foreach (var (email, name, role) in people)
        {
            html.Add($"<tr><td>{name ?? email} <span class=\"muted\">{email}</span></td><td>{v.T("role_" + role)}</td><td><form method=\"post\" class=\"inline\">{request.AntiforgeryField()}");
            html.Add($"<input type=\"hidden\" name=\"email\" value=\"{email}\"><input type=\"hidden\" name=\"name\" value=\"{name ?? email}\"><input type=\"hidden\" name=\"role\" value=\"{role}\">");
            html.Add($"<input type=\"hidden\" name=\"return\" value=\"{returnTo}\"><button type=\"submit\" class=\"primary\">{v.T("sign_in_as", name ?? email, v.T("role_" + role))}</button></form></td></tr>");
        }

        html.Add($"</tbody></table></section><section><h2>{v.T("sign_in_other")}</h2><form method=\"post\" class=\"filters\">{request.AntiforgeryField()}");
        html.Add($"<input type=\"hidden\" name=\"return\" value=\"{returnTo}\"><label>{v.T("email")} <input name=\"email\" type=\"email\" required></label>");
        html.Add($"<label>{v.T("name")} <input name=\"name\"></label><label>{v.T("role")} <select name=\"role\"><option value=\"kam\">{v.T("role_kam")}</option>");
        html.Add($"<option value=\"head\">{v.T("role_head")}</option><option value=\"operator\">{v.T("role_operator")}</option></select></label>");
        html.Add($"<button type=\"submit\" class=\"primary\">{v.T("sign_in")}</button></form></section>");
        return Layout.Page(request, v.T("sign_in_title"), html.ToHtmlString());
    }
}
