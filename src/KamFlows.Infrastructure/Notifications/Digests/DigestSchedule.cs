using KamFlows.Domain.Calendar;
using NodaTime;

namespace KamFlows.Infrastructure.Notifications.Digests;

/// <summary>
/// When digests are due, on the recipient's own business calendar and wall clock (DST-safe: local date arithmetic, the
/// calendar's resolution of skipped and repeated times). The agenda: <see cref="EmailOptions.DigestTime"/> on every
/// business day (Daily) or on the first business day of each ISO week (Weekly). The head's report: the first business
/// day of each ISO week. Off: nothing.
/// </summary>
public sealed class DigestSchedule
{
    private readonly LocalTime _at;

    public DigestSchedule(EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _at = LocalTime.FromTimeOnly(options.DigestTime);
    }

    public DateTimeOffset? NextAgenda(EmailRecipient recipient, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return !recipient.IsKam || recipient.Digest == DigestPreference.Off
            ? null
            : Next(recipient.Calendar(), after, weekly: recipient.Digest == DigestPreference.Weekly);
    }

    public DateTimeOffset? NextReport(EmailRecipient recipient, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return !recipient.IsHead || recipient.Digest == DigestPreference.Off ? null : Next(recipient.Calendar(), after, weekly: true);
    }

    /// <summary>Sets the next digest times from <paramref name="now"/>; with <paramref name="onlyMissing"/> keeps times already set.</summary>
    public EmailRecipient Reschedule(EmailRecipient recipient, DateTimeOffset now, bool onlyMissing)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var agenda = NextAgenda(recipient, now);
        var report = NextReport(recipient, now);
        return recipient with
        {
            NextAgendaAt = agenda is null ? null : onlyMissing && recipient.NextAgendaAt is not null ? recipient.NextAgendaAt : agenda,
            NextReportAt = report is null ? null : onlyMissing && recipient.NextReportAt is not null ? recipient.NextReportAt : report,
        };
    }

    /// <summary>True when <paramref name="date"/> is a business day and no earlier day of its ISO week is.</summary>
    public static bool IsFirstBusinessDayOfWeek(BusinessCalendar calendar, LocalDate date)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (!calendar.IsBusinessDay(date))
        {
            return false;
        }

        for (var d = date.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday)); d < date; d = d.PlusDays(1))
        {
            if (calendar.IsBusinessDay(d))
            {
                return false;
            }
        }

        return true;
    }

    private DateTimeOffset Next(BusinessCalendar calendar, DateTimeOffset after, bool weekly)
    {
        var instant = Instant.FromDateTimeOffset(after);
        var date = calendar.DateOf(instant);

        // A calendar has at least one working day a week and finitely many holidays, so this ends; the bound guards bad data.
        for (var i = 0; i < 3660; i++, date = date.PlusDays(1))
        {
            if (!calendar.IsBusinessDay(date) || (weekly && !IsFirstBusinessDayOfWeek(calendar, date)))
            {
                continue;
            }

            var at = calendar.AtLocalTime(date, _at).ToInstant();
            if (at > instant)
            {
                return at.ToDateTimeOffset();
            }
        }

        throw new InvalidOperationException($"No business day in ten years on calendar {calendar}.");
    }
}
