// Processes accepted events from the intake store, after the webhook answered.
// Invariants:
// - a shard is processed by one loop at a time in this process; its pending events are grouped by account (lanes,
//   ShardWindow), lanes of different accounts run concurrently and each lane runs one batch at a time, oldest event
//   first, so a busy account takes one batch slot and never holds up the others;
// - order: an account's events are applied and delivered in arrival order, except around a failure: a failing event
//   holds its account's later events for one retry delay (its first retry, in order); if it fails again it is set
//   aside and retried every retry delay behind them until it succeeds or is parked. Workflows and the account store
//   already tolerate events out of order (held events, event marks), so only the order of arrival is weakened;
// - a batch (up to MaxEventsPerAccountBatch events of one account) is applied with one read-modify-write of the
//   account's rows, one timeline write, and one delivery per workflow instance (instances concurrently); a contact
//   erasure is a batch on its own, so it rewrites every timeline entry written before it;
// - every step is idempotent (account store by event marks, timeline by key, workflows by event id), and pending rows
//   are deleted only after all steps of their batch succeeded, so a crash at any point only causes a harmless repeat;
//   a failed batch is repeated one event at a time to find the failing event, the others' repeats being harmless;
// - a workflow instance whose start the engine has not processed yet holds its account's batch for a retry delay
//   without counting an attempt (waiting is what keeps the event from being dropped, WorkflowRouting);
// - every route gets signal-with-start: an event that arrives before the one that "starts" its object (an
//   acknowledgement before the proposal was sent) starts the instance, which holds it until it can use it (WorkflowRouting);
// - personal data leaves the intake when the event is processed: only the event without it is kept;
// - processed events are forgotten after DedupeRetention (pruned every PruneInterval); pending and failed ones never are.
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Intake.Storage;
using KamFlows.Infrastructure.Timeline;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KamFlows.Infrastructure.Intake;

/// <summary>Applies accepted events to account state and timeline, and routes them to their workflows.</summary>
public sealed partial class IntakeProcessor : BackgroundService
{
    /// <summary>Batches in flight per shard (lanes of different accounts).</summary>
    private const int LanesPerShard = 8;

    /// <summary>How often a busy shard reads storage for newly accepted events when no commit signalled it.</summary>
    private static readonly TimeSpan RefillInterval = TimeSpan.FromSeconds(1);

    private readonly IntakeStore _intake;
    private readonly AccountStore _accounts;
    private readonly TimelineStore _timeline;
    private readonly DurableTaskClient? _workflows;
    private readonly KamFlows.Workflows.Ports.IAccountReader _reader;
    private readonly IAccountTeamListener[] _teamListeners;
    private readonly IntakeOptions _options;
    private readonly ILogger<IntakeProcessor> _logger;
    private readonly SemaphoreSlim[] _shardLocks = Enumerable.Range(0, IntakeShards.Count).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly SemaphoreSlim[] _signals = Enumerable.Range(0, IntakeShards.Count).Select(_ => new SemaphoreSlim(0, 1)).ToArray();
    private readonly ShardWindow[] _windows = Enumerable.Range(0, IntakeShards.Count).Select(s => new ShardWindow(s)).ToArray();
    private readonly int[] _arrived = new int[IntakeShards.Count];
    private readonly SemaphoreSlim _batchSlots;
    private readonly TimeProvider _clock;
    private long _processed;
    private long _parked;
    private long _pruned;
    private long _nextPruneTicks;
    private long _lastBacklogWarningTicks;

    /// <remarks>
    /// <c>workflows</c> is the client the background loops deliver through (the local host's). It is null where a client
    /// exists only per invocation (an Azure Functions timer trigger's [DurableClient]): that caller passes it to
    /// <see cref="ProcessAllOnceAsync(DurableTaskClient, CancellationToken)"/>.
    /// </remarks>
    public IntakeProcessor(IntakeStore intake, AccountStore accounts, TimelineStore timeline, IntakeOptions options,
        ILogger<IntakeProcessor> logger, KamFlows.Workflows.Ports.IAccountReader reader, IEnumerable<IAccountTeamListener> teamListeners, TimeProvider clock,
        DurableTaskClient? workflows = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(intake);
        ArgumentNullException.ThrowIfNull(options);
        _clock = clock;
        _nextPruneTicks = (clock.GetUtcNow() + options.SweepInterval).UtcTicks; // Not at start-up: hosts restart often.
        _intake = intake;
        _accounts = accounts;
        _timeline = timeline;
        _workflows = workflows;
        _reader = reader;
        _teamListeners = [.. teamListeners];
        _options = options;
        _logger = logger;
        _batchSlots = new SemaphoreSlim(options.MaxConcurrentBatches, options.MaxConcurrentBatches);
        KamFlowsMetrics.ObserveBacklog(this, intake.TaskHub);
    }

