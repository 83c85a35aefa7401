using System.Globalization;
using NodaTime.Text;

namespace KamFlows.Domain.Events;

/// <summary>The text formats of canonical-event JSON: ISO 8601 dates, RFC 3339 timestamps with an offset, HH:mm times.</summary>
public static class JsonText
{
    /// <summary><c>2026-03-01</c>.</summary>
    public static readonly LocalDatePattern Date = LocalDatePattern.Iso;

    /// <summary><c>2026-03-10T09:30:00+02:00</c> or <c>…Z</c>, optional fraction of a second; the offset is required.</summary>
    public static readonly OffsetDateTimePattern Timestamp =
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFFFo<Z+HH:mm>");

    /// <summary><c>09:00</c>.</summary>
    public static readonly LocalTimePattern TimeOfDay = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");

    public static string Format(LocalDate date) => Date.Format(date);

    public static string Format(OffsetDateTime timestamp) => Timestamp.Format(timestamp);

    public static string Format(LocalTime time) => TimeOfDay.Format(time);

    internal static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
