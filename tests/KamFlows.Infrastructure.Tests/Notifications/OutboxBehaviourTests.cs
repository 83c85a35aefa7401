using KamFlows.Infrastructure.Notifications.Digests;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Infrastructure.Notifications.Senders;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>What the outbox and the sender guarantee: once per id, never early, never at night, within the touch budget, respecting opt-outs.</summary>
public sealed class OutboxBehaviourTests : IDisposable
{
    private static readonly DateTimeOffset Tuesday10 = EmailTestKit.InHelsinki(2026, 3, 24, 10);

    private readonly string _folder = Directory.CreateTempSubdirectory("kamflows-outbox-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Enqueue_SameIdTwice_StoresTheFirstAndChangesNothing()
    {
        var kit = await EmailTestKit.CreateAsync(Tuesday10);
        var first = EmailTestKit.Request(NotificationKind.ProposalExpiryReminder, "proposal:P-1|ProposalExpiryReminder|7d", Tuesday10.AddHours(1));

        Assert.True(await kit.Outbox.EnqueueAsync(first, default));
        Assert.False(await kit.Outbox.EnqueueAsync(first with { SendAt = Tuesday10.AddHours(5), AccountId = "A-2" }, default));

        var row = await kit.Store.GetAsync(first.NotificationId, default);
        Assert.Equal(Tuesday10.AddHours(1), row!.Request.SendAt);
        Assert.Equal("A-1", row.Request.AccountId);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Equal(Tuesday10.AddHours(1), await kit.Store.EarliestDueAsync(default));
    }

    [Fact]
    public async Task Enqueue_RoundTripsEveryFieldKind()
    {
        var kit = await EmailTestKit.CreateAsync(Tuesday10);
        var request = EmailTestKit.Request(NotificationKind.WeeklyReport, "report|w13", Tuesday10) with
        {
            Invite = new CalendarInvite("u", "s", Tuesday10, TimeSpan.FromMinutes(30), EmailTestKit.Helsinki, Sequence: 4),
        };
        await kit.Outbox.EnqueueAsync(request, default);

        var row = await kit.Store.GetAsync("report|w13", default);

        Assert.Equal(request.Invite, row!.Request.Invite);
        Assert.Equal(request.Recipient, row.Request.Recipient);
        Assert.Equal(kit.Renderer.Render(new OutboxMessage { Request = request, Status = OutboxStatus.Pending, DueAt = Tuesday10, CreatedAt = Tuesday10 }).Html,
            kit.Renderer.Render(row).Html);
    }

    [Fact]
    public async Task Enqueue_IncompleteRequest_IsRefusedNamingWhatIsMissing()
    {
        var kit = await EmailTestKit.CreateAsync(Tuesday10);
        var fields = new Dictionary<string, TemplateValue>(NotificationCatalog.For(NotificationKind.ContractRenewal).SampleFields);
        fields.Remove("ends_on");

        var missing = await Assert.ThrowsAsync<ArgumentException>(() => kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ContractRenewal, "c1", Tuesday10, fields: fields), default));
        var zone = await Assert.ThrowsAsync<ArgumentException>(() => kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ContractRenewal, "c2", Tuesday10,
            new NotificationRecipient("a@s.example", null, "fi", "Europe/Helsinky", RecipientRole.Kam)), default));
        var address = await Assert.ThrowsAsync<ArgumentException>(() => kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ContractRenewal, "c3", Tuesday10,
            new NotificationRecipient("not-an-address", null, "fi", EmailTestKit.Helsinki, RecipientRole.Kam)), default));

        Assert.Contains("ends_on", missing.Message);
        Assert.Contains("Europe/Helsinky", zone.Message);
        Assert.Contains("not-an-address", address.Message);
        Assert.Null(await kit.Store.GetAsync("c1", default));
    }

    [Fact]
    public async Task Sender_BeforeSendAt_SendsNothingThenSendsOnTime()
    {
        var kit = await EmailTestKit.CreateAsync(Tuesday10);
        var sink = new LocalSinkEmailSender(_folder, kit.Options, kit.Clock);
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ReferenceLetterAsk, "d5|ask", Tuesday10.AddHours(1)), default);

        kit.Clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        var early = await kit.Sender(sink).SendDueAsync(default);
        kit.Clock.Advance(TimeSpan.FromSeconds(1));
        var onTime = await kit.Sender(sink).SendDueAsync(default);

        Assert.Equal(0, early.Examined);
        Assert.Equal(Tuesday10.AddHours(1), early.NextDueAt);
        Assert.Equal(1, onTime.Sent);
        Assert.Equal(Tuesday10.AddHours(1), (await kit.Store.GetAsync("d5|ask", default))!.SentAt);
    }

    [Fact]
    public async Task Cancel_PendingMessage_IsNeverSent_AndASentOneCannotBeCancelled()
    {
        var kit = await EmailTestKit.CreateAsync(Tuesday10);
        var sink = new LocalSinkEmailSender(_folder, kit.Options, kit.Clock);
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ProposalMeetingNotAgreed, "p1|meeting", Tuesday10.AddDays(1)), default);
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ProposalExpired, "p1|expired", Tuesday10), default);
        await kit.Sender(sink).SendDueAsync(default);

        Assert.True(await kit.Outbox.CancelAsync("p1|meeting", default));
        Assert.False(await kit.Outbox.CancelAsync("p1|meeting", default));
        Assert.False(await kit.Outbox.CancelAsync("p1|expired", default));
        Assert.False(await kit.Outbox.CancelAsync("unknown", default));
        kit.Clock.Advance(TimeSpan.FromDays(2));
        await kit.Sender(sink).SendDueAsync(default);

        Assert.Equal(OutboxStatus.Cancelled, (await kit.Store.GetAsync("p1|meeting", default))!.Status);
        Assert.Single(Directory.GetFiles(_folder));
        Assert.Null(await kit.Store.EarliestDueAsync(default));
    }

    [Fact]
    public async Task Cancel_BetweenClaimAndSend_WinsAndNothingIsSent()
    {
        var kit = await EmailTestKit.CreateAsync(Tuesday10);
        var sink = new LocalSinkEmailSender(_folder, kit.Options, kit.Clock);
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ProposalMeetingNotAgreed, "p1|meeting", Tuesday10), default);
        var sender = kit.Sender(sink);
        sender.Probe = async (_, stage) =>
        {
            if (stage == SendStage.Claimed)
            {
                Assert.True(await kit.Outbox.CancelAsync("p1|meeting", default));
            }
        };

        await sender.SendDueAsync(default);

        Assert.Equal(OutboxStatus.Cancelled, (await kit.Store.GetAsync("p1|meeting", default))!.Status);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Sender_ClientContactOverTheWeeklyTouchBudget_PostponesToNextWeeksFirstMorning()
    {
        var kit = await EmailTestKit.CreateAsync(Tuesday10);
        var sink = new LocalSinkEmailSender(_folder, kit.Options, kit.Clock);
        var contact = new NotificationRecipient("mikko.laine@acme.example", "Mikko Laine", "fi", EmailTestKit.Helsinki, RecipientRole.ClientContact, "C-42");
        foreach (var id in new[] { "ref|1", "ref|2", "ref|3" })
        {
            await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ReferenceLetterRequestToClient, id, Tuesday10, contact), default);
        }

        var pass = await kit.Sender(sink).SendDueAsync(default);

        Assert.Equal(2, pass.Sent);
        Assert.Equal(1, pass.Postponed);
        var held = (await Task.WhenAll(new[] { "ref|1", "ref|2", "ref|3" }.Select(id => kit.Store.GetAsync(id, default)))).Single(m => m!.Status == OutboxStatus.Pending)!;
        var nextMonday = EmailTestKit.InHelsinki(2026, 3, 30, 8); // Monday after the spring DST change, 08:00 local.
        Assert.Equal(nextMonday, held.DueAt);
        Assert.Contains("Touch budget", held.Note);
        Assert.Contains("2026-W13", held.Note);
        Assert.Equal(new[] { "ref|1", "ref|2", "ref|3" }.Except([held.NotificationId]).Order(), (await kit.Budget.UsedAsync("C-42", "2026-W13", default)).Order());

        kit.Clock.Advance(nextMonday - kit.Clock.GetUtcNow());
        var nextWeek = await kit.Sender(sink).SendDueAsync(default);

        Assert.Equal(1, nextWeek.Sent);
        Assert.Equal(3, Directory.GetFiles(_folder).Length);
        Assert.Equal([held.NotificationId], await kit.Budget.UsedAsync("C-42", "2026-W14", default));
    }

    [Fact]
    public async Task Sender_FindingAMessageDueLateAtNight_HoldsItUntilTheRecipientsMorning()
    {
        var kit = await EmailTestKit.CreateAsync(EmailTestKit.InHelsinki(2026, 3, 24, 23, 30)); // The host was down all evening.
        var sink = new LocalSinkEmailSender(_folder, kit.Options, kit.Clock);
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.RelationshipDormant, "a1|dormant", Tuesday10), default);

        var night = await kit.Sender(sink).SendDueAsync(default);

        Assert.Equal(1, night.Postponed);
        Assert.Empty(Directory.GetFiles(_folder));
        var row = await kit.Store.GetAsync("a1|dormant", default);
        Assert.Equal(EmailTestKit.InHelsinki(2026, 3, 25, 8), row!.DueAt);
        Assert.Contains("outside the recipient's working hours", row.Note);

        kit.Clock.Advance(row.DueAt - kit.Clock.GetUtcNow());
        Assert.Equal(1, (await kit.Sender(sink).SendDueAsync(default)).Sent);
    }

    [Fact]
    public async Task Sender_RegisteredCalendar_DecidesTheMorning()
    {
        var kit = await EmailTestKit.CreateAsync(EmailTestKit.InHelsinki(2026, 3, 27, 22)); // Friday night.
        await kit.Recipients.RegisterAsync(new("anna.virtanen@supplier.example", "Anna", "fi", EmailTestKit.Helsinki, ["mon", "tue", "wed", "thu"], "10:00", "16:00", []),
            isKam: true, isHead: false, headEmail: null, default);
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.RelationshipDormant, "a1|dormant", EmailTestKit.InHelsinki(2026, 3, 27, 11)), default);

        await kit.Sender(new LocalSinkEmailSender(_folder, kit.Options, kit.Clock)).SendDueAsync(default);

        Assert.Equal(EmailTestKit.InHelsinki(2026, 3, 30, 10), (await kit.Store.GetAsync("a1|dormant", default))!.DueAt);
    }

    [Fact]
    public async Task Sender_RecipientWhoUnsubscribed_GetsEssentialMailOnly()
    {
        var kit = await EmailTestKit.CreateAsync(Tuesday10);
        var sink = new LocalSinkEmailSender(_folder, kit.Options, kit.Clock);
        await kit.Recipients.SetPreferencesAsync("Anna.Virtanen@supplier.example", DigestPreference.Off, nonEssentialOptOut: true, default);
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.InformationBondNudge, "a1|nudge", Tuesday10), default);
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.DailyAgenda, "agenda|1", Tuesday10), default);
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.DealStalled, "o9|stalled", Tuesday10), default);

        var pass = await kit.Sender(sink).SendDueAsync(default);

        Assert.Equal(1, pass.Sent);
        Assert.Equal(2, pass.Suppressed);
        Assert.Equal(OutboxStatus.Suppressed, (await kit.Store.GetAsync("a1|nudge", default))!.Status);
        Assert.Contains("unsubscribed", (await kit.Store.GetAsync("a1|nudge", default))!.Note);
        Assert.Contains("digests off", (await kit.Store.GetAsync("agenda|1", default))!.Note);
        Assert.Equal(OutboxStatus.Sent, (await kit.Store.GetAsync("o9|stalled", default))!.Status);
    }

    [Fact]
    public async Task Sender_TemporaryFailuresBeyondMaxAttempts_FailsWithTheLastReason()
    {
        var kit = await EmailTestKit.CreateAsync(Tuesday10, o => o.MaxAttempts = 2);
        var provider = new ScriptedSender(new SendOutcome.RetryLater(null, "SendGrid answered 503"));
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.DealStalled, "o9|stalled", Tuesday10), default);

        await kit.Sender(provider).SendDueAsync(default);
        kit.Clock.Advance(kit.Options.RetryBaseDelay);
        await kit.Sender(provider).SendDueAsync(default);

        var row = await kit.Store.GetAsync("o9|stalled", default);
        Assert.Equal(OutboxStatus.Failed, row!.Status);
        Assert.Equal("Gave up after 2 attempts. Last error: SendGrid answered 503", row.LastError);
        Assert.Equal(2, provider.Calls);
    }

    [Fact]
    public async Task Sender_ClaimThatKeepsCrashing_StopsAfterMaxAttempts()
    {
        var kit = await EmailTestKit.CreateAsync(Tuesday10, o => o.MaxAttempts = 2);
        var provider = new ScriptedSender(new SendOutcome.Accepted("x"));
        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.DealStalled, "o9|stalled", Tuesday10), default);
        for (var i = 0; i < 2; i++)
        {
            var crashing = kit.Sender(provider, $"sender-{i}");
            crashing.Probe = (_, stage) => stage == SendStage.Claimed ? throw new SimulatedCrashException() : Task.CompletedTask;
            await Assert.ThrowsAsync<SimulatedCrashException>(() => crashing.SendDueAsync(default));
            kit.Clock.Advance(kit.Options.ClaimLease);
        }

        await kit.Sender(provider, "sender-x").SendDueAsync(default);

        var row = await kit.Store.GetAsync("o9|stalled", default);
        Assert.Equal(OutboxStatus.Failed, row!.Status);
        Assert.StartsWith("Gave up after 2 attempts", row.LastError);
        Assert.Equal(0, provider.Calls);
    }

    [Fact]
    public async Task Sender_TwoSendersAtOnce_SendEachMessageOnce()
    {
        var kit = await EmailTestKit.CreateAsync(Tuesday10);
        var sink = new LocalSinkEmailSender(_folder, kit.Options, kit.Clock);
        var provider = new ScriptedSender(new SendOutcome.Accepted("ok"));
        for (var i = 0; i < 30; i++)
        {
            await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.DealStalled, $"o{i}|stalled", Tuesday10), default);
        }

        var passes = await Task.WhenAll(kit.Sender(provider, "a").SendDueAsync(default), kit.Sender(provider, "b").SendDueAsync(default), kit.Sender(provider, "c").SendDueAsync(default));

        Assert.Equal(30, passes.Sum(p => p.Sent));
        Assert.Equal(30, provider.Calls);
        Assert.Equal(30, provider.Ids.Distinct().Count());
    }

    [Fact]
    public async Task List_FiltersByStatusKindAndRecipientAndPages()
    {
        var kit = await EmailTestKit.CreateAsync(Tuesday10);
        var other = new NotificationRecipient("head@supplier.example", "Head", "en", EmailTestKit.Helsinki, RecipientRole.Head);
        for (var i = 0; i < 5; i++)
        {
            await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.DealStalled, $"o{i}|stalled", Tuesday10.AddDays(i)), default);
        }

        await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.DealStalledEscalation, "o1|escalation", Tuesday10, other), default);
        await kit.Sender(new LocalSinkEmailSender(_folder, kit.Options, kit.Clock)).SendDueAsync(default);

        var sent = await kit.Store.ListAsync(new OutboxQuery { Status = OutboxStatus.Sent }, default);
        var pending = await kit.Store.ListAsync(new OutboxQuery { Status = OutboxStatus.Pending, PageSize = 3 }, default);
        var rest = await kit.Store.ListAsync(new OutboxQuery { Status = OutboxStatus.Pending, PageSize = 3, ContinuationToken = pending.ContinuationToken }, default);
        var toHead = await kit.Store.ListAsync(new OutboxQuery { RecipientEmail = "HEAD@supplier.example" }, default);
        var escalations = await kit.Store.ListAsync(new OutboxQuery { Kind = NotificationKind.DealStalledEscalation }, default);
        var later = await kit.Store.ListAsync(new OutboxQuery { SendFrom = Tuesday10.AddDays(3) }, default);

        Assert.Equal(["o0|stalled", "o1|escalation"], sent.Messages.Select(m => m.NotificationId).Order());
        Assert.Equal(3, pending.Messages.Count);
        Assert.NotNull(pending.ContinuationToken);
        Assert.Single(rest.Messages);
        Assert.Equal("o1|escalation", Assert.Single(toHead.Messages).NotificationId);
        Assert.Single(escalations.Messages);
        Assert.Equal(["o3|stalled", "o4|stalled"], later.Messages.Select(m => m.NotificationId).Order());
    }

    /// <summary>A provider that answers the same each time and counts what it was given.</summary>
    private sealed class ScriptedSender(SendOutcome outcome) : IEmailSender
    {
        private int _calls;

        public System.Collections.Concurrent.ConcurrentBag<string> Ids { get; } = [];

        public int Calls => _calls;

        public string Name => "Scripted";

        public bool DeduplicatesByNotificationId => false;

        public Task<SendOutcome> SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            Ids.Add(message.NotificationId);
            return Task.FromResult(outcome);
        }
    }
}
