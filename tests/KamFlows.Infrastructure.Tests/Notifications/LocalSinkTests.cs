using System.Text;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Infrastructure.Notifications.Senders;
using KamFlows.Workflows.Notifications;
using MimeKit;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>The local sink writes real .eml files, once per notification, even across a crash.</summary>
public sealed class LocalSinkTests : IDisposable
{
    private static readonly DateTimeOffset Start = EmailTestKit.InHelsinki(2026, 3, 24, 10);

    private readonly string _folder = Directory.CreateTempSubdirectory("kamflows-sink-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task LocalSink_Message_IsAnEmlWithTextHtmlAndTheInvite()
    {
        var kit = await EmailTestKit.CreateAsync(Start);
        var sink = new LocalSinkEmailSender(_folder, kit.Options, kit.Clock);
        var invite = new CalendarInvite("meeting:P-1001", "Proposal P-1001", EmailTestKit.InHelsinki(2026, 3, 30, 10), TimeSpan.FromHours(1), EmailTestKit.Helsinki);
        var request = EmailTestKit.Request(NotificationKind.ProposalMeetingPreparation, "proposal:P-1001|prep", Start,
            new NotificationRecipient("mikko@acme.example", "Mikko Äijälä", "ru", EmailTestKit.Helsinki, RecipientRole.Kam), invite: invite);
        await kit.Outbox.EnqueueAsync(request, default);

        await kit.Sender(sink).SendDueAsync(default);

        var path = sink.PathFor(request.NotificationId);
        var eml = await File.ReadAllTextAsync(path);
        var parsed = await MimeMessage.LoadAsync(path);
        var rendered = kit.Renderer.Render((await kit.Store.GetAsync(request.NotificationId, default))!);
        var headers = eml[..eml.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.Contains("From: KamFlows <kamflows@supplier.example>", headers);
        var to = Assert.IsType<MailboxAddress>(Assert.Single(parsed.To));
        Assert.Equal(("Mikko Äijälä", "mikko@acme.example"), (to.Name, to.Address));
        Assert.True(headers.All(char.IsAscii), "Non-ASCII text in headers must be RFC 2047 encoded words.");
        Assert.Equal(rendered.Subject, parsed.Subject);
        Assert.Contains("MIME-Version: 1.0", headers);
        Assert.Equal("proposal:P-1001|prep", parsed.Headers["X-KamFlows-NotificationId"]);
        Assert.StartsWith("<https://kamflows.supplier.example/api/unsubscribe/", parsed.Headers["List-Unsubscribe"], StringComparison.Ordinal);
        var mixed = Assert.IsType<Multipart>(parsed.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        Assert.Matches("^mix-[0-9a-f]{24}$", mixed.Boundary);
        Assert.Equal(rendered.Text.ReplaceLineEndings(), parsed.TextBody!.ReplaceLineEndings());
        Assert.Equal(rendered.Html.ReplaceLineEndings(), parsed.HtmlBody!.ReplaceLineEndings());
        var attachment = Assert.IsAssignableFrom<MimePart>(Assert.Single(parsed.Attachments));
        Assert.Equal("invite.ics", attachment.FileName);
        Assert.Equal("text/calendar", attachment.ContentType.MimeType);
        Assert.Equal("REQUEST", attachment.ContentType.Parameters["method"]);
        using var ics = new MemoryStream();
        await attachment.Content!.DecodeToAsync(ics);
        Assert.Equal("meeting:P-1001", Ical.Net.Calendar.Load(Encoding.UTF8.GetString(ics.ToArray()))!.Events.Single().Uid);
        var row = await kit.Store.GetAsync(request.NotificationId, default);
        Assert.Equal(OutboxStatus.Sent, row!.Status);
        Assert.Equal("LocalSink", row.Provider);
        Assert.Equal(Path.GetFileName(path), row.ProviderMessageId);
    }

    [Fact]
    public async Task LocalSink_CrashAfterWritingBeforeRecording_DeliversExactlyOnce()
    {
        var kit = await EmailTestKit.CreateAsync(Start);
        var sink = new LocalSinkEmailSender(_folder, kit.Options, kit.Clock);
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ProposalExpired, "p1|expired", Start), default);
        var crashing = kit.Sender(sink, "sender-a");
        crashing.Probe = (_, stage) => stage == SendStage.ProviderAnswered ? throw new SimulatedCrashException() : Task.CompletedTask;

        await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.SendDueAsync(default));
        Assert.Equal(OutboxStatus.Sending, (await kit.Store.GetAsync("p1|expired", default))!.Status);
        var written = File.GetLastWriteTimeUtc(sink.PathFor("p1|expired"));

        kit.Clock.Advance(kit.Options.ClaimLease);
        await kit.Sender(sink, "sender-b").SendDueAsync(default);

        Assert.Single(Directory.GetFiles(_folder)); // No second copy, no temporary file left behind.
        Assert.Equal(written, File.GetLastWriteTimeUtc(sink.PathFor("p1|expired")));
        var row = await kit.Store.GetAsync("p1|expired", default);
        Assert.Equal(OutboxStatus.Sent, row!.Status);
        Assert.Equal(1, kit.SenderLogs.Count(5105));
    }

    [Fact]
    public async Task LocalSink_CrashBetweenClaimAndSend_WritesOnceAfterTheLeaseLapses()
    {
        var kit = await EmailTestKit.CreateAsync(Start);
        var sink = new LocalSinkEmailSender(_folder, kit.Options, kit.Clock);
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ProposalExpired, "p1|expired", Start), default);
        var crashing = kit.Sender(sink, "sender-a");
        crashing.Probe = (_, stage) => stage == SendStage.Sending ? throw new SimulatedCrashException() : Task.CompletedTask;

        await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.SendDueAsync(default));
        Assert.Empty(Directory.GetFiles(_folder));

        kit.Clock.Advance(kit.Options.ClaimLease);
        await kit.Sender(sink, "sender-b").SendDueAsync(default);

        Assert.Single(Directory.GetFiles(_folder));
        Assert.Equal(OutboxStatus.Sent, (await kit.Store.GetAsync("p1|expired", default))!.Status);
    }

    [Fact]
    public async Task LocalSink_SameNotificationTwice_KeepsTheFirstFile()
    {
        var kit = await EmailTestKit.CreateAsync(Start);
        var sink = new LocalSinkEmailSender(_folder, kit.Options, kit.Clock);
        var email = kit.Renderer.Render(new OutboxMessage { Request = EmailTestKit.Request(NotificationKind.ReferralRequest, "r1", Start), Status = OutboxStatus.Sending, DueAt = Start, CreatedAt = Start });

        var first = await sink.SendAsync(email, default);
        var again = await sink.SendAsync(email with { Subject = "changed" }, default);

        Assert.Equal(first, again);
        Assert.DoesNotContain("changed", await File.ReadAllTextAsync(sink.PathFor("r1")));
    }
}
