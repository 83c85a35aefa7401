using KamFlows.Infrastructure.Notifications.Digests;
using KamFlows.Infrastructure.Notifications.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KamFlows.Infrastructure.Notifications;

/// <summary>
/// One round of email work: queue due digests, then send due messages. Local runs call it from
/// <see cref="EmailDeliveryService"/>; in Azure Functions a timer trigger calls <see cref="RunOnceAsync"/>.
/// </summary>
public sealed class EmailDelivery
{
    private readonly OutboxSender _sender;
    private readonly DigestScheduler? _digests;

    public EmailDelivery(OutboxSender sender, DigestScheduler? digests)
    {
        _sender = sender;
        _digests = digests;
    }

    /// <summary>False when digests are off because no projection of planned actions is registered.</summary>
    public bool DigestsEnabled => _digests is not null;

    /// <summary>Does what is due; returns when something is due next (null: nothing scheduled).</summary>
    public async Task<DateTimeOffset?> RunOnceAsync(CancellationToken cancellationToken)
    {
        var nextDigest = _digests is null ? null : await _digests.RunDueAsync(cancellationToken).ConfigureAwait(false);
        var pass = await _sender.SendDueAsync(cancellationToken).ConfigureAwait(false);
        return Min(nextDigest, pass.NextDueAt);
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}

/// <summary>The local loop: wakes at the next due time (on the injected clock), when a message is queued for now, or after the idle interval.</summary>
public sealed partial class EmailDeliveryService : BackgroundService
{
    private readonly EmailDelivery _delivery;
    private readonly OutboxSignal _signal;
    private readonly EmailOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EmailDeliveryService> _logger;

    public EmailDeliveryService(EmailDelivery delivery, OutboxSignal signal, EmailOptions options, TimeProvider time, ILogger<EmailDeliveryService> logger)
    {
        _delivery = delivery;
        _signal = signal;
        _options = options;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_delivery.DigestsEnabled)
        {
            LogDigestsOff(_logger);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset? next;
            try
            {
                next = await _delivery.RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogPassFailed(_logger, e);
                next = null;
            }

            var now = _time.GetUtcNow();
            var wait = next is { } at && at - now < _options.IdlePollInterval ? at - now : _options.IdlePollInterval;
            await _signal.WaitAsync(wait, _time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 5120, Level = LogLevel.Error, Message = "Email delivery pass failed; trying again shortly")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5121, Level = LogLevel.Warning, Message = "Digests are off: no IUpcomingActions (the workflows' plan projection) is registered")]
    private static partial void LogDigestsOff(ILogger logger);
}
