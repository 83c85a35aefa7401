using KamFlows.Workflows.Common;
using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Tests;

/// <summary>The calendar every due time is computed in: the recipient's zone, days, hours and holidays.</summary>
public sealed class RecipientCalendarTests
{
    private static string Local(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void RecipientCalendar_DeadlinesAndWaits_LandOnBusinessDaysAtTheReminderTime_AcrossDst()
    {
        var kam = RecipientCalendar.For(Kam, new TimeOnly(9, 0));
        Assert.Equal("2026-04-02T09:00:00+03:00", Local(kam.OnOrBefore(new NodaTime.LocalDate(2026, 4, 5)))); // Easter Sunday → Thursday.
        Assert.Equal("2026-05-04T09:00:00+03:00", Local(kam.OnOrAfter(new NodaTime.LocalDate(2026, 5, 1)))); // May Day → Monday.
        Assert.Equal("2026-03-30T09:00:00+03:00", Local(kam.BusinessDaysAfter(At("2026-03-27T16:00:00+02:00"), 1)));
        Assert.Equal("2026-03-30T16:00:00+03:00", Local(kam.SameTimeBusinessDaysLater(At("2026-03-27T16:00:00+02:00"), 1)));
        Assert.Equal("2026-03-30T09:00:00+03:00", Local(kam.NextBusinessMoment(At("2026-03-28T03:00:00+02:00"))));
    }

    [Fact]
    public void RecipientCalendar_ReminderTimeOutsideWorkingHours_UsesTheOpeningTime_AndAnUnknownZoneFallsBackToUtc()
    {
        var early = RecipientCalendar.For(Kam with { Opens = "10:00", Closes = "16:00" }, new TimeOnly(9, 0));
        Assert.Equal("2026-03-30T10:00:00+03:00", Local(early.OnOrAfter(new NodaTime.LocalDate(2026, 3, 28))));

        var broken = RecipientCalendar.For(new TeamMemberProfile("x@supplier.example", null, "en", "Mars/Olympus", ["mon", "bad"], "x", "y", []), new TimeOnly(9, 0));
        Assert.Equal("UTC", broken.TimeZone);
        Assert.Equal("2026-03-30T09:00:00+00:00", Local(broken.OnOrAfter(new NodaTime.LocalDate(2026, 3, 28)))); // Mondays only.
        Assert.Equal("2026-04-06T09:00:00+00:00", Local(broken.BusinessDaysAfter(At("2026-03-30T12:00:00Z"), 1)));
    }
}
