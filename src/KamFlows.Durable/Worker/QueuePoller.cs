// Local mode: receives work messages and hands them to the handler, at most MaxConcurrentWorkItems at once.
// Polls fast while there is work, backs off to MaxPollInterval when idle, and wakes at once when this process
// enqueued something (WorkSignal). Keeps every in-flight message invisible (renewing it) until it is deleted.
using System.Collections.Concurrent;
using KamFlows.Durable.Storage;
using Microsoft.Extensions.Logging;

namespace KamFlows.Durable.Worker;

/// <summary>The local queue loop.</summary>
public sealed partial class QueuePoller
{
    private static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(50);
    private readonly ConcurrentDictionary<string, (InFlightMessage Message, Task Work)> _inFlight = new(StringComparer.Ordinal);
    private readonly DurableStorage _storage;
    private readonly WorkMessageHandler _handler;
    private readonly WorkSignal _signal;
    private readonly DurableOptions _options;
    private readonly TimeProvider _leaseClock;
    private readonly ILogger _logger;
    private long _received;

    internal QueuePoller(DurableStorage storage, WorkMessageHandler handler, WorkSignal signal, DurableOptions options, DurableHostIdentity host, ILogger<QueuePoller> logger)
    {
        _storage = storage;
        _handler = handler;
        _signal = signal;
        _options = options;
        _leaseClock = host.LeaseClock;
        _logger = logger;
    }

    /// <summary>Messages received by this host.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Messages being worked on now.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>Runs until cancelled, then waits for in-flight work to stop.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var renewals = RenewLoopAsync(cancellationToken);
        var idle = MinPollInterval;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var free = _options.MaxConcurrentWorkItems - _inFlight.Count;
                if (free <= 0)
                {
                    await Task.WhenAny(_inFlight.Values.Select(v => v.Work).Append(Task.Delay(1000, cancellationToken))).ConfigureAwait(false);
                    continue;
                }

                var response = await _storage.WorkQueue.ReceiveMessagesAsync(Math.Min(32, free), _options.WorkItemLease, cancellationToken).ConfigureAwait(false);
                var messages = response.Value;
                if (messages.Length == 0)
                {
                    await _signal.WaitAsync(idle, cancellationToken).ConfigureAwait(false);
                    idle = TimeSpan.FromTicks(Math.Min(_options.MaxPollInterval.Ticks, idle.Ticks * 2));
                    continue;
                }

                idle = MinPollInterval;
                Interlocked.Add(ref _received, messages.Length);
                foreach (var m in messages)
                {
                    var inFlight = new InFlightMessage(m, _storage.WorkQueue, _leaseClock);
                    _inFlight[m.MessageId] = (inFlight, RunOneAsync(inFlight, cancellationToken));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogPollFailed(_logger, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await Task.WhenAll(_inFlight.Values.Select(v => v.Work).Append(renewals)).ConfigureAwait(false);
    }

    private async Task RunOneAsync(InFlightMessage message, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await _handler.HandleReceivedAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogHandleFailed(_logger, ex, message.MessageId);
        }
        finally
        {
            _inFlight.TryRemove(message.MessageId, out _);
        }
    }

    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        var every = _options.WorkItemLease / 3;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every / 2, _leaseClock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var now = _leaseClock.GetUtcNow();
            foreach (var (message, _) in _inFlight.Values)
            {
                if (now - message.LastRenewed >= every)
                {
                    try
                    {
                        await message.RenewAsync(_options.WorkItemLease, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        LogRenewFailed(_logger, ex, message.MessageId);
                    }
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receiving work messages failed; retrying")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling work message {MessageId} failed")]
    private static partial void LogHandleFailed(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing work message {MessageId} failed")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string messageId);
}
