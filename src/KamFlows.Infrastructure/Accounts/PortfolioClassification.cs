using Azure.Data.Tables;
using KamFlows.Domain.Common;
using KamFlows.Domain.Portfolio;
using NodaTime;

namespace KamFlows.Infrastructure.Accounts;

/// <summary>Settings of the portfolio report (section <c>KamFlows:Portfolio</c>).</summary>
public sealed class PortfolioSettings
{
    public const string Section = "KamFlows:Portfolio";

    /// <summary>Length of the reporting period: this many whole calendar months before the current one.</summary>
    public int PeriodMonths { get; set; } = 12;

    /// <summary>Currency of totals and shares (ISO 4217).</summary>
    public string ReportingCurrency { get; set; } = "EUR";

    /// <summary>Units of the reporting currency per one unit of another currency, e.g. <c>Rates:USD = 0.92</c>.</summary>
    public Dictionary<string, decimal> Rates { get; set; } = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (PeriodMonths is < 1 or > 120)
        {
            errors.Add($"{Section}:{nameof(PeriodMonths)} must be between 1 and 120.");
        }

        if (!CurrencyCode.IsKnown(ReportingCurrency))
        {
            errors.Add($"{Section}:{nameof(ReportingCurrency)} '{ReportingCurrency}' is not an ISO 4217 currency code.");
        }

        foreach (var (code, rate) in Rates)
        {
            if (!CurrencyCode.IsKnown(code) || rate <= 0m)
            {
                errors.Add($"{Section}:{nameof(Rates)}:{code} must be a known currency with a positive rate (got {rate}).");
            }
        }

        return errors;
    }
}

/// <summary>A portfolio report and the revenue reports left out because they straddle the period's edge.</summary>
public sealed record PortfolioClassificationResult(PortfolioAnalysisResult Analysis, ReportingPeriod Period, IReadOnlyList<RevenueReport> LeftOut);

/// <summary>
/// Breadwinner and revenue shares from the revenue reports in the account store, over the configured period ending
/// with the last whole month before now (all time from the injected <see cref="TimeProvider"/>).
/// </summary>
public sealed class PortfolioClassification(AccountStore store, AccountReader reader, PortfolioSettings settings, TimeProvider clock, PortfolioOptions? thresholds = null)
{
    public ReportingPeriod CurrentPeriod()
    {
        var today = LocalDate.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var firstOfMonth = new LocalDate(today.Year, today.Month, 1);
        return new ReportingPeriod(firstOfMonth.PlusMonths(-settings.PeriodMonths), firstOfMonth.PlusDays(-1));
    }

    public async Task<PortfolioClassificationResult> ClassifyAsync(CancellationToken cancellationToken)
    {
        var period = CurrentPeriod();
        var accounts = await reader.ListAccountsAsync(cancellationToken).ConfigureAwait(false);
        var reports = await ReadRevenueAsync(cancellationToken).ConfigureAwait(false);
        var leftOut = reports.Where(r => !period.Contains(r.Period) && period.Overlaps(r.Period)).ToList();
        var input = new PortfolioInput(
            period,
            reports.Except(leftOut).ToList(),
            accounts.Where(a => a.IsKeyAccount).Select(a => a.Id).ToHashSet(StringComparer.Ordinal),
            CurrencyCode.Parse(settings.ReportingCurrency),
            settings.Rates.ToDictionary(kv => CurrencyCode.Parse(kv.Key), kv => kv.Value));
        return new PortfolioClassificationResult(new PortfolioAnalysis(thresholds).Analyze(input), period, leftOut);
    }

    private async Task<List<RevenueReport>> ReadRevenueAsync(CancellationToken cancellationToken)
    {
        await store.EnsureCreatedAsync().ConfigureAwait(false);
        var (from, to) = AccountRows.Range(AccountRows.Revenue);
        var filter = TableClient.CreateQueryFilter($"RowKey ge {from} and RowKey lt {to}");
        var reports = new List<RevenueReport>();
        await foreach (var row in store.Accounts.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var start = Domain.Events.JsonText.Date.Parse(row.GetString("PeriodStart") ?? string.Empty);
            var end = Domain.Events.JsonText.Date.Parse(row.GetString("PeriodEnd") ?? string.Empty);
            if (start.Success && end.Success && AccountRows.Amount(row.GetString("Amount")) is { } amount
                && CurrencyCode.TryParse(row.GetString("Currency"), out var currency))
            {
                reports.Add(new RevenueReport(row.PartitionKey, new ReportingPeriod(start.Value, end.Value), new Money(amount, currency)));
            }
        }

        return reports;
    }
}
