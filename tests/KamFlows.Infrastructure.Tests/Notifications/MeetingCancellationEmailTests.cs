using System.Text;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Infrastructure.Notifications.Senders;
using KamFlows.Workflows.Notifications;
using MimeKit;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>
/// A cancelled meeting leaves no ghost in the KAM's calendar: the notice's email, as the local sink writes it, carries an
/// iCalendar CANCEL for the same UID with a SEQUENCE above the last invite sent for it. A moved one is updated in place:
/// the moved notice's email carries a REQUEST for the same UID at the new time with a higher SEQUENCE.
/// </summary>
public sealed class MeetingCancellationEmailTests : IDisposable
{
    private static readonly DateTimeOffset Start = EmailTestKit.InHelsinki(2026, 3, 23, 9);

    private readonly string _folder = Directory.CreateTempSubdirectory("kamflows-cancel-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task CancelledNotice_SentEmail_IcsIsACancelOfTheSameUidWithAHigherSequence()
    {
        var kit = await EmailTestKit.CreateAsync(Start);
        var sink = new LocalSinkEmailSender(_folder, kit.Options, kit.Clock);
        // The preparation for a meeting moved once (sequence 1), then the withdrawal the workflow sends (last sequence + 1).
        var invite = new CalendarInvite("meeting:M-1", "Acme Oy: Pilot results", EmailTestKit.InHelsinki(2026, 3, 24, 14), TimeSpan.FromMinutes(90), EmailTestKit.Helsinki,
            "Meeting M-1 with Acme Oy.", "Acme HQ, Espoo", Sequence: 1);
        var preparation = EmailTestKit.Request(NotificationKind.MeetingPreparationReminder, "meeting:M-1|MeetingPreparationReminder|prepare", Start, invite: invite);
        var notice = EmailTestKit.Request(NotificationKind.MeetingCancelledNotice, "meeting:M-1|MeetingCancelledNotice|cancelled", Start.AddHours(3),
            invite: invite with { Sequence = 2, Cancelled = true });
        await kit.Outbox.EnqueueAsync(preparation, default);
        await kit.Outbox.EnqueueAsync(notice, default);

        await kit.Sender(sink).SendDueAsync(default);
        kit.Clock.Advance(TimeSpan.FromHours(3));
        await kit.Sender(sink).SendDueAsync(default);

        var (requestType, requestIcs) = await InviteOf(sink.PathFor(preparation.NotificationId));
        var (cancelType, cancelIcs) = await InviteOf(sink.PathFor(notice.NotificationId));
        Assert.Equal("REQUEST", requestType.Parameters["method"]);
        Assert.Equal("CANCEL", cancelType.Parameters["method"]);
        Assert.Contains("METHOD:CANCEL\r\n", cancelIcs, StringComparison.Ordinal);
        Assert.Contains("STATUS:CANCELLED\r\n", cancelIcs, StringComparison.Ordinal);
        Assert.DoesNotContain("METHOD:REQUEST", cancelIcs, StringComparison.Ordinal);
        Assert.Contains("UID:meeting:M-1\r\n", requestIcs, StringComparison.Ordinal);
        Assert.Contains("UID:meeting:M-1\r\n", cancelIcs, StringComparison.Ordinal);
        Assert.Contains("SEQUENCE:1\r\n", requestIcs, StringComparison.Ordinal);
        Assert.Contains("SEQUENCE:2\r\n", cancelIcs, StringComparison.Ordinal);

        var sent = Ical.Net.Calendar.Load(requestIcs)!.Events.Single();
        var withdrawn = Ical.Net.Calendar.Load(cancelIcs)!.Events.Single();
        Assert.Equal(sent.Uid, withdrawn.Uid);
        Assert.True(withdrawn.Sequence > sent.Sequence, $"The cancellation's SEQUENCE {withdrawn.Sequence} must be above the invite's {sent.Sequence}.");
        Assert.Equal(sent.DtStart!.AsUtc, withdrawn.DtStart!.AsUtc);
        Assert.Equal(OutboxStatus.Sent, (await kit.Store.GetAsync(notice.NotificationId, default))!.Status);
    }

    [Fact]
    public async Task MovedNotice_SentEmail_IcsIsARequestOfTheSameUidAtTheNewTimeWithAHigherSequence()
    {
        var kit = await EmailTestKit.CreateAsync(Start);
        var sink = new LocalSinkEmailSender(_folder, kit.Options, kit.Clock);
        // Sequences as the workflow derives them: seconds since 2020-01-01Z when each version was heard.
        var invite = new CalendarInvite("meeting:M-1", "Acme Oy: Pilot results", EmailTestKit.InHelsinki(2026, 3, 24, 14), TimeSpan.FromMinutes(90), EmailTestKit.Helsinki,
            "Meeting M-1 with Acme Oy.", "Acme HQ, Espoo", Sequence: 195_811_200);
        var moved = invite with { Start = EmailTestKit.InHelsinki(2026, 3, 31, 10), Duration = TimeSpan.FromHours(1), Sequence = 196_430_400 };
        var preparation = EmailTestKit.Request(NotificationKind.MeetingPreparationReminder, "meeting:M-1|MeetingPreparationReminder|prepare", Start, invite: invite);
        var notice = EmailTestKit.Request(NotificationKind.MeetingMovedNotice, "meeting:M-1|MeetingMovedNotice|moved|1", Start.AddHours(3), invite: moved);
        await kit.Outbox.EnqueueAsync(preparation, default);
        await kit.Outbox.EnqueueAsync(notice, default);

        await kit.Sender(sink).SendDueAsync(default);
        kit.Clock.Advance(TimeSpan.FromHours(3));
        await kit.Sender(sink).SendDueAsync(default);

        var (_, requestIcs) = await InviteOf(sink.PathFor(preparation.NotificationId));
        var (movedType, movedIcs) = await InviteOf(sink.PathFor(notice.NotificationId));
        Assert.Equal("REQUEST", movedType.Parameters["method"]);
        Assert.Contains("METHOD:REQUEST\r\n", movedIcs, StringComparison.Ordinal);
        Assert.DoesNotContain("METHOD:CANCEL", movedIcs, StringComparison.Ordinal);
        Assert.DoesNotContain("STATUS:CANCELLED", movedIcs, StringComparison.Ordinal);
        Assert.Contains("UID:meeting:M-1\r\n", movedIcs, StringComparison.Ordinal);
        Assert.Contains("SEQUENCE:196430400\r\n", movedIcs, StringComparison.Ordinal);

        var sent = Ical.Net.Calendar.Load(requestIcs)!.Events.Single();
        var update = Ical.Net.Calendar.Load(movedIcs)!.Events.Single();
        Assert.Equal(sent.Uid, update.Uid);
        Assert.True(update.Sequence > sent.Sequence, $"The update's SEQUENCE {update.Sequence} must be above the invite's {sent.Sequence}.");
        Assert.Equal(EmailTestKit.InHelsinki(2026, 3, 31, 10).UtcDateTime, update.DtStart!.AsUtc);
        Assert.Contains("DURATION:PT1H\r\n", movedIcs, StringComparison.Ordinal); // Its own length at the new time.
        Assert.Contains("DURATION:PT1H30M\r\n", requestIcs, StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Sent, (await kit.Store.GetAsync(notice.NotificationId, default))!.Status);
    }

    private static async Task<(ContentType Type, string Ics)> InviteOf(string emlPath)
    {
        var message = await MimeMessage.LoadAsync(emlPath);
        var attachment = Assert.IsAssignableFrom<MimePart>(Assert.Single(message.Attachments));
        Assert.Equal(("invite.ics", "text/calendar"), (attachment.FileName, attachment.ContentType.MimeType));
        using var ics = new MemoryStream();
        await attachment.Content!.DecodeToAsync(ics);
        return (attachment.ContentType, Encoding.UTF8.GetString(ics.ToArray()));
    }
}