    /// <summary>Events processed (applied and delivered) since start.</summary>
    public long Processed => Interlocked.Read(ref _processed);

    /// <summary>Events parked as failed since start.</summary>
    public long Parked => Interlocked.Read(ref _parked);

    /// <summary>Processed events forgotten by pruning since start.</summary>
    public long Pruned => Interlocked.Read(ref _pruned);

    /// <summary>Deletes processed events older than <see cref="IntakeOptions.DedupeRetention"/> in every shard; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        if (_options.DedupeRetention == TimeSpan.Zero)
        {
            return 0;
        }

        var cutoff = _clock.GetUtcNow() - _options.DedupeRetention;
        var total = 0;
        for (var shard = 0; shard < IntakeShards.Count; shard++)
        {
            total += await _intake.PruneProcessedAsync(shard, cutoff, cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Add(ref _pruned, total);
        if (total > 0)
        {
            LogPruned(_logger, total, cutoff);
        }

        return total;
    }

    /// <summary>Prunes when <see cref="IntakeOptions.PruneInterval"/> has passed since the last time (the Azure Functions timer trigger calls this often).</summary>
    public async Task<int> PruneIfDueAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var due = Interlocked.Read(ref _nextPruneTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextPruneTicks, (now + _options.PruneInterval).UtcTicks, due) != due)
        {
            return 0;
        }

        try
        {
            return await PruneAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
        {
            LogPruneFailed(_logger, ex);
            Interlocked.Exchange(ref _nextPruneTicks, (now + _options.SweepInterval).UtcTicks); // Try again soon, not in a day.
            return 0;
        }
    }

