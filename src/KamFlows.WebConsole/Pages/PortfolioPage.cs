using KamFlows.WebConsole.Auth;
using KamFlows.WebConsole.Data;
using KamFlows.WebConsole.Web;
using KamFlows.Domain.Accounts;
using KamFlows.Domain.Events;
using KamFlows.Domain.Portfolio;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Workflows.Ports;
using Microsoft.AspNetCore.Http;

namespace KamFlows.WebConsole.Pages;

/// <summary>The head's view of the portfolio: Pareto/ABC, key-account share, the four key-client groups, warnings, per-KAM figures.</summary>
public static class PortfolioPage
{
    public static async Task<IResult> RenderAsync(ConsoleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Access.CanSeePortfolio(request.User))
        {
            return Layout.Forbidden(request);
        }

        var v = request.Viewer;
        var ct = request.Aborted;
        var snapshot = await request.Service<PortfolioSnapshots>().GetAsync(ct);
        var (accounts, byId, result) = (snapshot.Accounts, snapshot.ById, snapshot.Classification);
        var figures = await KamFiguresReader.ReadAsync(accounts, request.OptionalService<IUpcomingActions>(), snapshot.Opportunities, request.Service<PortfolioSettings>(), v.Now, ct);
        string Name(string id) => byId.TryGetValue(id, out var a) ? a.Name : id;
        var html = new Html();
        html.Add($"<p class=\"muted\">{v.T("period", v.Date(result.Period.Start), v.Date(result.Period.End))} · {v.T("figures_as_of", v.Time(snapshot.TakenAt))}</p>");
        if (!result.Analysis.Succeeded)
        {
            html.Add($"<section class=\"notice\" role=\"alert\"><h2>{v.T("analysis_failed")}</h2><ul>");
            foreach (var e in result.Analysis.Errors)
            {
                html.Add($"<li>{e}</li>");
            }

            html.Add($"</ul></section>");
        }
        else
        {
            var report = result.Analysis.Report;
            html.Add($"<section><h2>{v.T("pareto_title")}</h2><p>{v.T("total_revenue", v.Money(report.TotalRevenue.Amount, report.TotalRevenue.Currency.Code), v.Number(report.Accounts.Count))}</p>");
            html.Add($"{Charts.Pareto(v, report, Name)}</section>");
            html.Add($"<section><h2>{v.T("key_share_title")}</h2><p data-key-share=\"{report.KeyAccountShare.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)}\">{v.T("key_share_is", v.Percent(report.KeyAccountShare))}</p>{Charts.KeyShare(v, report.KeyAccountShare)}</section>");
            Warnings(html, v, report, Name);
            Groups(html, v, accounts, report);
            Top(html, v, report, byId);
        }

