using KamFlows.Domain.Calendar;

namespace KamFlows.Domain.Tests.Calendar;

public sealed class NationalHolidaysTests
{
    private static LocalDate D(int y, int m, int d) => new(y, m, d);

    private static BusinessCalendar Person(string zone, string? country = null) => BusinessCalendar.ForPerson(BusinessCalendar.ZoneFromId(zone), country);

    [Fact]
    public void BusinessCalendar_FinnishZoneWithoutCrmHolidays_NewYearsDayIsNoBusinessDay()
    {
        var helsinki = Person("Europe/Helsinki");

        Assert.Equal("FI", helsinki.Country);
        Assert.False(helsinki.IsBusinessDay(D(2026, 1, 1)));
        Assert.False(helsinki.IsBusinessDay(D(2026, 1, 6))); // Epiphany
        Assert.True(helsinki.IsBusinessDay(D(2026, 1, 2)));
        Assert.Empty(helsinki.Holidays); // Nothing came from a CRM list.
    }

    [Fact]
    public void BusinessCalendar_RussiaSaturdayFirstNovember2025_IsAWorkingDayAndMondayThirdIsOff()
    {
        var moscow = Person("Europe/Moscow");

        Assert.Equal("RU", moscow.Country);
        Assert.True(moscow.IsBusinessDay(D(2025, 11, 1)));
        Assert.False(moscow.IsBusinessDay(D(2025, 11, 3)));
        Assert.False(moscow.IsBusinessDay(D(2025, 11, 4)));
        Assert.Equal(D(2025, 11, 1), moscow.NextBusinessDay(D(2025, 10, 31)));
        Assert.Equal(D(2025, 11, 5), moscow.NextBusinessDay(D(2025, 11, 1)));
    }

    [Theory]
    [InlineData("2024-04-27", true)] // working Saturday (decree No. 1314)
    [InlineData("2024-04-29", false)]
    [InlineData("2024-04-30", false)]
    [InlineData("2024-12-28", true)]
    [InlineData("2024-12-31", false)]
    [InlineData("2025-01-08", false)]
    [InlineData("2025-01-09", true)]
    [InlineData("2025-02-24", false)] // 23 February on a Sunday
    [InlineData("2025-03-10", false)] // 8 March on a Saturday
    [InlineData("2025-05-02", false)]
    [InlineData("2025-05-08", true)]
    [InlineData("2025-12-31", false)]
    [InlineData("2026-01-09", false)]
    [InlineData("2026-01-12", true)]
    [InlineData("2026-05-11", false)] // 9 May on a Saturday
    [InlineData("2027-06-14", false)] // projected: 12 June on a Saturday
    public void BusinessCalendar_Russia_ProductionCalendar(string date, bool worked) =>
        Assert.Equal(worked, Person("Europe/Moscow").IsBusinessDay(NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value));

    [Fact]
    public void BusinessCalendar_RussianWorkingDaysPerYear_MatchTheProductionCalendar()
    {
        var moscow = Person("Europe/Moscow");
        int WorkingDays(int year) => Enumerable.Range(0, new LocalDate(year, 12, 31).DayOfYear).Count(i => moscow.IsBusinessDay(new LocalDate(year, 1, 1).PlusDays(i)));

        // The published totals of the Russian production calendar.
        Assert.Equal(248, WorkingDays(2024));
        Assert.Equal(247, WorkingDays(2025));
        Assert.Equal(247, WorkingDays(2026));
    }

    [Theory]
    [InlineData("2025-03-03", false)] // Liberation Day
    [InlineData("2025-04-18", false)] // Orthodox Good Friday
    [InlineData("2025-04-21", false)] // Orthodox Easter Monday
    [InlineData("2025-05-06", false)] // St George's Day
    [InlineData("2025-05-26", false)] // 24 May on a Saturday
    [InlineData("2025-09-08", false)] // 6 September on a Saturday
    [InlineData("2025-09-22", false)]
    [InlineData("2025-05-07", true)]
    [InlineData("2026-04-10", false)]
    [InlineData("2026-12-28", false)] // 26 December on a Saturday
    [InlineData("2027-05-04", false)] // 1 May on Holy Saturday, Easter Monday on 3 May
    public void BusinessCalendar_Bulgaria_LabourCodeHolidays(string date, bool worked) =>
        Assert.Equal(worked, Person("Europe/Sofia").IsBusinessDay(NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value));

    [Theory]
    [InlineData("SE", "2026-06-19")] // Midsummer Eve
    [InlineData("EE", "2026-02-24")] // Independence Day
    [InlineData("DE", "2026-10-03")] // German Unity Day
    [InlineData("GB", "2026-08-31")] // Summer bank holiday (England)
    [InlineData("US", "2026-07-03")] // Independence Day observed on the Friday
    [InlineData("FI", "2026-05-14")] // Ascension Day
    public void NationalHolidays_LibraryCountries_KnowTheirHolidays(string country, string date)
    {
        var holidays = NationalHolidays.For(country)!;

        Assert.Equal("PublicHoliday library", holidays.Source);
        Assert.True(holidays.IsDayOff(NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value));
    }

    [Fact]
    public void BusinessCalendar_CountryGiven_WinsOverTheZone()
    {
        // A Bulgarian office that keeps Helsinki time (a Finnish team's shared calendar): Bulgaria's holidays count.
        var calendar = Person("Europe/Helsinki", "bg");

        Assert.Equal("BG", calendar.Country);
        Assert.False(calendar.IsBusinessDay(D(2025, 5, 6)));
        Assert.True(calendar.IsBusinessDay(D(2026, 1, 6))); // Finnish Epiphany is worked in Bulgaria.
    }

