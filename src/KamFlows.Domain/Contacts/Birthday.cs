using System.Globalization;

namespace KamFlows.Domain.Contacts;

/// <summary>
/// A birthday: day and month always, year only when known (people often share the day, not the year).
/// Text form is ISO 8601: <c>1975-04-12</c>, or <c>--04-12</c> without a year.
/// Invariant: when the year is known, the full date exists (no 29 February in a common year).
/// </summary>
public sealed record Birthday
{
    public Birthday(AnnualDate day, int? year = null)
    {
        if (year is { } y && (y < 1900 || y > 9999 || !day.IsValidYear(y)))
        {
            throw new ArgumentException($"{day} does not exist in year {y}.", nameof(year));
        }

        Day = day;
        Year = year;
    }

    public AnnualDate Day { get; }

    public int? Year { get; }

    public static bool TryParse(string? text, [NotNullWhen(true)] out Birthday? birthday)
    {
        birthday = null;
        if (text is null)
        {
            return false;
        }

        if (text.Length == 7 && text.StartsWith("--", StringComparison.Ordinal) && text[4] == '-'
            && TryDigits(text.AsSpan(2, 2), out var month) && TryDigits(text.AsSpan(5, 2), out var dayOfMonth)
            && IsValidAnnualDate(month, dayOfMonth))
        {
            birthday = new Birthday(new AnnualDate(month, dayOfMonth));
            return true;
        }

        if (NodaTime.Text.LocalDatePattern.Iso.Parse(text) is { Success: true } parsed && parsed.Value.Year >= 1900)
        {
            birthday = new Birthday(new AnnualDate(parsed.Value.Month, parsed.Value.Day), parsed.Value.Year);
            return true;
        }

        return false;
    }

    /// <summary>The next birthday on or after <paramref name="today"/>; 29 February falls on 28 February in common years.</summary>
    public LocalDate NextOccurrence(LocalDate today)
    {
        var thisYear = Day.InYear(today.Year);
        return thisYear >= today ? thisYear : Day.InYear(today.Year + 1);
    }

    public override string ToString() =>
        Year is { } year
            ? string.Create(CultureInfo.InvariantCulture, $"{year:0000}-{Day.Month:00}-{Day.Day:00}")
            : string.Create(CultureInfo.InvariantCulture, $"--{Day.Month:00}-{Day.Day:00}");

    private static bool TryDigits(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static bool IsValidAnnualDate(int month, int day) =>
        month is >= 1 and <= 12 && day >= 1 && day <= (month == 2 ? 29 : CalendarSystem.Iso.GetDaysInMonth(2001, month));
}
