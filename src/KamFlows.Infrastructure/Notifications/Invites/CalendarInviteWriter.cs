using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using KamFlows.Domain.Calendar;
using KamFlows.Workflows.Notifications;
using NodaTime;

namespace KamFlows.Infrastructure.Notifications.Invites;

/// <summary>
/// Writes a calendar invite as iCalendar (RFC 5545) with Ical.Net: METHOD REQUEST (CANCEL when cancelled), a complete
/// VTIMEZONE for the invite's IANA zone (<see cref="CalendarZones"/>), DTSTART as local wall-clock time in that zone, the invite's UID and SEQUENCE so a later
/// version replaces the earlier one in the recipient's calendar, and DTSTAMP from the injected clock.
/// </summary>
public sealed class CalendarInviteWriter
{
    public const string FileName = "invite.ics";

    private readonly TimeProvider _time;

    public CalendarInviteWriter(TimeProvider time) => _time = time;

    public static string ContentType(CalendarInvite invite)
    {
        ArgumentNullException.ThrowIfNull(invite);
        return $"text/calendar; charset=utf-8; method={(invite.Cancelled ? "CANCEL" : "REQUEST")}";
    }

    public string Write(CalendarInvite invite, string organizerEmail, string attendeeEmail, string? attendeeName)
    {
        ArgumentNullException.ThrowIfNull(invite);
        var zone = BusinessCalendar.ZoneFromId(invite.TimeZone);
        var local = Instant.FromDateTimeOffset(invite.Start).InZone(zone).LocalDateTime;
        var calendar = new Calendar
        {
            Method = invite.Cancelled ? CalendarMethods.Cancel : CalendarMethods.Request,
            ProductId = "-//KamFlows//Notifications//EN",
        };

        CalendarZones.Add(calendar, zone.Id, local.ToDateTimeUnspecified());
        var stamp = _time.GetUtcNow().UtcDateTime;
        var calendarEvent = new CalendarEvent
        {
            Uid = invite.Uid,
            Sequence = invite.Sequence,
            Summary = invite.Summary,
            Description = invite.Description,
            Location = invite.Location,
            DtStamp = new CalDateTime(stamp.Year, stamp.Month, stamp.Day, stamp.Hour, stamp.Minute, stamp.Second, "UTC"),
            DtStart = new CalDateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, local.Second, zone.Id),
            Duration = Ical.Net.DataTypes.Duration.FromTimeSpanExact(invite.Duration),
            Status = invite.Cancelled ? EventStatus.Cancelled : EventStatus.Confirmed,
            Organizer = new Organizer("mailto:" + organizerEmail),
        };
        calendarEvent.Attendees.Add(new Attendee("mailto:" + attendeeEmail)
        {
            CommonName = attendeeName,
            Role = ParticipationRole.RequiredParticipant,
            ParticipationStatus = EventParticipationStatus.NeedsAction,
            Rsvp = true,
        });
        calendar.Events.Add(calendarEvent);
        return new CalendarSerializer().SerializeToString(calendar)!;
    }

    public byte[] WriteBytes(CalendarInvite invite, string organizerEmail, string attendeeEmail, string? attendeeName) =>
        Encoding.UTF8.GetBytes(Write(invite, organizerEmail, attendeeEmail, attendeeName));
}