    /// <summary>Wakes the shard's loop (called after a commit, so processing starts right after the answer).</summary>
    public void Notify(int shard)
    {
        Volatile.Write(ref _arrived[shard], 1);
        var signal = _signals[shard];
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    /// <summary>Processes every shard once through the client given at construction; returns the events done.</summary>
    public Task<int> ProcessAllOnceAsync(CancellationToken cancellationToken) => ProcessAllOnceAsync(RequireClient(), cancellationToken);

    /// <summary>
    /// Processes every shard until nothing is left that may be tried now, delivering to workflows through
    /// <paramref name="workflows"/> (the Azure Functions timer trigger's entry point); returns the events done
    /// (processed or parked). Warns when the backlog is too old.
    /// </summary>
    public async Task<int> ProcessAllOnceAsync(DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        var counts = await Task.WhenAll(Enumerable.Range(0, IntakeShards.Count).Select(s => ProcessShardAsync(s, workflows, cancellationToken))).ConfigureAwait(false);
        CheckBacklog();
        return counts.Sum(c => c.Done);
    }

    /// <summary>Processes a shard's pending events until none is left that may be tried now; says how many were done and whether some wait for a retry.</summary>
    public Task<(int Done, bool Blocked)> ProcessShardAsync(int shard, CancellationToken cancellationToken) => ProcessShardAsync(shard, RequireClient(), cancellationToken);

    private DurableTaskClient RequireClient() =>
        _workflows ?? throw new InvalidOperationException("This IntakeProcessor has no DurableTaskClient of its own: pass the invocation's client to ProcessAllOnceAsync.");

    private async Task<(int Done, bool Blocked)> ProcessShardAsync(int shard, DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        var (done, nextRetry) = await RunShardAsync(shard, workflows, cancellationToken).ConfigureAwait(false);
        return (done, nextRetry is not null);
    }

    /// <summary>
    /// Runs the shard's lanes until none has work it may do now: reads newly accepted events while batches run, starts
    /// the next batch of every idle lane. Returns the events done and the next retry time, if any event waits for one.
    /// </summary>
    private async Task<(int Done, DateTimeOffset? NextRetry)> RunShardAsync(int shard, DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        await _shardLocks[shard].WaitAsync(cancellationToken).ConfigureAwait(false);
        var window = _windows[shard];
        var running = new List<Task<int>>();
        var done = 0;
        try
        {
            var lastRead = DateTimeOffset.MinValue;
            while (true)
            {
                var now = _clock.GetUtcNow();
                if (Interlocked.Exchange(ref _arrived[shard], 0) == 1 || now - lastRead >= RefillInterval || running.Count == 0)
                {
                    await RefillAsync(window, now, cancellationToken).ConfigureAwait(false);
                    lastRead = now;
                }

                List<(ShardWindow.Lane Lane, List<PendingEvent> Batch)> batches;
                lock (window.Gate)
                {
                    batches = window.TakeBatches(_clock.GetUtcNow(), LanesPerShard - running.Count, _options.MaxEventsPerAccountBatch);
                }

                running.AddRange(batches.Select(b => RunBatchAsync(window, b.Lane, b.Batch, workflows, cancellationToken)));
                if (running.Count == 0)
                {
                    lock (window.Gate)
                    {
                        return (done, window.NextRetry(_clock.GetUtcNow()));
                    }
                }

                // Wake on the first batch to finish, or after the refill interval to take in new arrivals.
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var first = Task.WhenAny(running);
                await Task.WhenAny(first, Task.Delay(RefillInterval, _clock, wake.Token)).ConfigureAwait(false);
                await wake.CancelAsync().ConfigureAwait(false);
                foreach (var finished in running.Where(t => t.IsCompleted).ToList())
                {
                    running.Remove(finished);
                    done += await finished.ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (running.Count > 0)
            {
                // Cancelled or failed while batches ran: let them end before another loop may take their lanes.
                try
                {
                    await Task.WhenAll(running).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // Reported by the caller's own exception.
                }
            }

            _shardLocks[shard].Release();
        }
    }

    /// <summary>Reads the shard's pending events after the last one read (from the start when the window is empty or a sweep is due).</summary>
    private async Task RefillAsync(ShardWindow window, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string? after;
        int room;
        lock (window.Gate)
        {
            if (window.Count == 0 || now - window.LastRescan >= _options.SweepInterval)
            {
                window.LastKey = null; // Rows of another host may sort before the last key read: read from the start now and then.
                window.LastRescan = now;
            }

            after = window.LastKey;
            room = window.Full ? 0 : ShardWindow.Capacity - window.Count;
        }

        if (room <= 0)
        {
            return;
        }

        var rows = await _intake.ReadPendingAsync(window.Shard, after, room, cancellationToken).ConfigureAwait(false);
        lock (window.Gate)
        {
            foreach (var row in rows)
            {
                window.Add(row);
            }

            if (rows.Count > 0)
            {
                window.LastKey = rows[^1].PendingKey;
            }

            window.ReadAt = now;
        }
    }

    private async Task<int> RunBatchAsync(ShardWindow window, ShardWindow.Lane lane, List<PendingEvent> batch, DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        var slot = false;
        try
        {
            await _batchSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
            slot = true;
            return await ProcessBatchAsync(window, lane, batch, workflows, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (slot)
            {
                _batchSlots.Release();
            }

            lock (window.Gate)
            {
                window.Release(lane); // Also when cancelled while waiting for a slot: the lane must not stay busy.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.ProcessInBackground)
        {
            return;
        }

        _ = RequireClient(); // Loops without a client would fail every event: refuse to start instead.
        await Task.WhenAll(Enumerable.Range(0, IntakeShards.Count).Select(s => RunShardLoopAsync(s, stoppingToken))
            .Append(RunPruningAsync(stoppingToken)).Append(RunBacklogWatchAsync(stoppingToken))).ConfigureAwait(false);
    }

    private async Task RunPruningAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromTicks(Math.Min(_options.PruneInterval.Ticks, _options.SweepInterval.Ticks)), _clock, stoppingToken).ConfigureAwait(false);
                await PruneIfDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task RunShardLoopAsync(int shard, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = _options.SweepInterval;
            try
            {
                var (_, nextRetry) = await RunShardAsync(shard, RequireClient(), stoppingToken).ConfigureAwait(false);
                if (nextRetry is { } at)
                {
                    wait = TimeSpan.FromTicks(Math.Clamp((at - _clock.GetUtcNow()).Ticks, TimeSpan.FromMilliseconds(10).Ticks, wait.Ticks));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogShardFailed(_logger, shard, ex);
                wait = _options.RetryDelay;
            }

            try
            {
                await _signals[shard].WaitAsync(wait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override void Dispose()
    {
        KamFlowsMetrics.StopObservingBacklog(this);
        foreach (var s in _shardLocks.Concat(_signals).Append(_batchSlots))
        {
            s.Dispose();
        }

        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Intake: forgot {Count} processed events older than {Cutoff:O}")]
    private static partial void LogPruned(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Intake: pruning processed events failed; trying again after the next sweep interval")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Intake shard {Shard} failed; retrying")]
    private static partial void LogShardFailed(ILogger logger, int shard, Exception exception);
}
