using KamFlows.Domain.Calendar;
using static KamFlows.Domain.Tests.TestData;

namespace KamFlows.Domain.Tests.Calendar;

public sealed class BusinessCalendarTests
{
    private static readonly BusinessCalendar HelsinkiOffice = BusinessCalendar.ForZone("Europe/Helsinki");
    private static readonly BusinessCalendar NewYorkOffice = BusinessCalendar.ForZone("America/New_York");

    private static readonly IsoDayOfWeek[] EveryDay =
    [
        IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday,
        IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday,
    ];

    // ---- daylight saving: Helsinki springs forward on 29 March 2026 and falls back on 25 October 2026 ----

    [Fact]
    public void NextBusinessDayAt_FridayBeforeHelsinkiSpringForward_MondayNineInSummerTime()
    {
        var due = HelsinkiOffice.NextBusinessDayAt(At("2026-03-27T15:00:00+02:00"), Time("09:00"));

        Assert.Equal("2026-03-30T09:00:00+03", Show(due));
        Assert.Equal(At("2026-03-30T06:00:00Z"), due.ToInstant());
    }

    [Fact]
    public void NextBusinessDayAt_FridayBeforeHelsinkiFallBack_MondayNineInWinterTime()
    {
        var due = HelsinkiOffice.NextBusinessDayAt(At("2026-10-23T15:00:00+03:00"), Time("09:00"));

        Assert.Equal("2026-10-26T09:00:00+02", Show(due));
        Assert.Equal(At("2026-10-26T07:00:00Z"), due.ToInstant());
    }

    [Fact]
    public void NextBusinessDayAt_FridayBeforeNewYorkSpringForward_MondayNineEdt()
    {
        var due = NewYorkOffice.NextBusinessDayAt(At("2026-03-06T17:00:00-05:00"), Time("09:00"));

        Assert.Equal("2026-03-09T09:00:00-04", Show(due));
        Assert.Equal(At("2026-03-09T13:00:00Z"), due.ToInstant());
    }

    [Fact]
    public void NextBusinessDayAt_FridayBeforeNewYorkFallBack_MondayNineEst()
    {
        var due = NewYorkOffice.NextBusinessDayAt(At("2026-10-30T10:00:00-04:00"), Time("09:00"));

        Assert.Equal("2026-11-02T09:00:00-05", Show(due));
        Assert.Equal(At("2026-11-02T14:00:00Z"), due.ToInstant());
    }

    [Fact]
    public void NextBusinessDayAt_MondayMorning_TuesdayNotSameDay() =>
        Assert.Equal("2026-03-10T09:00:00+02", Show(HelsinkiOffice.NextBusinessDayAt(At("2026-03-09T07:00:00+02:00"), Time("09:00"))));

    [Fact]
    public void NextBusinessDayAt_LateEveningUtcAlreadyNextDayLocally_CountsFromLocalDate()
    {
        // 23:30 UTC on Monday is already Tuesday 01:30 in Helsinki, so the next business day is Wednesday.
        Assert.Equal("2026-03-11T09:00:00+02", Show(HelsinkiOffice.NextBusinessDayAt(At("2026-03-09T23:30:00Z"), Time("09:00"))));
    }

    [Fact]
    public void AddBusinessDays_FridayAfternoonAcrossSpringForward_MondaySameWallClockTime()
    {
        var due = HelsinkiOffice.AddBusinessDays(At("2026-03-27T16:00:00+02:00"), 1);

        Assert.Equal("2026-03-30T16:00:00+03", Show(due));
    }

    [Fact]
    public void AddBusinessDays_NegativeAcrossSpringForward_PreviousFridaySameWallClockTime() =>
        Assert.Equal("2026-03-27T10:00:00+02", Show(HelsinkiOffice.AddBusinessDays(At("2026-03-30T10:00:00+03:00"), -1)));

    [Fact]
    public void AddBusinessDays_ZeroDays_SameInstant() =>
        Assert.Equal(At("2026-03-28T10:00:00+02:00"), HelsinkiOffice.AddBusinessDays(At("2026-03-28T10:00:00+02:00"), 0).ToInstant());

    [Fact]
    public void BusinessDaysBefore_ValidityMondayAfterSpringForward_ReminderFridayNineInWinterTime()
    {
        var reminderDay = HelsinkiOffice.BusinessDaysBefore(Date("2026-03-30"), 1);

        Assert.Equal(Date("2026-03-27"), reminderDay);
        Assert.Equal("2026-03-27T09:00:00+02", Show(HelsinkiOffice.StartOfBusinessDay(reminderDay)));
    }

    // ---- the gap and overlap rule ----

    [Fact]
    public void AtLocalTime_InsideHelsinkiSpringForwardGap_FirstInstantAfterTheGap() =>
        Assert.Equal("2026-03-29T04:00:00+03", Show(HelsinkiOffice.AtLocalTime(Date("2026-03-29"), Time("03:30"))));

