namespace KamFlows.Domain.Calendar;

/// <summary>
/// The statutory rule of the countries whose holidays come from data files, for a year that has no file yet (status
/// <c>projected</c>): Russia's Labour Code art. 112 (1–8 January, 23 February, 8 March, 1 and 9 May, 12 June, 4 November;
/// a holiday on a weekend other than 1–6 and 8 January moves the day off to the next working day; the government's
/// yearly transfers are unknown), Bulgaria's Labour Code art. 154 (fixed holidays, Orthodox Easter Friday to Monday; a
/// fixed holiday on a weekend makes the next working day a day off). Other countries get no days.
/// </summary>
internal static class StatutoryHolidays
{
    public static HolidayYear Project(string country, int year) => country switch
    {
        "RU" => Build(country, year, "Projected from the Labour Code of the Russian Federation, art. 112 (no government decree on transfers for this year is in the repository).",
            [(1, 1, "New Year holidays", false), (1, 2, "New Year holidays", false), (1, 3, "New Year holidays", false), (1, 4, "New Year holidays", false),
             (1, 5, "New Year holidays", false), (1, 6, "New Year holidays", false), (1, 7, "Orthodox Christmas", true), (1, 8, "New Year holidays", false),
             (2, 23, "Defender of the Fatherland Day", true), (3, 8, "International Women's Day", true), (5, 1, "Spring and Labour Day", true),
             (5, 9, "Victory Day", true), (6, 12, "Russia Day", true), (11, 4, "Unity Day", true)],
            []),
        "BG" => Build(country, year, "Projected from the Labour Code of the Republic of Bulgaria, art. 154 (Council of Ministers bridge days are not known).",
            [(1, 1, "New Year's Day", true), (3, 3, "Liberation Day", true), (5, 1, "Labour Day", true), (5, 6, "St George's Day", true),
             (5, 24, "Day of Bulgarian Education and Culture", true), (9, 6, "Unification Day", true), (9, 22, "Independence Day", true),
             (12, 24, "Christmas Eve", true), (12, 25, "Christmas", true), (12, 26, "Christmas", true)],
            [(-2, "Orthodox Good Friday"), (-1, "Orthodox Holy Saturday"), (0, "Orthodox Easter"), (1, "Orthodox Easter Monday")]),
        _ => HolidayYear.Empty(country, year, "No statutory rule is known for this country."),
    };

    /// <summary>Orthodox Easter Sunday in the Gregorian calendar (Meeus' Julian algorithm, plus the 13 days valid 1900–2099).</summary>
    public static LocalDate OrthodoxEaster(int year)
    {
        var a = year % 4;
        var b = year % 7;
        var c = year % 19;
        var d = ((19 * c) + 15) % 30;
        var e = ((2 * a) + (4 * b) - d + 34) % 7;
        var month = (d + e + 114) / 31;
        var day = ((d + e + 114) % 31) + 1;
        return new LocalDate(year, month, day).PlusDays(13);
    }

    private static HolidayYear Build(string country, int year, string source, (int Month, int Day, string Name, bool MovesFromWeekend)[] fixedDays, (int FromEaster, string Name)[] easterDays)
    {
        var days = new Dictionary<LocalDate, string>();
        foreach (var (month, day, name, _) in fixedDays)
        {
            days.TryAdd(new LocalDate(year, month, day), name);
        }

        if (easterDays.Length > 0)
        {
            var easter = OrthodoxEaster(year);
            foreach (var (offset, name) in easterDays)
            {
                days.TryAdd(easter.PlusDays(offset), name);
            }
        }

        foreach (var (month, day, name, moves) in fixedDays)
        {
            var date = new LocalDate(year, month, day);
            if (!moves || date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday))
            {
                continue;
            }

            var next = date.PlusDays(1);
            while (next.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday || days.ContainsKey(next))
            {
                next = next.PlusDays(1);
            }

            days[next] = $"Day off for {name} on a weekend";
        }

        return new HolidayYear(country, year, HolidayYear.Projected, source, days, new HashSet<LocalDate>());
    }
}
