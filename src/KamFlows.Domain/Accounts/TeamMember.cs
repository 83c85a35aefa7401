using KamFlows.Domain.Calendar;
using KamFlows.Domain.Common;

namespace KamFlows.Domain.Accounts;

/// <summary>
/// A person on our side who receives reminders: the key account manager or the head of the
/// key-account department. Due times are computed on <see cref="Calendar"/>, in their own zone.
/// </summary>
public sealed record TeamMember(EmailAddress Email, Locale Locale, BusinessCalendar Calendar, string? Name = null)
{
    public EmailAddress Email { get; } = Email ?? throw new ArgumentNullException(nameof(Email));

    public Locale Locale { get; } = Locale ?? throw new ArgumentNullException(nameof(Locale));

    public BusinessCalendar Calendar { get; } = Calendar ?? throw new ArgumentNullException(nameof(Calendar));

    public DateTimeZone TimeZone => Calendar.Zone;
}
