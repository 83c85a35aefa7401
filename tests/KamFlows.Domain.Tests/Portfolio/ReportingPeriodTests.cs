using KamFlows.Domain.Portfolio;
using static KamFlows.Domain.Tests.TestData;

namespace KamFlows.Domain.Tests.Portfolio;

public sealed class ReportingPeriodTests
{
    [Theory]
    [InlineData(1, "2026-01-01", "2026-03-31")]
    [InlineData(2, "2026-04-01", "2026-06-30")]
    [InlineData(4, "2026-10-01", "2026-12-31")]
    public void Quarter_Number_InclusiveDates(int quarter, string start, string end) =>
        Assert.Equal(new ReportingPeriod(Date(start), Date(end)), ReportingPeriod.Quarter(2026, quarter));

    [Fact]
    public void Quarter_Five_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => ReportingPeriod.Quarter(2026, 5));

    [Fact]
    public void Constructor_EndBeforeStart_Throws() => Assert.Throws<ArgumentException>(() => new ReportingPeriod(Date("2026-02-01"), Date("2026-01-31")));

    [Fact]
    public void ContainsAndOverlaps_Quarters_Expected()
    {
        var year = ReportingPeriod.Year(2026);
        Assert.True(year.Contains(ReportingPeriod.Quarter(2026, 3)));
        Assert.False(ReportingPeriod.Quarter(2026, 3).Contains(year));
        Assert.True(ReportingPeriod.Quarter(2026, 3).Overlaps(year));
        Assert.False(ReportingPeriod.Quarter(2026, 1).Overlaps(ReportingPeriod.Quarter(2026, 2)));
        Assert.False(year.Overlaps(ReportingPeriod.Year(2025)));
    }

    [Fact]
    public void RevenueReport_NegativeRevenue_Throws() =>
        Assert.Throws<ArgumentException>(() => new RevenueReport("A", ReportingPeriod.Year(2026), Eur(-1m)));
}
