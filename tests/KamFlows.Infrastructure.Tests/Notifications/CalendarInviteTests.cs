using Ical.Net;
using Ical.Net.CalendarComponents;
using KamFlows.Testing;
using KamFlows.Infrastructure.Notifications.Invites;
using KamFlows.Workflows.Notifications;
using Microsoft.Extensions.Time.Testing;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>Invites parse back with Ical.Net at the same instants, across daylight-saving changes, and replace earlier versions by UID.</summary>
public sealed class CalendarInviteTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 3, 20, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(2026, 3, 27, 10, "2026-03-27T08:00:00Z")] // Before Helsinki springs forward (EET, +02:00).
    [InlineData(2026, 3, 30, 10, "2026-03-30T07:00:00Z")] // After it (EEST, +03:00).
    [InlineData(2026, 10, 26, 10, "2026-10-26T08:00:00Z")] // After it falls back again.
    public void Invite_AcrossDaylightSavingChange_ParsesBackAtTheSameInstant(int year, int month, int day, int hour, string utc)
    {
        var start = EmailTestKit.InHelsinki(year, month, day, hour);
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), start);
        var invite = new CalendarInvite("meeting:P-1001", "Proposal P-1001 with Acme Oy", start, TimeSpan.FromMinutes(90), EmailTestKit.Helsinki, "Discuss the proposal", "Acme HQ, Espoo", Sequence: 2);

        var ics = new CalendarInviteWriter(Clock).Write(invite, "kamflows@supplier.example", "anna.virtanen@supplier.example", "Anna Virtanen");
        var calendar = Calendar.Load(ics)!;

        Assert.Equal("REQUEST", calendar.Method);
        var zone = Assert.Single(calendar.TimeZones);
        Assert.Equal(EmailTestKit.Helsinki, zone.TzId);
        var e = Assert.Single(calendar.Events);
        Assert.Equal(EmailTestKit.Helsinki, e.DtStart!.TzId);
        Assert.Equal(new DateTime(year, month, day, hour, 0, 0), e.DtStart.Value);
        Assert.Equal(start.UtcDateTime, e.DtStart.AsUtc);
        Assert.Equal(TimeSpan.FromMinutes(90), e.Duration!.Value.ToTimeSpanUnspecified());
        Assert.Equal("meeting:P-1001", e.Uid);
        Assert.Equal(2, e.Sequence);
        Assert.Equal("Proposal P-1001 with Acme Oy", e.Summary);
        Assert.Equal("Acme HQ, Espoo", e.Location);
        Assert.Equal("mailto:anna.virtanen@supplier.example", e.Attendees.Single().Value!.ToString());
        Assert.Equal(new DateTime(2026, 3, 20, 12, 0, 0, DateTimeKind.Utc), e.DtStamp!.AsUtc);
        Assert.Contains("TZID:Europe/Helsinki", ics);
        Assert.Contains("BEGIN:DAYLIGHT", ics);
    }

    [Fact]
    public void Invite_MovedMeeting_KeepsTheUidWithAHigherSequence()
    {
        var writer = new CalendarInviteWriter(Clock);
        var first = new CalendarInvite("tender:T-77|bid_no_bid", "Bid/no-bid decision", EmailTestKit.InHelsinki(2026, 10, 17, 9), TimeSpan.FromHours(1), EmailTestKit.Helsinki);
        var moved = first with { Start = EmailTestKit.InHelsinki(2026, 11, 30, 9), Sequence = 1 };

        var a = Calendar.Load(writer.Write(first, "k@s.example", "a@s.example", null))!.Events.Single();
        var b = Calendar.Load(writer.Write(moved, "k@s.example", "a@s.example", null))!.Events.Single();

        Assert.Equal(a.Uid, b.Uid);
        Assert.True(b.Sequence > a.Sequence);
        Assert.Equal(new DateTime(2026, 11, 30, 7, 0, 0, DateTimeKind.Utc), b.DtStart!.AsUtc);
    }

    [Fact]
    public void Invite_Cancelled_IsACancelWithCancelledStatus()
    {
        var invite = new CalendarInvite("meeting:P-1001", "Proposal P-1001", EmailTestKit.InHelsinki(2026, 4, 2, 14), TimeSpan.FromHours(1), EmailTestKit.Helsinki, Sequence: 3, Cancelled: true);

        var calendar = Calendar.Load(new CalendarInviteWriter(Clock).Write(invite, "k@s.example", "a@s.example", null))!;

        Assert.Equal("CANCEL", calendar.Method);
        Assert.Equal("CANCELLED", calendar.Events.Single().Status);
        Assert.Equal("text/calendar; charset=utf-8; method=CANCEL", CalendarInviteWriter.ContentType(invite));
    }

    [Fact]
    public void Invite_InAnotherZoneThanTheRecipient_KeepsItsOwnZone()
    {
        var start = new DateTimeOffset(2026, 3, 30, 12, 0, 0, TimeSpan.Zero); // 08:00 in New York (EDT).
        var invite = new CalendarInvite("qbr:A-1|2026-Q1", "Quarterly review", start, TimeSpan.FromHours(1), "America/New_York");

        var e = Calendar.Load(new CalendarInviteWriter(Clock).Write(invite, "k@s.example", "a@s.example", null))!.Events.Single();

        Assert.Equal("America/New_York", e.DtStart!.TzId);
        Assert.Equal(new DateTime(2026, 3, 30, 8, 0, 0), e.DtStart.Value);
        Assert.Equal(start.UtcDateTime, e.DtStart.AsUtc);
    }

    [Theory]
    [InlineData("Europe/Helsinki", 2026, 3, 27, 9, "+02:00", "+03:00")] // The Friday before spring-forward.
    [InlineData("Europe/Helsinki", 2026, 3, 30, 9, "+02:00", "+03:00")] // The Monday after: still 09:00 local.
    [InlineData("Europe/Helsinki", 2026, 10, 26, 9, "+02:00", "+03:00")] // After falling back.
    [InlineData("America/New_York", 2026, 11, 2, 8, "-05:00", "-04:00")]
    [InlineData("Australia/Sydney", 2026, 4, 6, 9, "+10:00", "+11:00")] // Southern hemisphere: daylight time ends in April.
    public void Invite_VTimeZone_StandardAndDaylightPartsAloneKeepTheLocalTime(string zoneId, int year, int month, int day, int hour, string standard, string daylight)
    {
        var zone = NodaTime.DateTimeZoneProviders.Tzdb[zoneId];
        var start = new NodaTime.LocalDateTime(year, month, day, hour, 0).InZoneStrictly(zone).ToDateTimeOffset();
        var invite = new CalendarInvite("meeting:X-1", "Meeting", start, TimeSpan.FromHours(1), zoneId);

        var calendar = Calendar.Load(new CalendarInviteWriter(Clock).Write(invite, "k@s.example", "a@s.example", null))!;

        var vtimezone = Assert.Single(calendar.TimeZones);
        var observances = VTimeZoneRules.Observances(vtimezone);
        var (std, dst) = (Offset(standard), Offset(daylight));
        Assert.Contains(("STANDARD", dst, std), observances);
        Assert.Contains(("DAYLIGHT", std, dst), observances);
        var e = calendar.Events.Single();
        Assert.Equal(new DateTime(year, month, day, hour, 0, 0), e.DtStart!.Value);
        Assert.Equal(start.UtcDateTime, VTimeZoneRules.ToUtc(vtimezone, e.DtStart.Value));
    }

    private static TimeSpan Offset(string text) => TimeSpan.Parse(text.TrimStart('+'), System.Globalization.CultureInfo.InvariantCulture);
}
