using System.Text;
using Ical.Net;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>The real SendGrid client against a recording HTTP server: what is sent, and what each answer leads to.</summary>
public sealed class SendGridDeliveryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = EmailTestKit.InHelsinki(2026, 3, 24, 10); // Tuesday, business hours.

    private SendGridStandIn _sendGrid = null!;

    public async Task InitializeAsync() => _sendGrid = await SendGridStandIn.StartAsync();

    public async Task DisposeAsync() => await _sendGrid.DisposeAsync();

    [Fact]
    public async Task SendGrid_AcceptedMessage_CarriesRecipientPartsInviteCategoriesAndTraceIds()
    {
        var kit = await EmailTestKit.CreateAsync(Start, o =>
        {
            o.WithSendGrid(_sendGrid.Address);
            o.SandboxMode = true;
            o.FromName = "KamFlows Acme";
        });
        var invite = new CalendarInvite("meeting:P-1001", "Proposal P-1001 with Acme Oy", EmailTestKit.InHelsinki(2026, 3, 30, 10), TimeSpan.FromHours(1), EmailTestKit.Helsinki, Sequence: 1);
        var request = EmailTestKit.Request(NotificationKind.ProposalMeetingPreparation, "proposal:P-1001|ProposalMeetingPreparation|1", Start, invite: invite);
        Assert.True(await kit.Outbox.EnqueueAsync(request, default));

        var pass = await kit.Sender(kit.SendGridSender()).SendDueAsync(default);

        Assert.Equal(1, pass.Sent);
        var sent = Assert.Single(_sendGrid.Requests);
        Assert.Equal("/v3/mail/send", sent.Path);
        Assert.Equal("Bearer test-sendgrid-api-key", sent.Authorization);
        var body = sent.Body;
        Assert.Equal("kamflows@supplier.example", (string?)body["from"]!["email"]);
        Assert.Equal("KamFlows Acme", (string?)body["from"]!["name"]);
        Assert.Equal("kam-desk@supplier.example", (string?)body["reply_to"]!["email"]);
        var to = body["personalizations"]![0]!["to"]![0]!;
        Assert.Equal("anna.virtanen@supplier.example", (string?)to["email"]);
        Assert.Equal("Anna Virtanen", (string?)to["name"]);
        var subject = (string?)body["personalizations"]![0]!["subject"] ?? (string?)body["subject"];
        Assert.Equal("Valmistaudu: tarjouksen P-1001 tapaaminen, Acme Oy, 27. maaliskuuta 2026 klo 9.00", subject);
        Assert.Equal("text/plain", (string?)body["content"]![0]!["type"]);
        Assert.Equal("text/html", (string?)body["content"]![1]!["type"]);
        Assert.Contains("Hei Anna Virtanen,", (string?)body["content"]![0]!["value"]);
        Assert.Contains("<p>Hei Anna Virtanen,</p>", (string?)body["content"]![1]!["value"]);
        var attachment = body["attachments"]![0]!;
        Assert.Equal("invite.ics", (string?)attachment["filename"]);
        Assert.Equal("text/calendar; charset=utf-8; method=REQUEST", (string?)attachment["type"]);
        Assert.Equal("attachment", (string?)attachment["disposition"]);
        var ics = Calendar.Load(Encoding.UTF8.GetString(Convert.FromBase64String((string)attachment["content"]!)))!;
        Assert.Equal("meeting:P-1001", ics.Events.Single().Uid);
        Assert.Equal(["ProposalMeetingPreparation", "kamflows"], body["categories"]!.AsArray().Select(c => (string)c!).ToArray());
        var args = body["custom_args"]!;
        Assert.Equal("proposal:P-1001|ProposalMeetingPreparation|1", (string?)args["notification_id"]);
        Assert.Equal("A-1", (string?)args["account_id"]);
        Assert.Equal("proposal:P-1001", (string?)args["source_key"]);
        Assert.True((bool)body["mail_settings"]!["sandbox_mode"]!["enable"]!);
        Assert.StartsWith("<https://kamflows.supplier.example/api/unsubscribe/", (string?)body["headers"]!["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", (string?)body["headers"]!["List-Unsubscribe-Post"]);

        var row = await kit.Store.GetAsync(request.NotificationId, default);
        Assert.Equal(OutboxStatus.Sent, row!.Status);
        Assert.Equal("sg-1", row.ProviderMessageId);
        Assert.Equal("SendGrid", row.Provider);
        Assert.Equal(Start, row.SentAt);
        Assert.Null(await kit.Store.EarliestDueAsync(default));
    }

    [Fact]
    public async Task SendGrid_EssentialTask_HasNoUnsubscribeHeaderOrLink()
    {
        var kit = await EmailTestKit.CreateAsync(Start, o => o.WithSendGrid(_sendGrid.Address));
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ProposalCallToConfirmReceipt, "p1|call", Start), default);

        await kit.Sender(kit.SendGridSender()).SendDueAsync(default);

        var body = Assert.Single(_sendGrid.Requests).Body;
        Assert.Null(body["headers"]!["List-Unsubscribe"]);
        Assert.Equal("p1|call", (string?)body["headers"]!["X-KamFlows-NotificationId"]);
        Assert.DoesNotContain("unsubscribe", (string?)body["content"]![1]!["value"], StringComparison.OrdinalIgnoreCase);
        Assert.False((bool?)body["mail_settings"]?["sandbox_mode"]?["enable"] ?? false);
    }

    [Fact]
    public async Task SendGrid_429WithRetryAfter_WaitsExactlyThatLongThenSends()
    {
        var kit = await EmailTestKit.CreateAsync(Start, o => o.WithSendGrid(_sendGrid.Address));
        var sender = kit.Sender(kit.SendGridSender());
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ProposalCallToConfirmReceipt, "p1|call", Start), default);
        _sendGrid.Then(429, """{"errors":[{"message":"Too many requests"}]}""", ("Retry-After", "120"));

        var first = await sender.SendDueAsync(default);

        Assert.Equal(1, first.Retried);
        var row = await kit.Store.GetAsync("p1|call", default);
        Assert.Equal(OutboxStatus.Pending, row!.Status);
        Assert.Equal(Start.AddSeconds(120), row.DueAt);
        Assert.Contains("429", row.LastError);
        Assert.Contains("Too many requests", row.LastError);
        Assert.Equal(Start.AddSeconds(120), first.NextDueAt);

        kit.Clock.Advance(TimeSpan.FromSeconds(119));
        await sender.SendDueAsync(default);
        Assert.Single(_sendGrid.Requests);

        kit.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await sender.SendDueAsync(default);
        Assert.Equal(1, second.Sent);
        Assert.Equal(2, _sendGrid.Requests.Count);
        row = await kit.Store.GetAsync("p1|call", default);
        Assert.Equal(OutboxStatus.Sent, row!.Status);
        Assert.Equal(2, row.Attempts);
        Assert.Null(row.LastError);
    }

    [Fact]
    public async Task SendGrid_500_BacksOffDoublingThenSends()
    {
        var kit = await EmailTestKit.CreateAsync(Start, o => o.WithSendGrid(_sendGrid.Address));
        var sender = kit.Sender(kit.SendGridSender());
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ProposalCallToConfirmReceipt, "p1|call", Start), default);
        _sendGrid.Then(500, """{"errors":[{"message":"Internal error"}]}""");
        _sendGrid.Then(503);

        await sender.SendDueAsync(default);
        var row = await kit.Store.GetAsync("p1|call", default);
        Assert.Equal(Start + kit.Options.RetryBaseDelay, row!.DueAt);
        Assert.Contains("500", row.LastError);

        kit.Clock.Advance(kit.Options.RetryBaseDelay);
        await sender.SendDueAsync(default);
        row = await kit.Store.GetAsync("p1|call", default);
        Assert.Equal(kit.Clock.GetUtcNow() + (2 * kit.Options.RetryBaseDelay), row!.DueAt);
        Assert.Contains("503", row.LastError);

        kit.Clock.Advance(2 * kit.Options.RetryBaseDelay);
        await sender.SendDueAsync(default);
        Assert.Equal(3, _sendGrid.Requests.Count);
        Assert.Equal(OutboxStatus.Sent, (await kit.Store.GetAsync("p1|call", default))!.Status);
    }

    [Fact]
    public async Task SendGrid_400_FailsWithTheReasonVisibleAndAlertsOnce()
    {
        var kit = await EmailTestKit.CreateAsync(Start, o => o.WithSendGrid(_sendGrid.Address));
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ProposalCallToConfirmReceipt, "p1|call", Start), default);
        _sendGrid.Then(400, """{"errors":[{"message":"Does not contain a valid address.","field":"personalizations.0.to.0.email","help":null}]}""");

        var pass = await kit.Sender(kit.SendGridSender()).SendDueAsync(default);
        kit.Clock.Advance(TimeSpan.FromDays(3));
        await kit.Sender(kit.SendGridSender(), "sender-b").SendDueAsync(default);
        await kit.Sender(kit.SendGridSender()).SendDueAsync(default);

        Assert.Equal(1, pass.Failed);
        Assert.Single(_sendGrid.Requests);
        var row = await kit.Store.GetAsync("p1|call", default);
        Assert.Equal(OutboxStatus.Failed, row!.Status);
        Assert.Contains("400", row.LastError);
        Assert.Contains("Does not contain a valid address. (field personalizations.0.to.0.email)", row.LastError);
        Assert.Equal(1, kit.SenderLogs.Count(5101));
        Assert.DoesNotContain(kit.SenderLogs.Entries, e => e.Message.Contains("test-sendgrid-api-key", StringComparison.Ordinal));
        Assert.Null(await kit.Store.EarliestDueAsync(default));
    }

    [Fact]
    public async Task SendGrid_Unreachable_RetriesLaterWithoutCountingAsSent()
    {
        var closed = new Uri("http://127.0.0.1:9"); // Discard port: nothing listens.
        var kit = await EmailTestKit.CreateAsync(Start, o => o.WithSendGrid(closed));
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ProposalCallToConfirmReceipt, "p1|call", Start), default);

        var pass = await kit.Sender(kit.SendGridSender()).SendDueAsync(default);

        Assert.Equal(1, pass.Retried);
        var row = await kit.Store.GetAsync("p1|call", default);
        Assert.Equal(OutboxStatus.Pending, row!.Status);
        Assert.Contains("unreachable", row.LastError);
    }

    [Fact]
    public async Task SendGrid_CrashBetweenClaimAndSend_NeitherLostNorDuplicated()
    {
        var kit = await EmailTestKit.CreateAsync(Start, o => o.WithSendGrid(_sendGrid.Address));
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ProposalCallToConfirmReceipt, "p1|call", Start), default);
        var crashing = kit.Sender(kit.SendGridSender(), "sender-a");
        crashing.Probe = (_, stage) => stage == SendStage.Claimed ? throw new SimulatedCrashException() : Task.CompletedTask;

        await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.SendDueAsync(default));

        var claimed = await kit.Store.GetAsync("p1|call", default);
        Assert.Equal(OutboxStatus.Claimed, claimed!.Status);
        Assert.Equal("sender-a", claimed.ClaimedBy);
        Assert.Empty(_sendGrid.Requests);

        var survivor = kit.Sender(kit.SendGridSender(), "sender-b");
        await survivor.SendDueAsync(default);
        Assert.Empty(_sendGrid.Requests); // The claim is still held: nobody else may send.

        kit.Clock.Advance(kit.Options.ClaimLease);
        await survivor.SendDueAsync(default);
        kit.Clock.Advance(TimeSpan.FromHours(1));
        await survivor.SendDueAsync(default);

        Assert.Single(_sendGrid.Requests);
        var row = await kit.Store.GetAsync("p1|call", default);
        Assert.Equal(OutboxStatus.Sent, row!.Status);
        Assert.Equal(2, row.Attempts);
        Assert.Equal(1, kit.SenderLogs.Count(5104));
    }

    [Fact]
    public async Task SendGrid_CrashAfterProviderAcceptedBeforeRecording_IsMarkedOutcomeUnknownNotResent()
    {
        var kit = await EmailTestKit.CreateAsync(Start, o => o.WithSendGrid(_sendGrid.Address));
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ProposalCallToConfirmReceipt, "p1|call", Start), default);
        var crashing = kit.Sender(kit.SendGridSender(), "sender-a");
        crashing.Probe = (_, stage) => stage == SendStage.ProviderAnswered ? throw new SimulatedCrashException() : Task.CompletedTask;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.SendDueAsync(default));
        Assert.Equal(OutboxStatus.Sending, (await kit.Store.GetAsync("p1|call", default))!.Status);

        kit.Clock.Advance(kit.Options.ClaimLease);
        await kit.Sender(kit.SendGridSender(), "sender-b").SendDueAsync(default);
        await kit.Sender(kit.SendGridSender(), "sender-c").SendDueAsync(default);

        Assert.Single(_sendGrid.Requests);
        var row = await kit.Store.GetAsync("p1|call", default);
        Assert.Equal(OutboxStatus.OutcomeUnknown, row!.Status);
        Assert.Contains("notification_id p1|call", row.LastError);
        Assert.Equal(1, kit.SenderLogs.Count(5102));
    }

    [Fact]
    public async Task SendGrid_CrashAfterProviderAccepted_WithResendConfigured_SendsAgain()
    {
        var kit = await EmailTestKit.CreateAsync(Start, o =>
        {
            o.WithSendGrid(_sendGrid.Address);
            o.ResendWhenOutcomeUnknown = true;
        });
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ProposalCallToConfirmReceipt, "p1|call", Start), default);
        var crashing = kit.Sender(kit.SendGridSender(), "sender-a");
        crashing.Probe = (_, stage) => stage == SendStage.ProviderAnswered ? throw new SimulatedCrashException() : Task.CompletedTask;
        await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.SendDueAsync(default));

        kit.Clock.Advance(kit.Options.ClaimLease);
        await kit.Sender(kit.SendGridSender(), "sender-b").SendDueAsync(default);

        // The documented at-least-once window: both requests carry the same notification id for tracing.
        Assert.Equal(2, _sendGrid.Requests.Count);
        Assert.All(_sendGrid.Requests, r => Assert.Equal("p1|call", (string?)r.Body["custom_args"]!["notification_id"]));
        Assert.Equal(OutboxStatus.Sent, (await kit.Store.GetAsync("p1|call", default))!.Status);
    }
}
