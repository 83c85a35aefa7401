// Fires durable timers on time. A scan reads every index row due before now + lookahead (one range query)
// and keeps them in memory; an in-process timer fires each at its due time. Timers created by this host are
// armed directly after their commit, so a short timer never waits for the next scan. Idle cost: one query per
// scan interval, whatever the number of far-future timers.
// Firing: in local mode the instance's step runs here at once (no queue round trip); otherwise (Azure
// Functions) a wake-up message is enqueued. Invariant: a row leaves the index only after the step it
// triggered has committed or its wake-up message is in the queue, so a crash at any point re-fires it.
using KamFlows.Durable.Storage;
using Microsoft.Extensions.Logging;

namespace KamFlows.Durable.Worker;

/// <summary>The due-time scheduler of this host.</summary>
public sealed partial class TimerScheduler : IDisposable
{
    private readonly object _gate = new();
    private readonly PriorityQueue<TimerRow, DateTimeOffset> _pending = new();
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly TimerIndex _index;
    private readonly WorkQueue _queue;
    private readonly DurableOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private WorkItemProcessor? _localProcessor;
    private SemaphoreSlim? _localSlots;
    private CancellationToken _stopping;
    private ITimer? _timer;
    private DateTimeOffset _armedFor = DateTimeOffset.MaxValue;
    private long _fired;

    internal TimerScheduler(TimerIndex index, WorkQueue queue, DurableOptions options, TimeProvider clock, ILogger<TimerScheduler> logger)
    {
        _index = index;
        _queue = queue;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Timers fired by this host.</summary>
    public long Fired => Interlocked.Read(ref _fired);

    /// <summary>Timers held in memory, waiting for their time.</summary>
    public int Pending
    {
        get { lock (_gate) { return _pending.Count; } }
    }

    /// <summary>Scans and fires forever (local mode), running fired timers' steps in this process.</summary>
    public async Task RunAsync(WorkItemProcessor processor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(processor);
        _localSlots = new SemaphoreSlim(_options.MaxConcurrentWorkItems, _options.MaxConcurrentWorkItems);
        _stopping = cancellationToken;
        _localProcessor = processor;
        while (!cancellationToken.IsCancellationRequested)
        {
            var scanStarted = _clock.GetUtcNow();
            try
            {
                await ScanAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogScanFailed(_logger, ex);
            }

            // Measured from the scan's start: if the clock jumped during the scan (simulated time), scan again at once.
            var wait = scanStarted + _options.TimerScanInterval - _clock.GetUtcNow();
            if (wait <= TimeSpan.Zero)
            {
                continue;
            }

            try
            {
                await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads timers due within the lookahead into memory (due ones fire at once). Returns how many were read.</summary>
    public async Task<int> ScanAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var rows = await _index.QueryDueAsync(now + _options.TimerLookahead, cancellationToken).ConfigureAwait(false);
        LogScanned(_logger, rows.Count, now);
        Arm(rows);
        return rows.Count;
    }

    /// <summary>Fires every timer due now, without waiting (Azure Functions timer trigger). Returns how many fired.</summary>
    public async Task<int> FireDueAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var rows = await _index.QueryDueAsync(now, cancellationToken).ConfigureAwait(false);
        var due = rows.Where(r => r.FireAt <= now).ToList();
        foreach (var row in due)
        {
            await FireAsync(row, cancellationToken).ConfigureAwait(false);
        }

        return due.Count;
    }

    internal void Arm(IEnumerable<TimerRow> rows)
    {
        var changed = false;
        lock (_gate)
        {
            foreach (var row in rows)
            {
                if (_known.Add(Key(row)))
                {
                    _pending.Enqueue(row, row.FireAt);
                    changed = true;
                }
            }

            if (changed)
            {
                Rearm();
            }
        }
    }

    /// <summary>Call with the lock held: points the in-process timer at the earliest pending row.</summary>
    private void Rearm()
    {
        if (!_pending.TryPeek(out _, out var first) || first >= _armedFor)
        {
            return;
        }

        _armedFor = first;
        var due = first - _clock.GetUtcNow();
        if (due < TimeSpan.Zero)
        {
            due = TimeSpan.Zero;
        }

        if (_timer is null)
        {
            _timer = _clock.CreateTimer(_ => OnTimer(), null, due, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimer()
    {
        var due = new List<TimerRow>();
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            while (_pending.TryPeek(out var row, out var at) && at <= now)
            {
                _pending.Dequeue();
                due.Add(row);
            }

            _armedFor = DateTimeOffset.MaxValue;
            Rearm();
        }

        foreach (var row in due)
        {
            _ = FireAndForgetAsync(row);
        }
    }

    private async Task FireAndForgetAsync(TimerRow row)
    {
        try
        {
            if (_localProcessor is { } processor && _localSlots is { } slots)
            {
                await FireLocallyAsync(row, processor, slots).ConfigureAwait(false);
            }
            else
            {
                await FireAsync(row, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Host stopping: the row stays and fires again after restart.
        }
        catch (Exception ex)
        {
            LogFireFailed(_logger, ex, row.InstanceId);
        }
        finally
        {
            lock (_gate)
            {
                _known.Remove(Key(row)); // A row still in the index (fire failed) is read again by the next scan.
            }
        }
    }

    /// <summary>Runs the instance's step here; hands over to the queue (retries, poison parking) if it fails or must wait.</summary>
    private async Task FireLocallyAsync(TimerRow row, WorkItemProcessor processor, SemaphoreSlim slots)
    {
        var message = new WorkMessage { InstanceId = row.InstanceId, Reason = "timer" };
        await slots.WaitAsync(_stopping).ConfigureAwait(false);
        try
        {
            var now = _clock.GetUtcNow();
            LogFiring(_logger, row.InstanceId, row.FireAt, now);
            DurableTelemetry.TimerFired(row.FireAt, now);
            var outcome = await processor.ProcessAsync(message, _stopping).ConfigureAwait(false);
            if (outcome.Kind == WorkItemOutcomeKind.Defer)
            {
                await _queue.EnqueueAsync(message with { Deferrals = 1 }, outcome.Delay, _stopping).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            LogLocalFireFailed(_logger, ex, row.InstanceId);
            await _queue.EnqueueAsync(message, null, _stopping).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }

        await _index.DeleteAsync(row, _stopping).ConfigureAwait(false);
        Interlocked.Increment(ref _fired);
    }

    private async Task FireAsync(TimerRow row, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        LogFiring(_logger, row.InstanceId, row.FireAt, now);
        DurableTelemetry.TimerFired(row.FireAt, now);
        await _queue.EnqueueAsync(new WorkMessage { InstanceId = row.InstanceId, Reason = "timer" }, null, cancellationToken).ConfigureAwait(false);
        await _index.DeleteAsync(row, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _fired);
    }

    private static string Key(TimerRow row) => row.PartitionKey + "/" + row.RowKey;

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }

        _localSlots?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Timer scan at {Now:O} read {Count} rows")]
    private static partial void LogScanned(ILogger logger, int count, DateTimeOffset now);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Timer of {InstanceId} due {FireAt:O} fires at {Now:O}")]
    private static partial void LogFiring(ILogger logger, string instanceId, DateTimeOffset fireAt, DateTimeOffset now);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Running the timer step of {InstanceId} here failed; handed to the work queue")]
    private static partial void LogLocalFireFailed(ILogger logger, Exception exception, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer scan failed; retrying at the next interval")]
    private static partial void LogScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Firing a timer of {InstanceId} failed; the next scan retries it")]
    private static partial void LogFireFailed(ILogger logger, Exception exception, string instanceId);
}
