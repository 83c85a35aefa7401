using System.Globalization;
using KamFlows.WebConsole.Web;
using KamFlows.Domain.Portfolio;

namespace KamFlows.WebConsole.Pages;

/// <summary>Charts drawn on the server as SVG (no script, no chart package): the Pareto curve and the key-account share gauge.</summary>
public static class Charts
{
    private const int Width = 760, Height = 320, Left = 48, Right = 16, Top = 14, Bottom = 36;

    public static double ParetoX(int rank, int count) => Left + ((double)rank / Math.Max(1, count) * (Width - Left - Right));

    public static double ParetoY(decimal cumulative) => Top + ((1 - (double)cumulative) * (Height - Top - Bottom));

    /// <summary>
    /// Cumulative share of revenue by rank: a point per account (data-rank, data-cumulative exact to 4 decimals), a bar per
    /// account's own share, the A/B/C bands behind, and the 80 % line.
    /// </summary>
    public static HtmlString Pareto(Viewer v, PortfolioReport report, Func<string, string> name, PortfolioOptions? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(name);
        var options = thresholds ?? PortfolioOptions.Default;
        var rows = report.Accounts;
        var n = rows.Count;
        var svg = new Html();
        svg.Add($"<svg role=\"img\" aria-labelledby=\"pareto-title\" class=\"pareto\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Add($"<title id=\"pareto-title\">{v.T("pareto_title")}</title>");
        foreach (var band in rows.GroupBy(r => r.Class))
        {
            var from = ParetoX(band.Min(r => r.Rank) - 1, n);
            var to = ParetoX(band.Max(r => r.Rank), n);
            svg.Add($"<rect class=\"band-{band.Key.ToString().ToLowerInvariant()}\" data-class=\"{band.Key}\" x=\"{F(from)}\" y=\"{Top}\" width=\"{F(to - from)}\" height=\"{Height - Top - Bottom}\"><title>{v.T("class_band", band.Key, band.Count())}</title></rect>");
            svg.Add($"<text x=\"{F((from + to) / 2)}\" y=\"{Top + 12}\" text-anchor=\"middle\">{band.Key}</text>");
        }

        foreach (var tick in new[] { 0m, 0.2m, 0.4m, 0.6m, 0.8m, 1m })
        {
            svg.Add($"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(ParetoY(tick))}\" y2=\"{F(ParetoY(tick))}\"/><text x=\"{Left - 6}\" y=\"{F(ParetoY(tick) + 4)}\" text-anchor=\"end\">{v.Percent(tick, 0)}</text>");
        }

        var barWidth = Math.Max(0.5, ((double)(Width - Left - Right) / Math.Max(1, n)) - 1);
        foreach (var r in rows)
        {
            var y = ParetoY(r.Share);
            svg.Add($"<rect class=\"bar\" x=\"{F(ParetoX(r.Rank - 1, n) + 0.5)}\" y=\"{F(y)}\" width=\"{F(barWidth)}\" height=\"{F(ParetoY(0) - y)}\"/>");
        }

        var line = ParetoY(options.ClassACumulativeShare);
        svg.Add($"<line class=\"line80\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(line)}\" y2=\"{F(line)}\"/><text x=\"{Width - Right}\" y=\"{F(line - 4)}\" text-anchor=\"end\">{v.Percent(options.ClassACumulativeShare, 0)}</text>");
        var points = string.Join(' ', new[] { $"{F(ParetoX(0, n))},{F(ParetoY(0))}" }.Concat(rows.Select(r => $"{F(ParetoX(r.Rank, n))},{F(ParetoY(r.CumulativeShare))}")));
        svg.Add($"<polyline class=\"curve\" points=\"{points}\"/>");
        foreach (var r in rows)
        {
            svg.Add($"<circle class=\"point\" r=\"{(n > 200 ? 1.5 : 3.5)}\" cx=\"{F(ParetoX(r.Rank, n))}\" cy=\"{F(ParetoY(r.CumulativeShare))}\" data-account=\"{r.AccountId}\" data-rank=\"{r.Rank}\" data-cumulative=\"{r.CumulativeShare.ToString("0.0000", CultureInfo.InvariantCulture)}\">");
            svg.Add($"<title>{r.Rank}. {name(r.AccountId)}: {v.Percent(r.Share)} · {v.Percent(r.CumulativeShare)} ({r.Class})</title></circle>");
        }

        svg.Add($"<line class=\"axis\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(ParetoY(0))}\" y2=\"{F(ParetoY(0))}\"/><line class=\"axis\" x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{F(ParetoY(0))}\"/>");
        svg.Add($"<text x=\"{(Width + Left) / 2}\" y=\"{Height - 8}\" text-anchor=\"middle\">{v.T("pareto_x_axis", n)}</text></svg>");
        return svg.ToHtmlString();
    }