        KamTable(html, v, figures);
        return Layout.Page(request, v.T("portfolio"), html.ToHtmlString());
    }

    private static void Warnings(Html html, Viewer v, PortfolioReport report, Func<string, string> name)
    {
        html.Add($"<section><h2>{v.T("warnings")}</h2>");
        if (report.Warnings.Count == 0)
        {
            html.Add($"<p class=\"ok\">{v.T("no_warnings")}</p>");
        }

        html.Add($"<ul class=\"warnings\">");
        foreach (var w in report.Warnings)
        {
            var key = w.Kind switch
            {
                ConcentrationWarningKind.SingleAccountDominates => "warn_single",
                ConcentrationWarningKind.TopTwoDominate => "warn_top_two",
                ConcentrationWarningKind.MonoDependence => "warn_mono",
                _ => "warn_atypical",
            };
            var names = string.Join(", ", w.AccountIds.Take(5).Select(name)) + (w.AccountIds.Count > 5 ? " …" : string.Empty);
            html.Add($"<li class=\"{(w.Severity == WarningSeverity.Warning ? "warning" : "info")}\">{v.T(key, names, v.Percent(w.Share), v.Percent(w.Threshold, 0))}</li>");
        }

        html.Add($"</ul></section>");
    }

    private static void Groups(Html html, Viewer v, IReadOnlyList<Account> accounts, PortfolioReport report)
    {
        html.Add($"<section><h2>{v.T("groups")}</h2><div class=\"cards\">");
        foreach (var group in Enum.GetValues<KeyClientGroup>())
        {
            var members = accounts.Where(a => a.GroupsWith(report.Find(a.Id)?.IsBreadwinner == true).Contains(group)).OrderBy(a => report.Find(a.Id)?.Rank ?? int.MaxValue).ToList();
            var wire = WireName.Of(group);
            html.Add($"<div class=\"card\" data-group=\"{wire}\"><h3>{v.Term("group_", wire)} <span class=\"tag\">{members.Count}</span></h3><p class=\"muted\">{v.Term("group_", wire + "_about")}</p><ul>");
            foreach (var a in members.Take(8))
            {
                html.Add($"<li><a href=\"{v.Link("accounts/" + Uri.EscapeDataString(a.Id))}\">{a.Name}</a></li>");
            }

            html.Add($"</ul>{(members.Count > 8 ? Html.Of($"<p class=\"muted\">{v.T("and_more", members.Count - 8)}</p>") : HtmlString.Empty)}</div>");
        }

        html.Add($"</div></section>");
    }

    private static void Top(Html html, Viewer v, PortfolioReport report, IReadOnlyDictionary<string, Account> byId)
    {
        html.Add($"<section><h2>{v.T("accounts_by_revenue")}</h2><table class=\"shares\"><thead><tr><th class=\"num\">#</th><th>{v.T("account")}</th><th>{v.T("kam")}</th>");
        html.Add($"<th class=\"num\">{v.T("revenue")}</th><th class=\"num\">{v.T("share")}</th><th class=\"num\">{v.T("cumulative")}</th><th>ABC</th></tr></thead><tbody>");
        foreach (var r in report.Accounts.Take(25))
        {
            var a = byId.GetValueOrDefault(r.AccountId);
            html.Add($"<tr><td class=\"num\">{r.Rank}</td><td>{(a is null ? Html.Of($"{r.AccountId}") : Html.Of($"<a href=\"{v.Link("accounts/" + Uri.EscapeDataString(a.Id))}\">{a.Name}</a>"))}</td>");
            html.Add($"<td>{a?.Kam.Name ?? a?.Kam.Email.Value}</td><td class=\"num\">{v.Money(r.Revenue.Amount, r.Revenue.Currency.Code)}</td><td class=\"num\">{v.Percent(r.Share)}</td><td class=\"num\">{v.Percent(r.CumulativeShare)}</td><td>{r.Class}</td></tr>");
        }

        html.Add($"</tbody></table>{(report.Accounts.Count > 25 ? Html.Of($"<p class=\"muted\">{v.T("and_more", report.Accounts.Count - 25)}</p>") : HtmlString.Empty)}</section>");
    }

    private static void KamTable(Html html, Viewer v, IReadOnlyList<KamFigures> figures)
    {
        html.Add($"<section><h2>{v.T("per_kam")}</h2><table class=\"kams\"><thead><tr><th>{v.T("kam")}</th><th class=\"num\">{v.T("accounts")}</th><th class=\"num\">{v.T("overdue_tasks")}</th>");
        html.Add($"<th class=\"num\">{v.T("stalled_deals")}</th><th class=\"num\">{v.T("proposals_without_follow_up")}</th><th class=\"num\">{v.T("pipeline")}</th></tr></thead><tbody>");
        foreach (var k in figures)
        {
            html.Add($"<tr><td>{k.Name ?? k.Email} <span class=\"muted\">{k.Email}</span></td><td class=\"num\">{k.Accounts}</td><td class=\"num{(k.OverdueTasks > 0 ? " warning" : string.Empty)}\">{k.OverdueTasks}</td>");
            html.Add($"<td class=\"num\">{k.StalledDeals}</td><td class=\"num\">{k.ProposalsWithoutFollowUp}</td><td class=\"num\">{v.Money(k.Pipeline, k.Currency)}</td></tr>");
        }

        html.Add($"</tbody></table></section>");
    }
}
