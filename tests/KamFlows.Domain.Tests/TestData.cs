using KamFlows.Domain.Accounts;
using KamFlows.Domain.Calendar;
using NodaTime.Text;

namespace KamFlows.Domain.Tests;

/// <summary>Shared builders: dates and instants written as text so expected values read like the business speaks.</summary>
internal static class TestData
{
    public static readonly DateTimeZone Helsinki = DateTimeZoneProviders.Tzdb["Europe/Helsinki"];
    public static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    public static LocalDate Date(string text) => LocalDatePattern.Iso.Parse(text).GetValueOrThrow();

    public static LocalTime Time(string text) => LocalTimePattern.CreateWithInvariantCulture("HH':'mm").Parse(text).GetValueOrThrow();

    /// <summary>An instant from an RFC 3339 timestamp with offset, e.g. 2026-03-27T15:00:00+02:00.</summary>
    public static Instant At(string text) => Stamp(text).ToInstant();

    public static OffsetDateTime Stamp(string text) => OffsetDateTimePattern.ExtendedIso.Parse(text).GetValueOrThrow();

    /// <summary>How a zoned result reads on the wall clock, with its offset: 2026-03-30T09:00:00+03.</summary>
    public static string Show(ZonedDateTime value) => OffsetDateTimePattern.ExtendedIso.Format(value.ToOffsetDateTime());

    public static Money Eur(decimal amount) => new(amount, CurrencyCode.Eur);

    public static TeamMember Member(string email, string zone = "Europe/Helsinki", string locale = "fi") =>
        new(EmailAddress.Parse(email), Locale.Parse(locale), BusinessCalendar.ForZone(zone));
}
