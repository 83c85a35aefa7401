using System.Text.Json;
using System.Text.Json.Serialization;

namespace KamFlows.Durable.Storage;

/// <summary>
/// A wake-up for an instance: "look at this partition". It carries no state, so a duplicate or late copy
/// finds nothing to do and is dropped; losing one is what must never happen (it is written before it is needed
/// and deleted only after the work it triggers is committed).
/// </summary>
public sealed record WorkMessage
{
    /// <summary>The instance to look at.</summary>
    [JsonPropertyName("id")]
    public required string InstanceId { get; init; }

    /// <summary>Why (for logs and caching): start, event, timer, child, defer, retry.</summary>
    [JsonPropertyName("why")]
    public string Reason { get; init; } = "event";

    /// <summary>How many times it was deferred (re-enqueued because another host held the instance).</summary>
    [JsonPropertyName("n")]
    public int Deferrals { get; init; }

    /// <summary>Serializes the message for the queue.</summary>
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Parses a queue message body; null if it is not a work message.</summary>
    public static WorkMessage? TryParse(string body)
    {
        try
        {
            var m = JsonSerializer.Deserialize<WorkMessage>(body);
            return string.IsNullOrWhiteSpace(m?.InstanceId) ? null : m;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal sealed class WorkQueue(DurableStorage storage, WorkSignal signal)
{
    public async Task EnqueueAsync(WorkMessage message, TimeSpan? delay, CancellationToken cancellationToken)
    {
        await storage.WorkQueue.SendMessageAsync(message.ToJson(), delay is { } d && d > TimeSpan.Zero ? d : null, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (delay is null || delay <= TimeSpan.Zero)
        {
            signal.Notify();
        }
    }
}

/// <summary>Wakes this host's queue poller at once when this process enqueued work (no waiting for the next poll).</summary>
public sealed class WorkSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    /// <summary>Signals that work was enqueued.</summary>
    public void Notify()
    {
        try
        {
            if (_semaphore.CurrentCount == 0)
            {
                _semaphore.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <inheritdoc />
    public void Dispose() => _semaphore.Dispose();

    /// <summary>Waits for a signal or the timeout.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}
