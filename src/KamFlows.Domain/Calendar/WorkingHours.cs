using System.Globalization;
using NodaTime.Text;

namespace KamFlows.Domain.Calendar;

/// <summary>
/// Daily opening hours in local time, <c>[Opens, Closes)</c>.
/// Invariant: <see cref="Opens"/> is strictly before <see cref="Closes"/> on the same day (no overnight shifts).
/// </summary>
public sealed record WorkingHours
{
    public static readonly WorkingHours NineToSix = new(new LocalTime(9, 0), new LocalTime(18, 0));

    private static readonly LocalTimePattern HourMinute = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");

    public WorkingHours(LocalTime opens, LocalTime closes)
    {
        if (opens >= closes)
        {
            throw new ArgumentException($"Working hours must open before they close (got {Format(opens)}–{Format(closes)}).", nameof(closes));
        }

        Opens = opens;
        Closes = closes;
    }

    public LocalTime Opens { get; }

    public LocalTime Closes { get; }

    public bool Contains(LocalTime time) => time >= Opens && time < Closes;

    public override string ToString() => $"{Format(Opens)}–{Format(Closes)}";

    private static string Format(LocalTime time) => HourMinute.Format(time).ToString(CultureInfo.InvariantCulture);
}