    [Fact]
    public void BusinessCalendar_CrmHolidays_AreAddedToTheNationalOnes()
    {
        var calendar = BusinessCalendar.ForPerson(BusinessCalendar.ZoneFromId("Europe/Helsinki"), null, holidays: [D(2026, 1, 2)]);

        Assert.False(calendar.IsBusinessDay(D(2026, 1, 1)));
        Assert.False(calendar.IsBusinessDay(D(2026, 1, 2)));
        Assert.Equal(D(2026, 1, 5), calendar.NextBusinessDay(D(2025, 12, 31)));
    }

    [Fact]
    public void BusinessCalendar_UtcZone_HasNoNationalHolidays()
    {
        var utc = BusinessCalendar.ForPerson(DateTimeZone.Utc, null);

        Assert.Null(utc.Country);
        Assert.True(utc.IsBusinessDay(D(2026, 1, 1)));
    }

    [Fact]
    public void CountryOfZone_IanaZones_TheirCountries()
    {
        Assert.Equal("BG", NationalHolidays.CountryOfZone(BusinessCalendar.ZoneFromId("Europe/Sofia")));
        Assert.Equal("UA", NationalHolidays.CountryOfZone(BusinessCalendar.ZoneFromId("Europe/Kiev"))); // an alias
        Assert.Null(NationalHolidays.CountryOfZone(DateTimeZone.Utc));
        Assert.True(NationalHolidays.IsKnownCountry("ru"));
        Assert.False(NationalHolidays.IsKnownCountry("XX"));
        Assert.False(NationalHolidays.IsKnownCountry("RUS"));
    }

    [Theory]
    [InlineData("ru", "Europe/Moscow")]     // The tz database lists Kaliningrad first.
    [InlineData("AU", "Australia/Sydney")]  // ... Lord Howe.
    [InlineData("CA", "America/Toronto")]   // ... St John's.
    [InlineData("BR", "America/Sao_Paulo")] // ... Noronha.
    [InlineData("US", "America/New_York")]  // The first zone where it is the principal one.
    [InlineData("BG", "Europe/Sofia")]
    public void PrincipalZoneOf_Country_TheZoneMostOfItsBusinessRunsOn(string country, string zone) =>
        Assert.Equal(zone, NationalHolidays.PrincipalZoneOf(country)!.Id);

    [Fact]
    public void PrincipalZoneOf_CountryWithoutZones_IsNull() => Assert.Null(NationalHolidays.PrincipalZoneOf("XX"));

    [Fact]
    public void ZonesOf_Country_ItsTzdbZonesInTheDatabaseOrder_AnyCase()
    {
        Assert.Equal(["Europe/Sofia"], NationalHolidays.ZonesOf("bg").Select(z => z.Id));
        Assert.Contains("Europe/Moscow", NationalHolidays.ZonesOf("RU").Select(z => z.Id));
        Assert.True(NationalHolidays.ZonesOf("RU").Count > 5);
        Assert.Empty(NationalHolidays.ZonesOf("XX"));
    }

    [Fact]
    public void HolidayDataFiles_EveryFile_ParsesAndCovers2024To2027WithItsSourceAndStatus()
    {
        var files = HolidayDataFiles.Files;

        foreach (var country in new[] { "RU", "BG" })
        {
            Assert.Equal([2024, 2025, 2026, 2027], files.Where(f => f.Country == country).Select(f => f.Year));
        }

        Assert.All(files, f =>
        {
            Assert.NotEmpty(f.Source);
            Assert.Contains(f.Status, new[] { HolidayYear.Official, HolidayYear.Projected });
            Assert.All(f.WorkingDays, d => Assert.True(d.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday, $"{f.Country} {d}: a transferred working day is a weekend day"));
        });
        Assert.Equal(HolidayYear.Projected, files.Single(f => f.Country == "RU" && f.Year == 2027).Status);
    }

    [Theory]
    [InlineData("RU", 2024)]
    [InlineData("RU", 2025)]
    [InlineData("RU", 2026)]
    [InlineData("RU", 2027)]
    [InlineData("BG", 2024)]
    [InlineData("BG", 2025)]
    [InlineData("BG", 2026)]
    [InlineData("BG", 2027)]
    public void HolidayDataFiles_EachFile_ContainsEveryStatutoryHoliday(string country, int year)
    {
        // The statutory rule is computed independently of the files: a typo in a file's dates fails here.
        var file = HolidayDataFiles.Find(country, year)!;
        var statutory = StatutoryHolidays.Project(country, year);

        foreach (var (date, name) in statutory.DaysOff.Where(d => !IsTransferByDecreeYear(country, d.Key)))
        {
            Assert.True(file.DaysOff.ContainsKey(date), $"{country}-{year}.json lacks {date:uuuu-MM-dd} ({name})");
        }
    }

    [Theory]
    [InlineData(2024, 5, 5)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 12)]
    [InlineData(2027, 5, 2)]
    public void OrthodoxEaster_KnownYears(int year, int month, int day) =>
        Assert.Equal(new LocalDate(year, month, day), StatutoryHolidays.OrthodoxEaster(year));

    [Fact]
    public void NationalHolidays_RussiaYearWithoutFile_ProjectedFromTheLabourCode()
    {
        var year = NationalHolidays.For("RU")!.Year(2030);

        Assert.Equal(HolidayYear.Projected, year.Status);
        Assert.True(year.DaysOff.ContainsKey(D(2030, 6, 12)));
    }

    // In Russia the decree, not art. 112, moves the days off of Christmas on a weekend (2024: Sunday 7 January → 31 December).
    private static bool IsTransferByDecreeYear(string country, LocalDate date) =>
        country == "RU" && date.Month == 1 && date.Day > 8;
}
