using KamFlows.Domain.Calendar;
using static KamFlows.Domain.Tests.TestData;

namespace KamFlows.Domain.Tests.Calendar;

public sealed class WorkingHoursTests
{
    [Fact]
    public void Constructor_OpensAfterCloses_ThrowsShowingTheHours()
    {
        var ex = Assert.Throws<ArgumentException>(() => new WorkingHours(Time("18:00"), Time("09:00")));
        Assert.Contains("18:00–09:00", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_OpensEqualsCloses_Throws() =>
        Assert.Throws<ArgumentException>(() => new WorkingHours(Time("09:00"), Time("09:00")));

    [Fact]
    public void Contains_HalfOpenInterval_IncludesOpeningExcludesClosing()
    {
        Assert.True(WorkingHours.NineToSix.Contains(Time("09:00")));
        Assert.False(WorkingHours.NineToSix.Contains(Time("18:00")));
        Assert.False(WorkingHours.NineToSix.Contains(Time("08:59")));
    }

    [Fact]
    public void ToString_Default_ReadsNineToSix() => Assert.Equal("09:00–18:00", WorkingHours.NineToSix.ToString());
}
