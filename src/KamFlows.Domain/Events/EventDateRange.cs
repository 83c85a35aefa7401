namespace KamFlows.Domain.Events;

/// <summary>
/// The dates a canonical event may carry, in its envelope or its data: what every part of KamFlows can represent.
/// 1601-01-01 is the earliest date Azure Table Storage keeps; 9000-12-31 leaves centuries below the end of
/// <see cref="DateTimeOffset"/> (9999-12-31) so that whatever the workflows add to a date (days, months, years) stays
/// representable. A timestamp must lie in the range both as written and in UTC ("0001-01-01T00:00:00+01:00" is in year 0 in UTC).
/// </summary>
public static class EventDateRange
{
    public static readonly LocalDate Earliest = new(1601, 1, 1);

    public static readonly LocalDate Latest = new(9000, 12, 31);

    public static bool Contains(LocalDate date) => date >= Earliest && date <= Latest;

    public static bool Contains(OffsetDateTime timestamp) => Contains(timestamp.Date) && Contains(timestamp.ToInstant().InUtc().Date);

    internal static string Problem => $"is outside the dates KamFlows can represent ({JsonText.Format(Earliest)} to {JsonText.Format(Latest)})";
}