    [Fact]
    public void AtLocalTime_InsideNewYorkSpringForwardGap_FirstInstantAfterTheGap() =>
        Assert.Equal("2026-03-08T03:00:00-04", Show(NewYorkOffice.AtLocalTime(Date("2026-03-08"), Time("02:30"))));

    [Fact]
    public void AtLocalTime_RepeatedHelsinkiFallBackHour_EarlierOccurrence() =>
        Assert.Equal("2026-10-25T03:30:00+03", Show(HelsinkiOffice.AtLocalTime(Date("2026-10-25"), Time("03:30"))));

    [Fact]
    public void AtLocalTime_RepeatedNewYorkFallBackHour_EarlierOccurrence() =>
        Assert.Equal("2026-11-01T01:30:00-04", Show(NewYorkOffice.AtLocalTime(Date("2026-11-01"), Time("01:30"))));

    [Fact]
    public void StartOfBusinessDay_OpeningFallsInSpringForwardGap_OpensWhenTheClockJumps()
    {
        var nightShift = new BusinessCalendar(Helsinki, new WorkingHours(Time("03:30"), Time("12:00")), EveryDay);

        Assert.Equal("2026-03-29T04:00:00+03", Show(nightShift.StartOfBusinessDay(Date("2026-03-29"))));
        Assert.Equal("2026-03-29T04:00:00+03", Show(nightShift.NextBusinessMoment(At("2026-03-29T02:30:00+02:00"))));
        Assert.True(nightShift.IsWithinBusinessHours(At("2026-03-29T04:00:00+03:00")));
        Assert.False(nightShift.IsWithinBusinessHours(At("2026-03-29T02:59:00+02:00")));
    }

    [Fact]
    public void NextBusinessMoment_SecondPassOfRepeatedHourBeforeOpening_RepeatedOpeningNotThePast()
    {
        var nightShift = new BusinessCalendar(Helsinki, new WorkingHours(Time("03:30"), Time("12:00")), EveryDay);

        // 03:10 in winter time happens after 03:30 summer time; the opening that is still ahead is 03:30 winter time.
        Assert.Equal("2026-10-25T03:30:00+02", Show(nightShift.NextBusinessMoment(At("2026-10-25T03:10:00+02:00"))));
        Assert.Equal("2026-10-25T03:30:00+03", Show(nightShift.NextBusinessMoment(At("2026-10-25T02:00:00+03:00"))));
    }

    // ---- weekends and holidays ----

    [Fact]
    public void IsBusinessDay_WeekendAndHoliday_False()
    {
        var easter = BusinessCalendar.ForZone("Europe/Helsinki", [Date("2026-04-03"), Date("2026-04-06")]);

        Assert.True(easter.IsBusinessDay(Date("2026-04-02")));
        Assert.False(easter.IsBusinessDay(Date("2026-04-03")));
        Assert.True(easter.IsHoliday(Date("2026-04-03")));
        Assert.False(easter.IsBusinessDay(Date("2026-04-04")));
        Assert.False(easter.IsHoliday(Date("2026-04-04")));
        Assert.False(easter.IsBusinessDay(Date("2026-04-05")));
        Assert.False(easter.IsBusinessDay(Date("2026-04-06")));
        Assert.True(easter.IsBusinessDay(Date("2026-04-07")));
    }

    [Fact]
    public void NextBusinessDay_BeforeEasterWeekend_SkipsGoodFridayWeekendAndEasterMonday()
    {
        var easter = BusinessCalendar.ForZone("Europe/Helsinki", [Date("2026-04-03"), Date("2026-04-06")]);

        Assert.Equal(Date("2026-04-07"), easter.NextBusinessDay(Date("2026-04-02")));
        Assert.Equal(Date("2026-04-08"), easter.AddBusinessDays(Date("2026-04-02"), 2));
        Assert.Equal(Date("2026-04-02"), easter.BusinessDaysBefore(Date("2026-04-07"), 1));
        Assert.Equal(Date("2026-04-02"), easter.PreviousBusinessDay(Date("2026-04-07")));
        Assert.Equal("2026-04-07T09:00:00+03", Show(easter.NextBusinessMoment(At("2026-04-02T18:30:00+03:00"))));
    }

    [Fact]
    public void NextBusinessMoment_Saturday_MondayOpening() =>
        Assert.Equal("2026-03-16T09:00:00+02", Show(HelsinkiOffice.NextBusinessMoment(At("2026-03-14T12:00:00+02:00"))));

    [Fact]
    public void NextBusinessMoment_InsideWorkingHours_SameInstant() =>
        Assert.Equal(At("2026-03-10T11:15:00+02:00"), HelsinkiOffice.NextBusinessMoment(At("2026-03-10T11:15:00+02:00")).ToInstant());

    [Fact]
    public void NextBusinessMoment_EarlyMorning_OpeningSameDay() =>
        Assert.Equal("2026-03-10T09:00:00+02", Show(HelsinkiOffice.NextBusinessMoment(At("2026-03-10T06:45:00+02:00"))));

    [Fact]
    public void NextBusinessMoment_AtClosingTime_NextDayOpening() =>
        Assert.Equal("2026-03-11T09:00:00+02", Show(HelsinkiOffice.NextBusinessMoment(At("2026-03-10T18:00:00+02:00"))));

