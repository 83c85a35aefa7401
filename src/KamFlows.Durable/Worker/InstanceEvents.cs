using System.Collections.Concurrent;

namespace KamFlows.Durable.Worker;

/// <summary>In-process notice that an instance changed status, so local waiters need not poll storage.</summary>
public sealed class InstanceEvents
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the next status change of the instance in this process.</summary>
    public Task NextChangeAsync(string instanceId) =>
        _waiters.GetOrAdd(instanceId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    internal void Publish(string instanceId)
    {
        if (_waiters.TryRemove(instanceId, out var tcs))
        {
            tcs.TrySetResult();
        }
    }
}
