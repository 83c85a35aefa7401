using KamFlows.Infrastructure.Accounts;

namespace KamFlows.Infrastructure.Tests.Accounts;

/// <summary>The quarterly review converts revenue with the same rates as the portfolio report (KamFlows:Portfolio).</summary>
public sealed class CurrencyRatesTests
{
    [Fact]
    public async Task AccountReader_PortfolioSettings_GiveTheReviewTheReportingCurrencyAndRates()
    {
        var settings = new PortfolioSettings { ReportingCurrency = "EUR", Rates = new(StringComparer.Ordinal) { ["SEK"] = 0.09m } };

        var rates = await new AccountReader(null!, settings).GetCurrencyRatesAsync(default);

        Assert.Equal("EUR", rates!.ReportingCurrency);
        Assert.Equal(0.09m, rates.Rates["SEK"]);
        Assert.Null(await new AccountReader(null!).GetCurrencyRatesAsync(default));
    }
}
