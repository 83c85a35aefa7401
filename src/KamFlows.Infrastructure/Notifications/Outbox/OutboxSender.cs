// Delivers due outbox rows. Invariants:
// - A message goes to the provider only from Sending, reached by Pending/Claimed → Claimed → Sending under the row's
//   ETag, so two senders never both send it; nothing is sent before the row's SendAt (DueAt starts there).
// - Claimed means "nothing left yet": a lapsed claim is retried as if Pending (a crash between claim and send neither
//   loses nor duplicates). Sending means "the provider may have it": a lapsed Sending is resent only when the sender
//   deduplicates by notification id (local sink) or ResendWhenOutcomeUnknown is set; otherwise it becomes
//   OutcomeUnknown, visible in the outbox. That is the only window where at-least-once or at-most-once applies: from
//   the provider receiving the request to this sender recording the answer.
// - Every attempt is counted at claim; after MaxAttempts the message fails with the last reason, so a poison message
//   (even one that crashes the sender) stops being retried.
// - Only the sender that wins the transition to Failed or OutcomeUnknown logs the alert: each is raised once.
using Azure;
using KamFlows.Infrastructure.Notifications.Digests;
using KamFlows.Infrastructure.Notifications.Senders;
using KamFlows.Infrastructure.Notifications.Templates;
using KamFlows.Workflows.Notifications;
using Microsoft.Extensions.Logging;
using Scriban.Syntax;

namespace KamFlows.Infrastructure.Notifications.Outbox;

/// <summary>Sends what is due: call <see cref="SendDueAsync"/> from the local loop or from a timer trigger.</summary>
public sealed partial class OutboxSender
{
    private const int Parallelism = 8;

    private readonly Timeline.ITimelineWriter? _timeline;
    private readonly OutboxStore _store;
    private readonly IEmailSender _sender;
    private readonly NotificationRenderer _renderer;
    private readonly RecipientDirectory _recipients;
    private readonly TouchBudget _budget;
    private readonly EmailOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxSender> _logger;
    private readonly string _senderId;

    public OutboxSender(OutboxStore store, IEmailSender sender, NotificationRenderer renderer, RecipientDirectory recipients, TouchBudget budget,
        EmailOptions options, TimeProvider time, ILogger<OutboxSender> logger, string? senderId = null, Timeline.ITimelineWriter? timeline = null)
    {
        _timeline = timeline;
        _store = store;
        _sender = sender;
        _renderer = renderer;
        _recipients = recipients;
        _budget = budget;
        _options = options;
        _time = time;
        _logger = logger;
        _senderId = senderId ?? $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    }

    /// <summary>Test seam: runs after each step is stored; an exception here stops the sender on the spot, like a crash.</summary>
    internal Func<OutboxMessage, SendStage, Task>? Probe { get; set; }

