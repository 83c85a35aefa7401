using KamFlows.Domain.Contacts;
using static KamFlows.Domain.Tests.TestData;

namespace KamFlows.Domain.Tests.Contacts;

public sealed class BirthdayTests
{
    [Theory]
    [InlineData("1975-04-12", 4, 12, 1975)]
    [InlineData("--04-12", 4, 12, null)]
    [InlineData("--02-29", 2, 29, null)]
    [InlineData("1980-02-29", 2, 29, 1980)]
    public void TryParse_IsoForms_DayAndOptionalYear(string text, int month, int day, int? year)
    {
        Assert.True(Birthday.TryParse(text, out var birthday));
        Assert.Equal(new AnnualDate(month, day), birthday.Day);
        Assert.Equal(year, birthday.Year);
        Assert.Equal(text, birthday.ToString());
    }

    [Theory]
    [InlineData("1975-02-30")]
    [InlineData("1975-02-29")]
    [InlineData("--02-30")]
    [InlineData("--13-01")]
    [InlineData("--4-12")]
    [InlineData("12.04.1975")]
    [InlineData("1850-01-01")]
    [InlineData("")]
    public void TryParse_Invalid_False(string text) => Assert.False(Birthday.TryParse(text, out _));

    [Theory]
    [InlineData("--04-12", "2026-03-01", "2026-04-12")]
    [InlineData("--04-12", "2026-04-12", "2026-04-12")]
    [InlineData("--04-12", "2026-04-13", "2027-04-12")]
    [InlineData("--02-29", "2026-01-10", "2026-02-28")]
    [InlineData("--02-29", "2027-12-31", "2028-02-29")]
    public void NextOccurrence_FromToday_NextBirthdayOnOrAfter(string birthday, string today, string expected)
    {
        Assert.True(Birthday.TryParse(birthday, out var parsed));
        Assert.Equal(Date(expected), parsed.NextOccurrence(Date(today)));
    }

    [Fact]
    public void Constructor_LeapDayInCommonYear_Throws() =>
        Assert.Throws<ArgumentException>(() => new Birthday(new AnnualDate(2, 29), 1975));
}