    /// <summary>The key-account share on a 0–100 % scale, the typical 30–55 % band shaded and the 75 % mono-dependence line.</summary>
    public static HtmlString KeyShare(Viewer v, decimal share, PortfolioOptions? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(v);
        var o = thresholds ?? PortfolioOptions.Default;
        const int w = 600, h = 70, l = 10, r = 10;
        double X(decimal f) => l + ((double)f * (w - l - r));
        var svg = new Html();
        svg.Add($"<svg role=\"img\" aria-labelledby=\"keyshare-title\" class=\"keyshare\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"keyshare-title\">{v.T("key_share_title")}</title>");
        svg.Add($"<rect class=\"grid\" x=\"{l}\" y=\"20\" width=\"{w - l - r}\" height=\"18\" fill=\"#eef1f4\"/>");
        svg.Add($"<rect class=\"typical\" x=\"{F(X(o.TypicalKeyAccountShareMin))}\" y=\"20\" width=\"{F(X(o.TypicalKeyAccountShareMax) - X(o.TypicalKeyAccountShareMin))}\" height=\"18\"><title>{v.T("typical_band", v.Percent(o.TypicalKeyAccountShareMin, 0), v.Percent(o.TypicalKeyAccountShareMax, 0))}</title></rect>");
        svg.Add($"<line class=\"line75\" x1=\"{F(X(o.MonoDependenceShare))}\" x2=\"{F(X(o.MonoDependenceShare))}\" y1=\"14\" y2=\"44\"/><text x=\"{F(X(o.MonoDependenceShare))}\" y=\"58\" text-anchor=\"middle\">{v.Percent(o.MonoDependenceShare, 0)}</text>");
        svg.Add($"<text x=\"{F((X(o.TypicalKeyAccountShareMin) + X(o.TypicalKeyAccountShareMax)) / 2)}\" y=\"58\" text-anchor=\"middle\">{v.Percent(o.TypicalKeyAccountShareMin, 0)}–{v.Percent(o.TypicalKeyAccountShareMax, 0)}</text>");
        svg.Add($"<path class=\"marker\" data-share=\"{share.ToString("0.0000", CultureInfo.InvariantCulture)}\" d=\"M{F(X(share) - 6)},8 L{F(X(share) + 6)},8 L{F(X(share))},20 Z\"><title>{v.Percent(share)}</title></path>");
        svg.Add($"<text x=\"{F(X(share))}\" y=\"6\" text-anchor=\"middle\" dominant-baseline=\"hanging\"></text></svg>");
        return svg.ToHtmlString();
    }

    /// <summary>Tender milestones on a line from T−first to T: done, due, overdue, moved; today marked.</summary>
    public static HtmlString Milestones(Viewer v, IReadOnlyList<(string Title, int DaysBefore, NodaTime.LocalDate Date, string State)> milestones, NodaTime.LocalDate tenderDate)
    {
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(milestones);
        const int w = 760, h = 90, l = 30, r = 30;
        var span = Math.Max(1, milestones.Count == 0 ? 270 : milestones.Max(m => m.DaysBefore));
        double X(int daysBefore) => l + ((double)(span - daysBefore) / span * (w - l - r));
        var svg = new Html();
        svg.Add($"<svg role=\"img\" class=\"milestones\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{v.T("tender_timeline")}</title>");
        svg.Add($"<line class=\"axis\" x1=\"{l}\" x2=\"{w - r}\" y1=\"40\" y2=\"40\"/>");
        var daysToT = NodaTime.Period.Between(v.Today, tenderDate, NodaTime.PeriodUnits.Days).Days;
        if (daysToT >= 0 && daysToT <= span)
        {
            svg.Add($"<line class=\"today\" x1=\"{F(X(daysToT))}\" x2=\"{F(X(daysToT))}\" y1=\"18\" y2=\"62\"/><text x=\"{F(X(daysToT))}\" y=\"14\" text-anchor=\"middle\">{v.T("today")}</text>");
        }

        foreach (var m in milestones)
        {
            svg.Add($"<circle class=\"{m.State}\" cx=\"{F(X(m.DaysBefore))}\" cy=\"40\" r=\"6\"><title>T−{m.DaysBefore}: {m.Title} · {v.Date(m.Date)} · {v.T("ms_" + m.State)}</title></circle>");
            svg.Add($"<text x=\"{F(X(m.DaysBefore))}\" y=\"62\" text-anchor=\"middle\">{(m.DaysBefore == 0 ? "T" : "T−" + m.DaysBefore.ToString(CultureInfo.InvariantCulture))}</text>");
        }

        svg.Add($"</svg>");
        return svg.ToHtmlString();
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
