using KamFlows.Domain.Sales;
using static KamFlows.Domain.Tests.TestData;

namespace KamFlows.Domain.Tests.Sales;

public sealed class ContractTests
{
    private static Contract Contract() => new("K-1", "ACME", Date("2026-01-01"), Date("2026-12-31"), Eur(480_000m));

    [Fact]
    public void RenewalReminderDates_Defaults_120_60_30DaysBeforeEnd() =>
        Assert.Equal([Date("2026-09-02"), Date("2026-11-01"), Date("2026-12-01")], Contract().RenewalReminderDates(Date("2026-01-01")));

    [Fact]
    public void RenewalReminderDates_SomeAlreadyPassed_LeftOut() =>
        Assert.Equal([Date("2026-11-01"), Date("2026-12-01")], Contract().RenewalReminderDates(Date("2026-10-01")));

    [Fact]
    public void RenewalReminderDates_CustomOffsets_EarliestFirstWithoutDuplicates() =>
        Assert.Equal([Date("2026-12-17"), Date("2026-12-31")], Contract().RenewalReminderDates(Date("2026-01-01"), [0, 14, 14]));

    [Fact]
    public void RenewalReminderDates_NegativeOffset_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Contract().RenewalReminderDates(Date("2026-01-01"), [-1]));

    [Theory]
    [InlineData("2025-12-31", false, false, 365)]
    [InlineData("2026-01-01", true, false, 364)]
    [InlineData("2026-12-31", true, false, 0)]
    [InlineData("2027-01-01", false, true, -1)]
    public void IsActiveOn_Date_InclusiveOfBothEnds(string date, bool active, bool ended, int daysUntilEnd)
    {
        Assert.Equal(active, Contract().IsActiveOn(Date(date)));
        Assert.Equal(ended, Contract().HasEndedOn(Date(date)));
        Assert.Equal(daysUntilEnd, Contract().DaysUntilEnd(Date(date)));
    }

    [Fact]
    public void Constructor_EndBeforeStart_Throws() =>
        Assert.Throws<ArgumentException>(() => new Contract("K-1", "ACME", Date("2026-01-01"), Date("2025-12-31")));
}
