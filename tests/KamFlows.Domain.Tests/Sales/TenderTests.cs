using KamFlows.Domain.Sales;
using static KamFlows.Domain.Tests.TestData;

namespace KamFlows.Domain.Tests.Sales;

public sealed class TenderTests
{
    private static Tender Tender() => new("T-9", "ACME", "Logistics 2027", Date("2026-11-16"), resultExpectedOn: Date("2026-12-15"));

    [Theory]
    [InlineData("2026-11-15", false)]
    [InlineData("2026-11-16", false)]
    [InlineData("2026-11-17", true)]
    public void IsPast_Today_OnlyAfterTenderDay(string today, bool expected) => Assert.Equal(expected, Tender().IsPast(Date(today)));

    [Fact]
    public void IsPast_InstantInZone_UsesLocalDate()
    {
        // 22:30 UTC on the tender day is already the next day in Helsinki, but not in New York.
        Assert.True(Tender().IsPast(At("2026-11-16T22:30:00Z"), Helsinki));
        Assert.False(Tender().IsPast(At("2026-11-16T22:30:00Z"), NewYork));
    }

    [Fact]
    public void DaysUntil_NineMonthsBefore_Counts() => Assert.Equal(270, Tender().DaysUntil(Date("2026-02-19")));

    [Fact]
    public void DaysUntil_AfterTender_Negative() => Assert.Equal(-4, Tender().DaysUntil(Date("2026-11-20")));

    [Fact]
    public void Reschedule_TwoWeeksLater_ResultDateMovesToo()
    {
        var moved = Tender().Reschedule(Date("2026-11-30"));
        Assert.Equal(Date("2026-11-30"), moved.TenderDate);
        Assert.Equal(Date("2026-12-29"), moved.ResultExpectedOn);
    }

    [Fact]
    public void Reschedule_AfterResult_Throws() =>
        Assert.Throws<InvalidOperationException>(() => Tender().RecordResult(TenderOutcome.Won).Reschedule(Date("2026-12-01")));

    [Fact]
    public void RecordResult_Twice_Throws()
    {
        var won = Tender().RecordResult(TenderOutcome.Won);
        Assert.Equal(TenderOutcome.Won, won.Outcome);
        Assert.True(won.HasResult);
        Assert.Throws<InvalidOperationException>(() => won.RecordResult(TenderOutcome.Lost));
    }

    [Fact]
    public void Constructor_ResultExpectedBeforeTender_Throws() =>
        Assert.Throws<ArgumentException>(() => new Tender("T-1", "ACME", "X", Date("2026-11-16"), resultExpectedOn: Date("2026-11-15")));
}
