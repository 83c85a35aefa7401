using System.Text;
using System.Text.RegularExpressions;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Infrastructure.Notifications.Senders;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>The local sink writes real .eml files, once per notification, even across a crash.</summary>
public sealed partial class LocalSinkTests : IDisposable
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
        var rendered = kit.Renderer.Render((await kit.Store.GetAsync(request.NotificationId, default))!);
        var headers = eml[..eml.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.Contains("From: KamFlows <kamflows@supplier.example>", headers);
        Assert.Contains("To: =?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("Mikko Äijälä")) + "?= <mikko@acme.example>", headers);
        Assert.Equal(rendered.Subject, DecodeWords(Header(headers, "Subject")));
        Assert.Contains("MIME-Version: 1.0", headers);
        Assert.Contains("X-KamFlows-NotificationId: proposal:P-1001|prep", headers);
        Assert.Contains("List-Unsubscribe: <https://kamflows.supplier.example/api/unsubscribe/", headers);
        Assert.Matches("Content-Type: multipart/mixed; boundary=\"mix-[0-9a-f]{24}\"", headers);
        Assert.Equal(rendered.Text, Part(eml, "text/plain; charset=utf-8"));
        Assert.Equal(rendered.Html, Part(eml, "text/html; charset=utf-8"));
        var ics = Part(eml, "text/calendar; charset=utf-8; method=REQUEST; name=\"invite.ics\"");
        Assert.Equal("meeting:P-1001", Ical.Net.Calendar.Load(ics)!.Events.Single().Uid);
        Assert.Contains("Content-Disposition: attachment; filename=\"invite.ics\"", eml);
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

    private static string Header(string headers, string name)
    {
        var m = Regex.Match(headers, $"^{name}: ([^\r\n]*(?:\r\n [^\r\n]*)*)", RegexOptions.Multiline);
        return m.Groups[1].Value;
    }

    private static string DecodeWords(string value) =>
        string.Concat(EncodedWord().Matches(value).Select(m => Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value))));

    private static string Part(string eml, string contentType)
    {
        var start = eml.IndexOf("Content-Type: " + contentType + "\r\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No part of type {contentType}.");
        var body = eml.IndexOf("\r\n\r\n", start, StringComparison.Ordinal) + 4;
        var end = eml.IndexOf("\r\n--", body, StringComparison.Ordinal);
        return Encoding.UTF8.GetString(Convert.FromBase64String(eml[body..end].Replace("\r\n", string.Empty, StringComparison.Ordinal)));
    }

    [GeneratedRegex(@"=\?utf-8\?B\?([A-Za-z0-9+/=]+)\?=")]
    private static partial Regex EncodedWord();
}
