namespace KamFlows.Domain.Portfolio;

/// <summary>The result of a portfolio analysis for one period, in one reporting currency.</summary>
public sealed record PortfolioReport(
    ReportingPeriod Period,
    Money TotalRevenue,
    ValueList<AccountRevenueShare> Accounts,
    decimal KeyAccountShare,
    ValueList<ConcentrationWarning> Warnings)
{
    public ValueList<string> Breadwinners => Accounts.Where(a => a.IsBreadwinner).Select(a => a.AccountId).ToValueList();

    public AccountRevenueShare? Find(string accountId) => Accounts.FirstOrDefault(a => a.AccountId == accountId);
}
