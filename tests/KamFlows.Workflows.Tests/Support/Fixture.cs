using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Tests.Support;

/// <summary>
/// The account the scenarios use: Acme Oy, KAM Anna Virtanen in Helsinki (Finnish public holidays 2026), head Boris
/// Petrov in Moscow (no daylight saving, Russian holidays). Helsinki moves to summer time on 2026-03-29 and back on
/// 2026-10-25, so the KAM and the head share +03:00 in summer and differ by an hour in winter.
/// </summary>
public static class Fixture
{
    public const string AccountId = "ACME";
    public const string KamEmail = "anna.virtanen@supplier.example";
    public const string HeadEmail = "boris.petrov@supplier.example";

    public static readonly DateOnly[] FinnishHolidays2026 =
    [
        new(2026, 1, 1), new(2026, 1, 6), new(2026, 4, 3), new(2026, 4, 6), new(2026, 5, 1), new(2026, 5, 14),
        new(2026, 6, 19), new(2026, 12, 24), new(2026, 12, 25),
    ];

    public static readonly DateOnly[] RussianHolidays2026 =
    [
        new(2026, 1, 1), new(2026, 1, 2), new(2026, 1, 5), new(2026, 1, 6), new(2026, 1, 7), new(2026, 1, 8),
        new(2026, 2, 23), new(2026, 3, 9), new(2026, 5, 1), new(2026, 5, 11), new(2026, 6, 12), new(2026, 11, 4),
    ];

    private static readonly string[] Weekdays = ["mon", "tue", "wed", "thu", "fri"];

    public static TeamMemberProfile Kam => new(KamEmail, "Anna Virtanen", "fi", "Europe/Helsinki", Weekdays, "09:00", "18:00", FinnishHolidays2026);

    public static TeamMemberProfile Head => new(HeadEmail, "Boris Petrov", "ru", "Europe/Moscow", Weekdays, "09:00", "18:00", RussianHolidays2026);

    public static AccountProfile Profile(decimal? priceFloor = null, bool allowsDirectReferenceRequests = false, string[]? bonds = null, bool isKeyAccount = true) =>
        new(AccountId, "Acme Oy", "EUR", Kam, Head, priceFloor, allowsDirectReferenceRequests, isKeyAccount, ["image_maker"], bonds ?? ["personal", "information_and_control"]);

    public static ContactProfile Mikko => new("C-1", AccountId, "Mikko Laine", "mikko.laine@acme.example", "executive", "high", "supporter", false);

    public static ContactProfile Sari => new("C-2", AccountId, "Sari Koski", "sari.koski@acme.example", "finance", "medium", "neutral", false);

    /// <summary>Acme with its profile and two DMU members.</summary>
    public static void Acme(InMemoryAccountReader reader, decimal? priceFloor = null, bool allowsDirectReferenceRequests = false, string[]? bonds = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        reader.Profiles[AccountId] = Profile(priceFloor, allowsDirectReferenceRequests, bonds);
        reader.AddContact(Mikko);
        reader.AddContact(Sari);
    }

    /// <summary>An instant from local wall-clock text with offset, e.g. "2026-03-27T16:00:00+02:00".</summary>
    public static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
