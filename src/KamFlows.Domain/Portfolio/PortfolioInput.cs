namespace KamFlows.Domain.Portfolio;

/// <summary>
/// What the analysis needs: the period, every revenue report known (those outside the period are ignored),
/// which accounts are key accounts, the reporting currency and, for reports in other currencies,
/// the rate to it (units of reporting currency per one unit of the other currency).
/// </summary>
public sealed record PortfolioInput(
    ReportingPeriod Period,
    IReadOnlyList<RevenueReport> Reports,
    IReadOnlySet<string> KeyAccountIds,
    CurrencyCode ReportingCurrency,
    IReadOnlyDictionary<CurrencyCode, decimal>? RatesToReportingCurrency = null);
