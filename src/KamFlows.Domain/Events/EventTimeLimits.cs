using NodaTime.Text;

namespace KamFlows.Domain.Events;

/// <summary>
/// When an event may say it happened, checked at the door against the clock: not before <see cref="Earliest"/> (no CRM
/// history is that old; year 0 is a producer's bug) and not more than <see cref="MaxFutureSkew"/> after now (a producer's
/// clock may run a little fast; an event from 2200 would make every real update of its object look older and be ignored).
/// </summary>
public sealed record EventTimeLimits(Instant Earliest, Duration MaxFutureSkew)
{
    public static readonly Instant DefaultEarliest = Instant.FromUtc(2000, 1, 1, 0, 0);

    public static readonly Duration DefaultMaxFutureSkew = Duration.FromDays(1);

    /// <summary>The problem with <paramref name="canonicalEvent"/>'s time at <paramref name="now"/>, reported at <c>{path}.time</c>; null when acceptable.</summary>
    public EventValidationError? Check(CanonicalEvent canonicalEvent, string path, Instant now)
    {
        ArgumentNullException.ThrowIfNull(canonicalEvent);
        ArgumentNullException.ThrowIfNull(path);
        var field = path.Length == 0 ? "time" : path + ".time";
        var time = canonicalEvent.Time.ToInstant();
        if (time < Earliest)
        {
            return new EventValidationError(field, $"must not be before {InstantPattern.General.Format(Earliest)} (got '{JsonText.Format(canonicalEvent.Time)}')");
        }

        var latest = now + MaxFutureSkew;
        return time > latest
            ? new EventValidationError(field, $"must not be more than {Describe(MaxFutureSkew)} in the future, i.e. after {InstantPattern.General.Format(latest)} (got '{JsonText.Format(canonicalEvent.Time)}')")
            : null;
    }

    private static string Describe(Duration skew) => skew.ToTimeSpan() switch
    {
        { TotalDays: 1 } => "1 day",
        var t when t.Ticks % TimeSpan.TicksPerDay == 0 => $"{t.TotalDays:0} days",
        var t => t.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };
}
