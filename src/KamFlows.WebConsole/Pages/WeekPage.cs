using KamFlows.WebConsole.Auth;
using KamFlows.WebConsole.Data;
using KamFlows.WebConsole.Web;
using KamFlows.Workflows.Ports;
using Microsoft.AspNetCore.Http;

namespace KamFlows.WebConsole.Pages;

/// <summary>
/// My week: what the workflows will bring the signed-in KAM (or head) across her accounts, overdue tasks first, then day
/// by day in her time zone for the next seven days; each with the rule that caused it and a link to its account.
/// </summary>
public static class WeekPage
{
    public static async Task<IResult> RenderAsync(ConsoleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (v, user, ct) = (request.Viewer, request.User, request.Aborted);
        if (!Access.CanSeeWeek(user))
        {
            return Layout.Forbidden(request);
        }

        var html = new Html();
        if (request.OptionalService<IUpcomingActions>() is not { } upcoming)
        {
            html.Add($"<p class=\"notice\">{v.T("nothing_planned")}</p>");
            return Layout.Page(request, v.T("my_week"), html.ToHtmlString());
        }

        var days = int.TryParse(request.Query("days"), out var d) && d is >= 1 and <= 31 ? d : 7;
        var end = v.Today.PlusDays(days).AtStartOfDayInZone(v.Zone).ToDateTimeOffset();
        var actions = await upcoming.ForKamAsync(user.Email, v.Now.AddDays(-60), end, ct);
        var names = (await request.Service<PortfolioSnapshots>().GetAsync(ct)).ById;
        var overdue = actions.Where(a => a.Action.DueAt < v.Now && KamFiguresReader.IsTask(a.Action.Kind)).OrderBy(a => a.Action.DueAt).ToList();
        var ahead = actions.Where(a => a.Action.DueAt >= v.Now).OrderBy(a => a.Action.DueAt).ToList();
        html.Add($"<p class=\"muted\">{v.T("week_intro", user.Email, days)}</p>");
        html.Add($"<section class=\"overdue\"><h2 class=\"{(overdue.Count > 0 ? "warning" : string.Empty)}\">{v.T("overdue")} ({overdue.Count})</h2>");
        Rows(html, v, overdue, names);
        html.Add($"</section>");
        foreach (var day in ahead.GroupBy(a => v.DateOf(a.Action.DueAt)))
        {
            html.Add($"<section class=\"day\"><h2>{(day.Key == v.Today ? v.T("today") + " · " : string.Empty)}{v.DayHeading(day.Key)}</h2>");
            Rows(html, v, day.ToList(), names);
            html.Add($"</section>");
        }

        if (ahead.Count == 0)
        {
            html.Add($"<p class=\"muted\">{v.T("nothing_planned")}</p>");
        }

        return Layout.Page(request, v.T("my_week"), html.ToHtmlString());
    }

    private static void Rows(Html html, Viewer v, List<(string AccountId, string SourceKey, PlannedAction Action)> actions, IReadOnlyDictionary<string, Domain.Accounts.Account> names)
    {
        if (actions.Count == 0)
        {
            html.Add($"<p class=\"muted\">{v.T("none")}</p>");
            return;
        }

        html.Add($"<table><thead><tr><th>{v.T("when")}</th><th>{v.T("what")}</th><th>{v.T("rule")}</th><th>{v.T("account")}</th></tr></thead><tbody>");
        foreach (var (accountId, source, a) in actions)
        {
            html.Add($"<tr><td>{v.Time(a.DueAt)}</td><td>{a.Title}</td><td>{v.Term("kind_", a.Kind)} <span class=\"muted\">{source}</span></td>");
            html.Add($"<td><a href=\"{v.Link("accounts/" + Uri.EscapeDataString(accountId))}\">{(names.TryGetValue(accountId, out var account) ? account.Name : accountId)}</a></td></tr>");
        }

        html.Add($"</tbody></table>");
    }
}