    [Fact]
    public void NextBusinessMoment_FridayEvening_MondayOpening() =>
        Assert.Equal("2026-03-16T09:00:00+02", Show(HelsinkiOffice.NextBusinessMoment(At("2026-03-13T19:00:00+02:00"))));

    [Theory]
    [InlineData("2026-03-10T08:59:00+02:00", false)]
    [InlineData("2026-03-10T09:00:00+02:00", true)]
    [InlineData("2026-03-10T17:59:59+02:00", true)]
    [InlineData("2026-03-10T18:00:00+02:00", false)]
    [InlineData("2026-03-10T07:30:00Z", true)]
    [InlineData("2026-03-14T12:00:00+02:00", false)]
    public void IsWithinBusinessHours_LocalTimeAgainstNineToSix_Expected(string instant, bool expected) =>
        Assert.Equal(expected, HelsinkiOffice.IsWithinBusinessHours(At(instant)));

    // ---- counting business days ----

    [Theory]
    [InlineData("2026-03-13", 7, "2026-03-04")]
    [InlineData("2026-03-13", 1, "2026-03-12")]
    [InlineData("2026-03-14", 1, "2026-03-13")]
    [InlineData("2026-03-16", 1, "2026-03-13")]
    [InlineData("2026-03-13", 0, "2026-03-13")]
    public void BusinessDaysBefore_ValidityDate_CountsBackBusinessDays(string date, int days, string expected) =>
        Assert.Equal(Date(expected), NewYorkOffice.BusinessDaysBefore(Date(date), days));

    [Theory]
    [InlineData("2026-03-13", 1, "2026-03-16")]
    [InlineData("2026-03-14", 1, "2026-03-16")]
    [InlineData("2026-03-16", -1, "2026-03-13")]
    [InlineData("2026-03-09", 10, "2026-03-23")]
    [InlineData("2026-03-14", 0, "2026-03-14")]
    public void AddBusinessDays_Date_SkipsWeekends(string date, int days, string expected) =>
        Assert.Equal(Date(expected), HelsinkiOffice.AddBusinessDays(Date(date), days));

    [Fact]
    public void BusinessDaysBefore_NegativeCount_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HelsinkiOffice.BusinessDaysBefore(Date("2026-03-13"), -1));

    [Fact]
    public void EndOfBusinessDay_Saturday_MondayClosing() =>
        Assert.Equal("2026-03-16T18:00:00+02", Show(HelsinkiOffice.EndOfBusinessDay(Date("2026-03-14"))));

    [Fact]
    public void DateOf_LateUtcEvening_NextLocalDate() =>
        Assert.Equal(Date("2026-03-11"), HelsinkiOffice.DateOf(At("2026-03-10T23:30:00Z")));

    [Fact]
    public void IsBusinessDay_SundayToThursdayWeek_FridayOff()
    {
        var dubai = new BusinessCalendar(
            DateTimeZoneProviders.Tzdb["Asia/Dubai"],
            workingDays: [IsoDayOfWeek.Sunday, IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday]);

        Assert.True(dubai.IsBusinessDay(Date("2026-03-15")));
        Assert.False(dubai.IsBusinessDay(Date("2026-03-13")));
        Assert.Equal(Date("2026-03-15"), dubai.NextBusinessDay(Date("2026-03-12")));
    }

    // ---- construction ----

    [Fact]
    public void ForZone_DefaultCalendar_MondayToFridayNineToSix()
    {
        Assert.Equal("Europe/Helsinki", HelsinkiOffice.Zone.Id);
        Assert.Equal(WorkingHours.NineToSix, HelsinkiOffice.Hours);
        Assert.True(HelsinkiOffice.WorkingDays.SetEquals(BusinessCalendar.MondayToFriday));
        Assert.Empty(HelsinkiOffice.Holidays);
    }

    [Fact]
    public void ForZone_UnknownZone_ThrowsNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => BusinessCalendar.ForZone("Europe/Helsinky"));
        Assert.Contains("'Europe/Helsinky' is not an IANA time zone id", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoWorkingDays_Throws() =>
        Assert.Throws<ArgumentException>(() => new BusinessCalendar(Helsinki, workingDays: []));

    [Fact]
    public void Constructor_NoneDayOfWeek_Throws() =>
        Assert.Throws<ArgumentException>(() => new BusinessCalendar(Helsinki, workingDays: [IsoDayOfWeek.None]));

    [Fact]
    public void Equals_SameSettingsDifferentInstances_True()
    {
        var a = new BusinessCalendar(Helsinki, holidays: [Date("2026-12-24"), Date("2026-12-25")]);
        var b = new BusinessCalendar(Helsinki, holidays: [Date("2026-12-25"), Date("2026-12-24")]);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new BusinessCalendar(Helsinki, holidays: [Date("2026-12-24")]));
        Assert.NotEqual(a, new BusinessCalendar(NewYork, holidays: [Date("2026-12-24"), Date("2026-12-25")]));
    }
}
