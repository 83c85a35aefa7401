// What happens to a work message around its processing, shared by the local poller and the Azure Functions
// queue trigger. Invariants: a message is deleted only after its work is committed (or found unnecessary);
// a failing message is retried with backoff and, on its last allowed attempt, parked in the poison queue
// with its instance marked Failed and a readable reason, so no message is retried forever and no instance
// hangs silently.
using System.Text.Json;
using Azure;
using Azure.Storage.Queues.Models;
using KamFlows.Durable.Storage;
using Microsoft.Extensions.Logging;

namespace KamFlows.Durable.Worker;

/// <summary>Handles work messages and parks poison ones.</summary>
public sealed partial class WorkMessageHandler
{
    private readonly WorkItemProcessor _processor;
    private readonly DurableStorage _storage;
    private readonly WorkQueue _queue;
    private readonly InstanceStore _store;
    private readonly InstanceEvents _events;
    private readonly DurableOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private long _parked;

    internal WorkMessageHandler(WorkItemProcessor processor, DurableStorage storage, WorkQueue queue, InstanceStore store, InstanceEvents events,
        DurableOptions options, TimeProvider clock, ILogger<WorkMessageHandler> logger)
    {
        _processor = processor;
        _storage = storage;
        _queue = queue;
        _store = store;
        _events = events;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Messages parked in the poison queue by this host.</summary>
    public long Parked => Interlocked.Read(ref _parked);

    /// <summary>
    /// Processes a message body. Returns normally when the message may be deleted (done, deferred by a new message,
    /// or parked); throws when it must be retried later.
    /// </summary>
    public async Task HandleAsync(string body, long dequeueCount, CancellationToken cancellationToken)
    {
        var work = WorkMessage.TryParse(body);
        if (work is null)
        {
            await ParkAsync(body, null, dequeueCount, new InvalidDataException("Not a KamFlows work message."), cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            var outcome = await _processor.ProcessAsync(work, cancellationToken).ConfigureAwait(false);
            if (outcome.Kind == WorkItemOutcomeKind.Defer)
            {
                await _queue.EnqueueAsync(work with { Deferrals = work.Deferrals + 1 }, outcome.Delay, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (dequeueCount < _options.MaxDequeueCount)
            {
                LogRetry(_logger, ex, work.InstanceId, dequeueCount, _options.MaxDequeueCount);
                throw;
            }

            await ParkAsync(body, work.InstanceId, dequeueCount, ex, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Handles a received queue message end to end (local mode): process, then delete or back off.</summary>
    internal async Task HandleReceivedAsync(InFlightMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await HandleAsync(message.Body, message.DequeueCount, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // Host stopping: the message reappears after its visibility timeout.
        }
        catch (Exception)
        {
            // Retry soon rather than after the full lease: base, 2×base, 4×base... at most a minute.
            var backoff = TimeSpan.FromTicks((long)Math.Min(TimeSpan.FromMinutes(1).Ticks, _options.RetryBackoffBase.Ticks * Math.Pow(2, message.DequeueCount - 1)));
            await message.UpdateVisibilityAsync(backoff, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        await message.DeleteAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task ParkAsync(string body, string? instanceId, long dequeueCount, Exception error, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var reason = $"Work message for instance '{instanceId ?? "?"}' failed {dequeueCount} time(s) and was parked in queue '{_storage.PoisonQueue.Name}'. " +
                     $"Last error: {error.GetType().Name}: {error.Message}";
        var record = JsonSerializer.Serialize(new { message = body, instanceId, dequeueCount, parkedAt = now, error = error.ToString() });
        await _storage.PoisonQueue.SendMessageAsync(record, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (instanceId is not null)
        {
            await _store.MarkFailedAsync(instanceId, new TaskFailureDetails("PoisonMessage", reason, error.StackTrace,
                TaskFailureDetails.FromException(error)), now, cancellationToken).ConfigureAwait(false);
            _events.Publish(instanceId);
        }

        Interlocked.Increment(ref _parked);
        DurableTelemetry.MessageParked();
        LogParked(_logger, error, instanceId ?? "?", dequeueCount);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Work for {InstanceId} failed (attempt {Attempt} of {Max}); retrying")]
    private static partial void LogRetry(ILogger logger, Exception exception, string instanceId, long attempt, int max);

    [LoggerMessage(Level = LogLevel.Error, Message = "Work for {InstanceId} failed {Attempts} times; parked as poison and the instance marked Failed")]
    private static partial void LogParked(ILogger logger, Exception exception, string instanceId, long attempts);
}

/// <summary>A received message this host is working on; its visibility is renewed until it is deleted.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "SemaphoreSlim holds no OS handle unless AvailableWaitHandle is used.")]
internal sealed class InFlightMessage(QueueMessage message, Azure.Storage.Queues.QueueClient queue, TimeProvider leaseClock)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string _popReceipt = message.PopReceipt;
    private bool _finished;

    public string Body { get; } = message.MessageText;
    public long DequeueCount { get; } = message.DequeueCount;
    public string MessageId { get; } = message.MessageId;
    public DateTimeOffset LastRenewed { get; private set; } = leaseClock.GetUtcNow();

    public Task RenewAsync(TimeSpan visibility, CancellationToken cancellationToken) => UpdateVisibilityAsync(visibility, cancellationToken);

    public async Task UpdateVisibilityAsync(TimeSpan visibility, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_finished)
            {
                return;
            }

            var receipt = await queue.UpdateMessageAsync(MessageId, _popReceipt, visibilityTimeout: visibility, cancellationToken: cancellationToken).ConfigureAwait(false);
            _popReceipt = receipt.Value.PopReceipt;
            LastRenewed = leaseClock.GetUtcNow();
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            _finished = true; // Lost the message (lease ran out and another host took it): nothing to renew.
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_finished)
            {
                return;
            }

            _finished = true;
            await queue.DeleteMessageAsync(MessageId, _popReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            // Already gone: another host finished it after our lease lapsed; its work is idempotent.
        }
        finally
        {
            _gate.Release();
        }
    }
}
