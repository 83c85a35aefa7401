namespace KamFlows.Domain.Portfolio;

/// <summary>One revenue report's margin: the revenue (in its currency) and the margin earned on it in percent.</summary>
public sealed record MarginReport(decimal Revenue, string Currency, decimal MarginPercent);

/// <summary>
/// An account's margin over a period from its revenue reports: Σ(revenue × margin) / Σ revenue, with revenue converted to one
/// currency, rounded to 0.01 %. Unknown (null) rather than guessed: no report with a margin, no revenue to weigh by, or a currency without a rate.
/// </summary>
public static class RevenueWeightedMargin
{
    /// <summary>The weighted margin of <paramref name="reports"/>; <paramref name="rates"/> (units of <paramref name="reportingCurrency"/> per unit of another currency) are needed only when they mix currencies.</summary>
    public static decimal? Of(IEnumerable<MarginReport> reports, string? reportingCurrency = null, IReadOnlyDictionary<string, decimal>? rates = null)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var list = reports.ToList();
        if (list.Count == 0)
        {
            return null;
        }

        var currencies = list.Select(r => r.Currency).Distinct(StringComparer.Ordinal).ToList();
        var target = currencies.Count == 1 ? currencies[0] : reportingCurrency;
        decimal weighted = 0m, total = 0m;
        foreach (var report in list)
        {
            decimal? rate = report.Currency == target ? 1m : rates is not null && rates.TryGetValue(report.Currency, out var r) && r > 0m ? r : null;
            if (rate is not { } known)
            {
                return null; // Weighing mixed currencies without a rate would be a guess.
            }

            weighted += report.Revenue * known * report.MarginPercent;
            total += report.Revenue * known;
        }

        return total > 0m ? Math.Round(weighted / total, 2, MidpointRounding.AwayFromZero) : null;
    }
}