    /// <summary>Handles up to <see cref="EmailOptions.BatchSize"/> due rows; returns what happened and when the next row is due.</summary>
    public async Task<SendPassResult> SendDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var due = await _store.FindDueAsync(now, _options.BatchSize, cancellationToken).ConfigureAwait(false);
        var tally = new Tally();
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (entry, ct) =>
        {
            try
            {
                await ProcessAsync(entry, now, tally, ct).ConfigureAwait(false);
            }
            catch (RequestFailedException e)
            {
                // Storage hiccup: the row keeps its state and index, so a later pass picks it up again.
                LogStorageError(_logger, entry.NotificationId, e.Status, e.Message);
            }
        }).ConfigureAwait(false);
        var next = await _store.EarliestDueAsync(cancellationToken).ConfigureAwait(false);
        return tally.Result(due.Count, next);
    }

    private async Task ProcessAsync(DueEntry entry, DateTimeOffset now, Tally tally, CancellationToken ct)
    {
        var message = await _store.GetAsync(entry.NotificationId, ct).ConfigureAwait(false);
        if (message is null)
        {
            if (now - entry.WrittenAt > OutboxStore.OrphanGrace)
            {
                await _store.DeleteIndexAsync(entry.NotificationId, entry.DueAt, entry.ETag, ct).ConfigureAwait(false);
            }

            return;
        }

        if (message.Status.IsFinal() || message.DueAt.UtcTicks != entry.DueAt.UtcTicks)
        {
            await _store.DeleteIndexAsync(entry.NotificationId, entry.DueAt, entry.ETag, ct).ConfigureAwait(false);
            return;
        }

        switch (message.Status)
        {
            case OutboxStatus.Pending:
                await AttemptAsync(message, now, tally, ct).ConfigureAwait(false);
                break;
            case OutboxStatus.Claimed:
                LogRecoveringClaim(_logger, message.NotificationId, message.ClaimedBy);
                await AttemptAsync(message, now, tally, ct).ConfigureAwait(false);
                break;
            case OutboxStatus.Sending when _sender.DeduplicatesByNotificationId || _options.ResendWhenOutcomeUnknown:
                LogResendingUnknown(_logger, message.NotificationId, message.ClaimedBy, _sender.Name);
                await AttemptAsync(message with { Note = $"Sent again after sender {message.ClaimedBy} stopped while {_sender.Name} handled it." }, now, tally, ct).ConfigureAwait(false);
                break;
            case OutboxStatus.Sending:
                var reason = $"Sender {message.ClaimedBy} stopped while {message.Provider} was handling the message, so whether it arrived is unknown; " +
                    $"it was not sent again (search the provider's activity for notification_id {message.NotificationId}).";
                if (await FinishAsync(message, message with { Status = OutboxStatus.OutcomeUnknown, LastError = reason }, ct).ConfigureAwait(false) is not null)
                {
                    LogOutcomeUnknown(_logger, message.NotificationId, message.Request.Kind, reason);
                    tally.Failed();
                }

                break;
        }
    }

    private async Task AttemptAsync(OutboxMessage message, DateTimeOffset now, Tally tally, CancellationToken ct)
    {
        var r = message.Request;

        // A deduplicating provider may already hold a message left in Sending: asking again only confirms it, so no limit applies.
        var confirmsOnly = message.Status == OutboxStatus.Sending && _sender.DeduplicatesByNotificationId;
        if (message.Attempts >= _options.MaxAttempts && !confirmsOnly)
        {
            await FailAsync(message, $"Gave up after {message.Attempts} attempts. Last error: {message.LastError ?? "none recorded (the sender stopped during the attempt)"}", ct).ConfigureAwait(false);
            tally.Failed();
            return;
        }

        var registered = await _recipients.GetAsync(r.Recipient.Email, ct).ConfigureAwait(false);
        var calendar = SendTiming.CalendarOf(registered, r.Recipient.TimeZone);
        var sendable = SendTiming.NotAtNight(now, r.SendAt, _options.LateSendGrace, calendar);
        if (sendable > now)
        {
            await PostponeAsync(message, sendable, $"Found due at {now:O}, outside the recipient's working hours and more than {_options.LateSendGrace} late; held until {sendable:O}.", ct).ConfigureAwait(false);
            tally.Postponed();
            return;
        }

        if (Suppression(message, registered) is { } why)
        {
            await FinishAsync(message, message with { Status = OutboxStatus.Suppressed, Note = why }, ct).ConfigureAwait(false);
            tally.Suppressed();
            return;
        }

        var week = SendTiming.IsoWeek(now, calendar);
        if (r.Recipient.Role == RecipientRole.ClientContact
            && !await _budget.TryReserveAsync(ContactKey(r), week, r.NotificationId, _options.ClientTouchBudgetPerWeek, ct).ConfigureAwait(false))
        {
            var next = SendTiming.FirstMorningOfNextWeek(now, calendar);
            await PostponeAsync(message, next, $"Touch budget: contact {ContactKey(r)} already had {_options.ClientTouchBudgetPerWeek} automated messages in {week}; postponed to {next:O}.", ct).ConfigureAwait(false);
            tally.Postponed();
            return;
        }

        var leaseUntil = now + _options.ClaimLease;
        var claimed = await _store.TryReplaceAsync(message, message with
        {
            Status = OutboxStatus.Claimed,
            ClaimedBy = _senderId,
            AttemptId = Guid.NewGuid().ToString("N"),
            Attempts = message.Attempts + 1,
            LeaseUntil = leaseUntil,
            DueAt = leaseUntil,
            Provider = _sender.Name,
        }, ct).ConfigureAwait(false);
        if (claimed is null)
        {
            return; // Another sender (or a cancel) got there first.
        }

        await StepAsync(claimed, SendStage.Claimed).ConfigureAwait(false);
        EmailMessage email;
        try
        {
            email = _renderer.Render(claimed);
        }
        catch (Exception e) when (e is ScriptRuntimeException or ArgumentException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            await FailAsync(claimed, $"Cannot render {r.Kind}: {e.Message}", ct).ConfigureAwait(false);
            await ReleaseBudgetAsync(r, week, ct).ConfigureAwait(false);
            tally.Failed();
            return;
        }

        var sending = await _store.TryReplaceAsync(claimed, claimed with { Status = OutboxStatus.Sending }, ct).ConfigureAwait(false);
        if (sending is null)
        {
            return; // Cancelled by its workflow between claim and send.
        }

        await StepAsync(sending, SendStage.Sending).ConfigureAwait(false);
        var outcome = await _sender.SendAsync(email, ct).ConfigureAwait(false);
        await StepAsync(sending, SendStage.ProviderAnswered).ConfigureAwait(false);
        await RecordAsync(sending, outcome, week, tally, ct).ConfigureAwait(false);
    }

    private async Task RecordAsync(OutboxMessage sending, SendOutcome outcome, string week, Tally tally, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        switch (outcome)
        {
            case SendOutcome.Accepted accepted:
                if (await FinishAsync(sending, sending with { Status = OutboxStatus.Sent, SentAt = now, ProviderMessageId = accepted.ProviderMessageId, LastError = null }, ct).ConfigureAwait(false) is not null)
                {
                    await RecordOnTimelineAsync(sending.Request, now, ct).ConfigureAwait(false);
                }

                LogSent(_logger, sending.NotificationId, sending.Request.Kind, _sender.Name, accepted.ProviderMessageId);
                tally.Sent();
                break;
            case SendOutcome.RetryLater retry:
                await RetryAsync(sending, retry.After ?? SendTiming.Backoff(sending.Attempts, _options.RetryBaseDelay, _options.MaxRetryDelay), retry.Reason, tally, ct).ConfigureAwait(false);
                break;
            case SendOutcome.Unknown unknown when _sender.DeduplicatesByNotificationId || _options.ResendWhenOutcomeUnknown:
                await RetryAsync(sending, SendTiming.Backoff(sending.Attempts, _options.RetryBaseDelay, _options.MaxRetryDelay), unknown.Reason, tally, ct).ConfigureAwait(false);
                break;
            case SendOutcome.Unknown unknown:
                if (await FinishAsync(sending, sending with { Status = OutboxStatus.OutcomeUnknown, LastError = unknown.Reason }, ct).ConfigureAwait(false) is not null)
                {
                    LogOutcomeUnknown(_logger, sending.NotificationId, sending.Request.Kind, unknown.Reason);
                }

                tally.Failed();
                break;
            case SendOutcome.Rejected rejected:
                await FailAsync(sending, rejected.Reason, ct).ConfigureAwait(false);
                await ReleaseBudgetAsync(sending.Request, week, ct).ConfigureAwait(false);
                tally.Failed();
                break;
        }
    }

    private async Task RetryAsync(OutboxMessage sending, TimeSpan delay, string reason, Tally tally, CancellationToken ct)
    {
        if (sending.Attempts >= _options.MaxAttempts)
        {
            await FailAsync(sending, $"Gave up after {sending.Attempts} attempts. Last error: {reason}", ct).ConfigureAwait(false);
            tally.Failed();
            return;
        }

        var r = sending.Request;
        var registered = await _recipients.GetAsync(r.Recipient.Email, ct).ConfigureAwait(false);
        var at = SendTiming.NotAtNight(_time.GetUtcNow() + delay, r.SendAt, _options.LateSendGrace, SendTiming.CalendarOf(registered, r.Recipient.TimeZone));
        await FinishAsync(sending, sending with { Status = OutboxStatus.Pending, DueAt = at, LastError = reason }, ct).ConfigureAwait(false);
        LogRetry(_logger, sending.NotificationId, sending.Attempts, at, reason);
        tally.Retried();
    }

    private async Task PostponeAsync(OutboxMessage message, DateTimeOffset until, string note, CancellationToken ct) =>
        await FinishAsync(message, message with { Status = OutboxStatus.Pending, DueAt = until, Note = note }, ct).ConfigureAwait(false);

    private async Task FailAsync(OutboxMessage message, string reason, CancellationToken ct)
    {
        if (await FinishAsync(message, message with { Status = OutboxStatus.Failed, LastError = reason }, ct).ConfigureAwait(false) is not null)
        {
            LogFailed(_logger, message.NotificationId, message.Request.Kind, message.Request.Recipient.Role, reason);
        }
    }

    /// <summary>Stores the next state, dropping the claim; null when the row changed meanwhile (someone else decided).</summary>
    private Task<OutboxMessage?> FinishAsync(OutboxMessage current, OutboxMessage next, CancellationToken ct) =>
        _store.TryReplaceAsync(current, next.Status is OutboxStatus.Claimed or OutboxStatus.Sending ? next : next with { ClaimedBy = null, LeaseUntil = null, AttemptId = null }, ct);

    private async Task ReleaseBudgetAsync(NotificationRequest r, string week, CancellationToken ct)
    {
        if (r.Recipient.Role == RecipientRole.ClientContact)
        {
            await _budget.ReleaseAsync(ContactKey(r), week, r.NotificationId, ct).ConfigureAwait(false);
        }
    }

    private static string? Suppression(OutboxMessage message, EmailRecipient? registered)
    {
        if (registered is null)
        {
            return null;
        }

        if (message.Request.Kind is NotificationKind.DailyAgenda or NotificationKind.WeeklyReport && registered.Digest == DigestPreference.Off)
        {
            return "Not sent: the recipient turned digests off.";
        }

        return !message.IsEssential && registered.NonEssentialOptOut ? "Not sent: the recipient unsubscribed from non-essential email." : null;
    }

    private static string ContactKey(NotificationRequest r) => r.Recipient.ContactId ?? UnsubscribeLinks.Normalize(r.Recipient.Email);

    private async Task StepAsync(OutboxMessage message, SendStage stage)
    {
        if (Probe is { } probe)
        {
            await probe(message, stage).ConfigureAwait(false);
        }
    }

    /// <summary>What KamFlows caused goes on the account's timeline (digests concern no single account). Best effort: the mail is already out.</summary>
    private async Task RecordOnTimelineAsync(NotificationRequest r, DateTimeOffset sentAt, CancellationToken ct)
    {
        if (_timeline is null || r.AccountId == "*")
        {
            return;
        }

        try
        {
            var entry = new Timeline.TimelineEntry(sentAt, Timeline.TimelineOrigin.Caused, r.Kind.ToString(),
                $"{r.Kind} sent to the {r.Recipient.Role switch { RecipientRole.Kam => "KAM", RecipientRole.Head => "head", _ => "client contact" }}",
                r.SourceKey, r.NotificationId, r.Recipient.ContactId);
            await _timeline.AppendAsync(r.AccountId, entry, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogTimelineFailed(_logger, ex, r.NotificationId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {NotificationId} was sent but could not be added to the account timeline")]
    private static partial void LogTimelineFailed(ILogger logger, Exception exception, string notificationId);

    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Email {NotificationId} ({Kind}) sent through {Provider} as {ProviderMessageId}")]
    private static partial void LogSent(ILogger logger, string notificationId, NotificationKind kind, string provider, string? providerMessageId);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Error, Message = "Email {NotificationId} ({Kind} to a {Role}) failed for good: {Reason}")]
    private static partial void LogFailed(ILogger logger, string notificationId, NotificationKind kind, RecipientRole role, string reason);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "Email {NotificationId} ({Kind}): outcome unknown, not sent again: {Reason}")]
    private static partial void LogOutcomeUnknown(ILogger logger, string notificationId, NotificationKind kind, string reason);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Email {NotificationId}: attempt {Attempt} not accepted, next at {NextAt:O}: {Reason}")]
    private static partial void LogRetry(ILogger logger, string notificationId, int attempt, DateTimeOffset nextAt, string reason);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "Email {NotificationId}: the claim of sender {ClaimedBy} lapsed before anything was sent; sending it now")]
    private static partial void LogRecoveringClaim(ILogger logger, string notificationId, string? claimedBy);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "Email {NotificationId}: sender {ClaimedBy} stopped while {Provider} handled it; sending again (the provider deduplicates, or resending was configured)")]
    private static partial void LogResendingUnknown(ILogger logger, string notificationId, string? claimedBy, string provider);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "Email {NotificationId}: storage error {Status}, will retry: {Message}")]
    private static partial void LogStorageError(ILogger logger, string notificationId, int status, string message);

    private sealed class Tally
    {
        private int _sent, _retried, _failed, _postponed, _suppressed;

        public void Sent() => Count(ref _sent, "sent");

        public void Retried() => Count(ref _retried, "retried");

        public void Failed() => Count(ref _failed, "failed");

        public void Postponed() => Count(ref _postponed, "postponed");

        public void Suppressed() => Count(ref _suppressed, "suppressed");

        private static void Count(ref int counter, string outcome)
        {
            Interlocked.Increment(ref counter);
            KamFlowsMetrics.Email(outcome);
        }

        public SendPassResult Result(int examined, DateTimeOffset? next) => new(examined, _sent, _retried, _failed, _postponed, _suppressed, next);
    }
}

/// <summary>Points in an attempt after which a crash is interesting.</summary>
public enum SendStage
{
    /// <summary>The claim is stored; nothing was handed to the provider.</summary>
    Claimed,

    /// <summary>Marked Sending; the provider call comes next.</summary>
    Sending,

    /// <summary>The provider answered; its answer is not recorded yet.</summary>
    ProviderAnswered,
}

/// <summary>What one pass did, and when the next row is due (null: nothing waits).</summary>
public sealed record SendPassResult(int Examined, int Sent, int Retried, int Failed, int Postponed, int Suppressed, DateTimeOffset? NextDueAt);
