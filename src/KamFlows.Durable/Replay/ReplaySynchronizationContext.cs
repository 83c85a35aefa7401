namespace KamFlows.Durable.Replay;

/// <summary>
/// Runs orchestrator continuations on the replaying thread, one at a time, in the order they were posted.
/// A post from another thread means the orchestrator awaited something that is not durable
/// (Task.Delay, Task.Run, I/O): that is recorded and fails the step as non-deterministic.
/// </summary>
internal sealed class ReplaySynchronizationContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _work = new();
    private readonly object _gate = new();
    private int _pumpThreadId;
    private bool _pumping;

    public bool ForeignPostDetected { get; private set; }

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_gate)
        {
            if (!_pumping || Environment.CurrentManagedThreadId != _pumpThreadId)
            {
                ForeignPostDetected = true;
                return;
            }

            _work.Enqueue((d, state));
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new InvalidOperationException("Orchestrators cannot block synchronously.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Marks the start of replay on the current thread.</summary>
    public void BeginPumping()
    {
        lock (_gate)
        {
            _pumpThreadId = Environment.CurrentManagedThreadId;
            _pumping = true;
        }
    }

    /// <summary>After replay, late posts (from non-durable awaits) are dropped and flagged.</summary>
    public void EndPumping()
    {
        lock (_gate)
        {
            _pumping = false;
            _work.Clear();
        }
    }

    /// <summary>Runs queued continuations until none is left.</summary>
    public void RunPending()
    {
        while (true)
        {
            (SendOrPostCallback Callback, object? State) item;
            lock (_gate)
            {
                if (!_work.TryDequeue(out item))
                {
                    return;
                }
            }

            item.Callback(item.State);
        }
    }
}
