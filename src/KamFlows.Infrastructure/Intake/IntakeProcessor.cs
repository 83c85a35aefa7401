// Processes accepted events from the intake store, after the webhook answered.
// Invariants:
// - a shard is processed by one loop at a time in this process, oldest pending event first, and stops at the first
//   event that fails (retrying it later) so events of an account are never applied out of arrival order;
// - every step is idempotent (account store by event marks, timeline by key, workflows by event id), and the pending
//   row is deleted only after all steps succeeded, so a crash at any point only causes a harmless repeat;
// - every route gets signal-with-start: an event that arrives before the one that "starts" its object (an
//   acknowledgement before the proposal was sent) starts the instance, which holds it until it can use it (WorkflowRouting);
// - personal data leaves the intake when the event is processed: only the event without it is kept;
// - processed events are forgotten after DedupeRetention (pruned every PruneInterval); pending and failed ones never are.
using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Intake.Storage;
using KamFlows.Infrastructure.Timeline;
using KamFlows.Workflows;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KamFlows.Infrastructure.Intake;

/// <summary>Applies accepted events to account state and timeline, and routes them to their workflows.</summary>
public sealed partial class IntakeProcessor : BackgroundService
{
    private const int PageSize = 100;

    /// <summary>How long delivery waits for a just-started instance to start before the event is retried later.</summary>
    private static readonly TimeSpan WorkflowStartWait = TimeSpan.FromSeconds(30);

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
    private readonly TimeProvider _clock;
    private long _processed;
    private long _parked;
    private long _pruned;
    private long _nextPruneTicks;

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
    }

    public long Processed => Interlocked.Read(ref _processed);

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

    /// <summary>Processes every shard once, delivering to workflows through <paramref name="workflows"/> (the Azure Functions timer trigger's entry point); returns the events done.</summary>
    public async Task<int> ProcessAllOnceAsync(DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        var counts = await Task.WhenAll(Enumerable.Range(0, IntakeShards.Count).Select(s => ProcessShardAsync(s, workflows, cancellationToken))).ConfigureAwait(false);
        return counts.Sum(c => c.Done);
    }

    /// <summary>Processes a shard's pending events until it is empty or an event fails; says how many were done and whether one failed.</summary>
    public Task<(int Done, bool Blocked)> ProcessShardAsync(int shard, CancellationToken cancellationToken) => ProcessShardAsync(shard, RequireClient(), cancellationToken);

    private DurableTaskClient RequireClient() =>
        _workflows ?? throw new InvalidOperationException("This IntakeProcessor has no DurableTaskClient of its own: pass the invocation's client to ProcessAllOnceAsync.");

    private async Task<(int Done, bool Blocked)> ProcessShardAsync(int shard, DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        await _shardLocks[shard].WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var done = 0;
            while (true)
            {
                var page = await _intake.ReadPendingAsync(shard, PageSize, cancellationToken).ConfigureAwait(false);
                if (page.Count == 0)
                {
                    return (done, false);
                }

                foreach (var pending in page)
                {
                    if (!await ProcessOneAsync(pending, workflows, cancellationToken).ConfigureAwait(false))
                    {
                        return (done, true);
                    }

                    done++;
                }
            }
        }
        finally
        {
            _shardLocks[shard].Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.ProcessInBackground)
        {
            return;
        }

        _ = RequireClient(); // Loops without a client would fail every event: refuse to start instead.
        await Task.WhenAll(Enumerable.Range(0, IntakeShards.Count).Select(s => RunShardAsync(s, stoppingToken)).Append(RunPruningAsync(stoppingToken))).ConfigureAwait(false);
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

    private async Task RunShardAsync(int shard, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = _options.SweepInterval;
            try
            {
                var (_, blocked) = await ProcessShardAsync(shard, stoppingToken).ConfigureAwait(false);
                if (blocked)
                {
                    wait = _options.RetryDelay;
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

    private async Task<bool> ProcessOneAsync(PendingEvent pending, DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        // Until the event is read, nothing of it may be kept: it may hold personal data.
        var retained = string.Empty;
        try
        {
            var canonicalEvent = CanonicalEventParser.ParseOrThrow(pending.Json);
            var withoutPersonalData = canonicalEvent.Data is ContactUpserted contact
                ? canonicalEvent with { Data = contact.WithoutPersonalData() }
                : canonicalEvent;
            retained = CanonicalEventJson.Serialize(withoutPersonalData);

            await _accounts.ApplyAsync(canonicalEvent, cancellationToken).ConfigureAwait(false);
            await _timeline.AppendAsync(canonicalEvent.AccountId, EventSummaries.For(withoutPersonalData), cancellationToken).ConfigureAwait(false);
            if (canonicalEvent.Data is AccountUpserted && _teamListeners.Length > 0
                && await _reader.GetProfileAsync(canonicalEvent.AccountId, cancellationToken).ConfigureAwait(false) is { } profile)
            {
                foreach (var listener in _teamListeners)
                {
                    await listener.AccountTeamChangedAsync(profile, cancellationToken).ConfigureAwait(false);
                }
            }

            foreach (var route in WorkflowRouting.Routes(canonicalEvent))
            {
                await WorkflowRouting.DeliverAsync(workflows, route, retained, WorkflowStartWait, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A stored event that no longer parses will never parse: park it at once instead of blocking its shard.
            if (pending.Attempts + 1 >= _options.MaxProcessingAttempts || ex is FormatException)
            {
                LogParked(_logger, pending.EventId, pending.Attempts + 1, ex);
                await _intake.ParkAsync(pending, retained, ex.GetType().Name + ": " + ex.Message, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _parked);
                return true;
            }

            LogRetrying(_logger, pending.EventId, pending.Attempts + 1, ex);
            await _intake.RecordFailureAsync(pending, ex.GetType().Name + ": " + ex.Message, cancellationToken).ConfigureAwait(false);
            return false;
        }

        await _intake.CompleteAsync(pending, retained, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _processed);
        return true;
    }

    public override void Dispose()
    {
        foreach (var s in _shardLocks.Concat(_signals))
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} failed on attempt {Attempt}; the shard retries it before going on")]
    private static partial void LogRetrying(ILogger logger, string eventId, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventId} failed {Attempts} times and is parked as failed")]
    private static partial void LogParked(ILogger logger, string eventId, int attempts, Exception exception);
}
