namespace KamFlows.Domain.Portfolio;

/// <summary>Revenue one account brought in one period, as the CRM or ERP reported it. Invariant: valid id, non-negative revenue.</summary>
public sealed record RevenueReport
{
    public RevenueReport(string accountId, ReportingPeriod period, Money revenue)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(revenue);
        AccountId = EntityId.Require(accountId);
        Period = period;
        Revenue = revenue.IsNegative ? throw new ArgumentException("Reported revenue must not be negative.", nameof(revenue)) : revenue;
    }

    public string AccountId { get; }

    public ReportingPeriod Period { get; }

    public Money Revenue { get; }
}
