using KamFlows.Infrastructure.Notifications;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Infrastructure.Notifications.Senders;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>Settings are checked at start-up with messages that name the key; headers cannot be injected.</summary>
public sealed class EmailOptionsTests
{
    [Fact]
    public void Options_SendGridKeyWithoutFromAddress_NamesTheMissingSetting()
    {
        var errors = new EmailOptions { SendGridApiKey = "SG.x" }.Validate();

        Assert.Contains(errors, e => e.Contains("KamFlows:Email:FromAddress", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("SG.x", StringComparison.Ordinal));
        Assert.Empty(new EmailOptions().Validate()); // The local sink needs nothing.
    }

    [Fact]
    public void Options_LeaseNotLongerThanTheSendTimeout_IsRefused()
    {
        var errors = new EmailOptions { ClaimLease = TimeSpan.FromSeconds(30), SendTimeout = TimeSpan.FromSeconds(30) }.Validate();

        Assert.Contains(errors, e => e.Contains("ClaimLease", StringComparison.Ordinal) && e.Contains("sent twice", StringComparison.Ordinal));
    }

    [Fact]
    public void Mime_SubjectWithLineBreaks_CannotAddHeaders()
    {
        var message = new EmailMessage
        {
            NotificationId = "x",
            Kind = NotificationKind.ReferralRequest,
            ToEmail = "a@s.example",
            ToName = "Eve\r\nBcc: victim@s.example",
            Subject = "Hello\r\nBcc: victim@s.example",
            Html = "<p>x</p>",
            Text = "x",
        };

        var eml = System.Text.Encoding.UTF8.GetString(EmailMime.Write(message, "k@s.example", "KamFlows", null, DateTimeOffset.UnixEpoch));
        var parsed = MimeKit.MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(eml)));

        Assert.DoesNotContain("\r\nBcc:", eml, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(parsed.Bcc);
        Assert.Equal("Hello  Bcc: victim@s.example", parsed.Subject);
        Assert.Equal("a@s.example", Assert.Single(parsed.To.Mailboxes).Address);
    }

    [Fact]
    public async Task Budget_RejectedClientMessage_GivesItsReservationBack()
    {
        var start = EmailTestKit.InHelsinki(2026, 3, 24, 10);
        var kit = await EmailTestKit.CreateAsync(start);
        var contact = new NotificationRecipient("mikko@acme.example", "Mikko", "fi", EmailTestKit.Helsinki, RecipientRole.ClientContact, "C-1");
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ReferenceLetterRequestToClient, "ref|1", start, contact), default);

        await kit.Sender(new RejectingSender()).SendDueAsync(default);

        Assert.Equal(OutboxStatus.Failed, (await kit.Store.GetAsync("ref|1", default))!.Status);
        Assert.Empty(await kit.Budget.UsedAsync("C-1", "2026-W13", default));
    }

    private sealed class RejectingSender : IEmailSender
    {
        public string Name => "Rejecting";

        public bool DeduplicatesByNotificationId => false;

        public Task<SendOutcome> SendAsync(EmailMessage message, CancellationToken cancellationToken) =>
            Task.FromResult<SendOutcome>(new SendOutcome.Rejected("400 invalid address"));
    }
}
