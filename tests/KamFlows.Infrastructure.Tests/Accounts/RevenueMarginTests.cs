using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Tests.Intake;
using KamFlows.Infrastructure.Timeline;

namespace KamFlows.Infrastructure.Tests.Accounts;

/// <summary>Margins on kam.revenue.reported, stored with the report and read back revenue-weighted for the value-bond flag (issue 14).</summary>
public sealed class RevenueMarginTests
{
    private static CanonicalEvent Revenue(string id, string time, string start, string end, decimal amount, string currency = "EUR", string margin = "")
    {
        var revenue = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{{\"amount\":{amount},\"currency\":\"{currency}\"}}");
        return CanonicalEventParser.ParseOrThrow($$"""
            {"specversion":"1.0","id":"{{id}}","source":"/t","type":"kam.revenue.reported","time":"{{time}}",
             "data":{"account_id":"ACME","period_start":"{{start}}","period_end":"{{end}}","revenue":{{revenue}}{{margin}} } }
            """);
    }

    private static async Task<(AccountStore Store, AccountReader Reader)> CreateAsync(PortfolioSettings? portfolio = null)
    {
        var (clients, _) = await IntakeStoreTests.ClientsAsync();
        var store = new AccountStore(clients, new TimelineStore(clients));
        return (store, new AccountReader(store, portfolio));
    }

    private static readonly DateOnly Q1Start = new(2026, 1, 1);
    private static readonly DateOnly Q1End = new(2026, 3, 31);

    [Fact]
    public async Task Margin_RevenueWeightedOverTheReportsWithinThePeriod_FromPercentOrGrossMargin()
    {
        var (store, reader) = await CreateAsync();
        // January 100 000 at 4 %, February 300 000 with a gross margin of 15 000 (5 %), March without a margin: (4 000 + 15 000) / 400 000 = 4.75 %.
        await store.ApplyAsync(Revenue("jan", "2026-02-02T08:00:00Z", "2026-01-01", "2026-01-31", 100_000m, margin: ""","margin_percent":4"""), default);
        await store.ApplyAsync(Revenue("feb", "2026-03-02T08:00:00Z", "2026-02-01", "2026-02-28", 300_000m, margin: ""","gross_margin":{"amount":15000,"currency":"EUR"}"""), default);
        await store.ApplyAsync(Revenue("mar", "2026-04-01T08:00:00Z", "2026-03-01", "2026-03-31", 500_000m), default);
        // The whole year overlaps the quarter but does not lie within it: not this quarter's margin.
        await store.ApplyAsync(Revenue("year", "2026-04-01T08:00:00Z", "2025-07-01", "2026-06-30", 9_000_000m, margin: ""","margin_percent":50"""), default);

        Assert.Equal(4.75m, await reader.GetMarginPercentAsync("ACME", Q1Start, Q1End, default));
        Assert.Equal(4m, await reader.GetMarginPercentAsync("ACME", Q1Start, new DateOnly(2026, 1, 31), default));
        Assert.Null(await reader.GetMarginPercentAsync("ACME", new DateOnly(2026, 3, 1), Q1End, default)); // March carries none: unknown, not 0.
        Assert.Null(await reader.GetMarginPercentAsync("OTHER", Q1Start, Q1End, default));
    }

    [Fact]
    public async Task Margin_ALaterReportOfTheSamePeriodReplacesIt_AndAnOlderOneChangesNothing()
    {
        var (store, reader) = await CreateAsync();
        await store.ApplyAsync(Revenue("v2", "2026-04-03T08:00:00Z", "2026-01-01", "2026-03-31", 310_000m, margin: ""","margin_percent":20"""), default);
        await store.ApplyAsync(Revenue("v1", "2026-04-02T08:00:00Z", "2026-01-01", "2026-03-31", 300_000m, margin: ""","margin_percent":4.5"""), default); // Late, older.
        Assert.Equal(20m, await reader.GetMarginPercentAsync("ACME", Q1Start, Q1End, default));

        await store.ApplyAsync(Revenue("v3", "2026-04-04T08:00:00Z", "2026-01-01", "2026-03-31", 310_000m), default); // The correction carries no margin.
        Assert.Null(await reader.GetMarginPercentAsync("ACME", Q1Start, Q1End, default));
    }

    [Fact]
    public async Task Margin_MixedCurrencies_ConvertedWithThePortfolioRates_OrUnknownWithoutARate()
    {
        var withRate = await CreateAsync(new PortfolioSettings { ReportingCurrency = "EUR", Rates = new(StringComparer.Ordinal) { ["SEK"] = 0.1m } });
        // 100 000 EUR at 10 % and 1 000 000 SEK (100 000 EUR) at 20 %: 15 %.
        await withRate.Store.ApplyAsync(Revenue("eur", "2026-02-02T08:00:00Z", "2026-01-01", "2026-01-31", 100_000m, margin: ""","margin_percent":10"""), default);
        await withRate.Store.ApplyAsync(Revenue("sek", "2026-03-02T08:00:00Z", "2026-02-01", "2026-02-28", 1_000_000m, "SEK", ""","margin_percent":20"""), default);
        Assert.Equal(15m, await withRate.Reader.GetMarginPercentAsync("ACME", Q1Start, Q1End, default));

        var noRate = await CreateAsync();
        await noRate.Store.ApplyAsync(Revenue("eur", "2026-02-02T08:00:00Z", "2026-01-01", "2026-01-31", 100_000m, margin: ""","margin_percent":10"""), default);
        await noRate.Store.ApplyAsync(Revenue("sek", "2026-03-02T08:00:00Z", "2026-02-01", "2026-02-28", 1_000_000m, "SEK", ""","margin_percent":20"""), default);
        Assert.Null(await noRate.Reader.GetMarginPercentAsync("ACME", Q1Start, Q1End, default)); // Weighing SEK against EUR without a rate would be a guess.
        Assert.Equal(20m, await noRate.Reader.GetMarginPercentAsync("ACME", new DateOnly(2026, 2, 1), Q1End, default)); // One currency needs no rate.
    }
}
