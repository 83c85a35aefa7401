using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
using KamFlows.Domain.Portfolio;

namespace KamFlows.Domain.Tests.Events;

/// <summary>Issue 14: kam.revenue.reported carries an optional margin (margin_percent and/or gross_margin), checked field by field.</summary>
public sealed class RevenueMarginParserTests
{
    private static string Event(string margin, decimal revenue = 200_000m, string currency = "EUR") =>
        $$"""
        {"specversion":"1.0","id":"r-1","source":"/erp","type":"kam.revenue.reported","time":"2026-04-02T08:00:00+03:00",
         "data":{"account_id":"ACME","period_start":"2026-01-01","period_end":"2026-03-31",
                 "revenue":{"amount":{{revenue.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"currency":"{{currency}}"}{{margin}} } }
        """;

    private static RevenueReported Parse(string json) => (RevenueReported)CanonicalEventParser.ParseOrThrow(json).Data;

    [Theory]
    [InlineData("", null)]
    [InlineData(""","margin_percent":4.5""", "4.5")]
    [InlineData(""","margin_percent":-12""", "-12")] // A loss.
    [InlineData(""","margin_percent":100""", "100")]
    [InlineData(""","gross_margin":{"amount":9000,"currency":"EUR"}""", "4.5")]
    [InlineData(""","gross_margin":{"amount":-4000,"currency":"EUR"}""", "-2")]
    [InlineData(""","margin_percent":4.5,"gross_margin":{"amount":9000,"currency":"EUR"}""", "4.5")]
    [InlineData(""","margin_percent":4.5,"gross_margin":{"amount":9009.99,"currency":"EUR"}""", "4.5")] // 4.504995 % rounds to 4.5.
    [InlineData(""","margin_percent":5,"gross_margin":{"amount":10900,"currency":"EUR"}""", "5")] // 5.45 % rounds to 5.
    public void Margin_AcceptedAsPercentOrGrossMargin_AndBothWhenTheyAgreeWithinRounding(string margin, string? expected)
    {
        var data = Parse(Event(margin));

        Assert.Equal(expected is null ? null : decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), data.MarginPercent);
    }

    [Theory]
    [InlineData(""","margin_percent":100.5""", "data.margin_percent: must be from -100 to 100 (got 100.5)")]
    [InlineData(""","margin_percent":-101""", "data.margin_percent: must be from -100 to 100 (got -101)")]
    [InlineData(""","margin_percent":"4.5" """, "data.margin_percent: must be a number, not a string")]
    [InlineData(""","gross_margin":{"amount":9000,"currency":"USD"}""", "data.gross_margin.currency: must be the revenue's currency EUR (got USD)")]
    [InlineData(""","gross_margin":{"amount":200001,"currency":"EUR"}""", "data.gross_margin.amount: must be from -200000 to 200000, the revenue (got 200001)")]
    [InlineData(""","gross_margin":{"amount":9000}""", "data.gross_margin.currency: required")]
    [InlineData(""","gross_margin":9000""", "data.gross_margin: must be a JSON object, not a number")]
    [InlineData(""","margin_percent":4.6,"gross_margin":{"amount":9000,"currency":"EUR"}""", "data.margin_percent: must agree with gross_margin (9000 of 200000 is 4.5 %, got 4.6)")]
    [InlineData(""","margin_percent":4.51,"gross_margin":{"amount":9000,"currency":"EUR"}""", "data.margin_percent: must agree with gross_margin (9000 of 200000 is 4.5 %, got 4.51)")]
    [InlineData(""","margin_pct":4.5""", "data.margin_pct: unknown member")]
    public void Margin_Invalid_IsRefusedNamingTheField(string margin, string expected)
    {
        var result = CanonicalEventParser.Parse(Event(margin));

        Assert.False(result.IsValid);
        Assert.Equal([expected], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void GrossMargin_OnZeroRevenue_IsRefused()
    {
        var result = CanonicalEventParser.Parse(Event(""","gross_margin":{"amount":0,"currency":"EUR"}""", revenue: 0m));

        Assert.Equal(["data.gross_margin: cannot be given for a revenue of 0 (no margin can be earned on nothing); leave it out"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Margin_SurvivesSerialization_AsSent()
    {
        var parsed = CanonicalEventParser.ParseOrThrow(Event(""","margin_percent":4.5,"gross_margin":{"amount":9000,"currency":"EUR"}"""));

        var again = (RevenueReported)CanonicalEventParser.ParseOrThrow(CanonicalEventJson.Serialize(parsed)).Data;

        Assert.Equal((4.5m, 9000m, "EUR"), (again.MarginPercentSent!.Value, again.GrossMargin!.Amount, again.GrossMargin.Currency.Code));
        Assert.Equal(parsed.Data, again);
    }

    [Fact]
    public void WeightedMargin_WeighsByRevenue_AndIsUnknownRatherThanGuessed()
    {
        Assert.Equal(4.75m, RevenueWeightedMargin.Of([new(100_000m, "EUR", 4m), new(300_000m, "EUR", 5m)]));
        Assert.Equal(15m, RevenueWeightedMargin.Of([new(100_000m, "EUR", 10m), new(1_000_000m, "SEK", 20m)], "EUR", new Dictionary<string, decimal> { ["SEK"] = 0.1m }));
        Assert.Null(RevenueWeightedMargin.Of([new(100_000m, "EUR", 10m), new(1_000_000m, "SEK", 20m)], "EUR", new Dictionary<string, decimal>()));
        Assert.Null(RevenueWeightedMargin.Of([]));
        Assert.Null(RevenueWeightedMargin.Of([new(0m, "EUR", 10m)])); // Nothing to weigh by.
    }
}
