using KamFlows.Domain.Calendar;
using KamFlows.Domain.Common;

namespace KamFlows.Domain.Accounts;

/// <summary>
/// A person on our side who receives reminders: the key account manager or the head of the
/// key-account department. Due times are computed on <see cref="Calendar"/>, in their own zone, with the national
/// holidays of their country. <see cref="Title"/> (job title) signs client-facing mail when known.
/// </summary>
public sealed record TeamMember(EmailAddress Email, Locale Locale, BusinessCalendar Calendar, string? Name = null, string? Title = null)
{
    public EmailAddress Email { get; } = Email ?? throw new ArgumentNullException(nameof(Email));

    public Locale Locale { get; } = Locale ?? throw new ArgumentNullException(nameof(Locale));

    public BusinessCalendar Calendar { get; } = Calendar ?? throw new ArgumentNullException(nameof(Calendar));

    public DateTimeZone TimeZone => Calendar.Zone;

    /// <summary>The country whose holidays the calendar counts (given, or the zone's), or null.</summary>
    public string? Country => Calendar.Country;
}
