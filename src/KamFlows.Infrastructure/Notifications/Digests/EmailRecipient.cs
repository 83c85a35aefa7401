using System.Text.Json.Serialization;
using KamFlows.Domain.Calendar;
using KamFlows.Domain.Events;
using NodaTime;
using NodaTime.Text;

namespace KamFlows.Infrastructure.Notifications.Digests;

/// <summary>Which digests a person wants. Persisted by name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DigestPreference>))]
public enum DigestPreference
{
    /// <summary>KAM: the agenda every business day. Head: the weekly report.</summary>
    Daily,

    /// <summary>KAM: the agenda on the first business day of each week. Head: the weekly report.</summary>
    Weekly,

    /// <summary>No digests.</summary>
    Off,
}

/// <summary>
/// A person KamFlows writes to, with what digests need: their calendar (zone, working days, hours, holidays), their role
/// (KAM, head or both; a KAM lists the heads who see them in the weekly report), their preferences, and when each of
/// their digests is next due.
/// </summary>
public sealed record EmailRecipient
{
    public required string Email { get; init; }

    public string? Name { get; init; }

    public string Locale { get; init; } = "en";

    public string TimeZone { get; init; } = "UTC";

    public bool IsKam { get; init; }

    public bool IsHead { get; init; }

    /// <summary>Heads of the KAM's accounts (lower-case addresses).</summary>
    public IReadOnlyList<string> Heads { get; init; } = [];

    /// <summary>mon … sun.</summary>
    public IReadOnlyList<string> WorkingDays { get; init; } = ["mon", "tue", "wed", "thu", "fri"];

    public string Opens { get; init; } = "09:00";

    public string Closes { get; init; } = "18:00";

    public IReadOnlyList<DateOnly> Holidays { get; init; } = [];

    /// <summary>ISO 3166-1 alpha-2 whose national holidays count; null: the zone's country.</summary>
    public string? Country { get; init; }

    public DigestPreference Digest { get; init; } = DigestPreference.Daily;

    /// <summary>Unsubscribed from everything not essential (tasks, escalations and approvals still arrive).</summary>
    public bool NonEssentialOptOut { get; init; }

    public DateTimeOffset? NextAgendaAt { get; init; }

    public DateTimeOffset? NextReportAt { get; init; }

    public Azure.ETag ETag { get; init; }

    public BusinessCalendar Calendar()
    {
        var days = WorkingDays.Select(d => WireName.TryParseDay(d, out var day) ? day : throw new InvalidOperationException($"'{d}' is not a day name (mon … sun)."));
        var hours = new WorkingHours(LocalTimePattern.CreateWithInvariantCulture("HH':'mm").Parse(Opens).GetValueOrThrow(),
            LocalTimePattern.CreateWithInvariantCulture("HH':'mm").Parse(Closes).GetValueOrThrow());
        return BusinessCalendar.ForPerson(BusinessCalendar.ZoneFromId(TimeZone), Country, hours, days, Holidays.Select(LocalDate.FromDateOnly));
    }
}
