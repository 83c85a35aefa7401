// Processes the work of one instance for one queue message: load the partition, plan a step, write what must
// exist before the commit, commit, then run the activities the commit scheduled here and loop until the
// instance waits on something outside this host. Invariants:
// - one chain per instance per host: a second message for a busy instance joins the running chain, which
//   reloads before it ends, so nothing that message announced is missed;
// - side effects before the commit are idempotent (timer rows, child instances, parent inbox rows);
// - the message that started the chain is deleted only after the chain has nothing left in flight, so a crash
//   at any point leaves a message that brings the instance back;
// - another host's live claim is respected: the message is deferred until it expires.
using System.Collections.Concurrent;
using KamFlows.Durable.History;
using KamFlows.Durable.Storage;
using Microsoft.Extensions.Logging;

namespace KamFlows.Durable.Worker;

/// <summary>What to do with the message after processing.</summary>
public readonly record struct WorkItemOutcome(WorkItemOutcomeKind Kind, TimeSpan Delay)
{
    /// <summary>Done: delete the message.</summary>
    public static WorkItemOutcome Done => new(WorkItemOutcomeKind.Done, TimeSpan.Zero);

    /// <summary>Try again after <paramref name="delay"/> (a new message; this one is deleted).</summary>
    public static WorkItemOutcome Defer(TimeSpan delay) => new(WorkItemOutcomeKind.Defer, delay);
}

/// <summary>Kinds of outcome.</summary>
public enum WorkItemOutcomeKind
{
    /// <summary>Delete the message.</summary>
    Done,

    /// <summary>Re-enqueue with a delay and delete this copy.</summary>
    Defer,
}

/// <summary>Runs instance steps for work messages (from this host's poller or from Azure Functions queue triggers).</summary>
public sealed partial class WorkItemProcessor
{
    private readonly ConcurrentDictionary<string, Chain> _chains = new(StringComparer.Ordinal);
    private readonly DurableOptions _options;
    private readonly InstanceStore _store;
    private readonly TimerIndex _timers;
    private readonly WorkQueue _queue;
    private readonly TimerScheduler _scheduler;
    private readonly ActivityRunner _activities;
    private readonly StepPlanner _planner;
    private readonly InstanceEvents _events;
    private readonly TimeProvider _clock;
    private readonly TimeProvider _leaseClock;
    private readonly ILogger _logger;
    private long _commits;
    private long _conflicts;

    internal WorkItemProcessor(DurableOptions options, InstanceStore store, TimerIndex timers, WorkQueue queue, TimerScheduler scheduler,
        ActivityRunner activities, StepPlanner planner, InstanceEvents events, TimeProvider clock, DurableHostIdentity host, ILogger<WorkItemProcessor> logger)
    {
        _options = options;
        _store = store;
        _timers = timers;
        _queue = queue;
        _scheduler = scheduler;
        _activities = activities;
        _planner = planner;
        _events = events;
        _clock = clock;
        _leaseClock = host.LeaseClock;
        HostId = host.Id;
        _logger = logger;
    }

    /// <summary>This process's identity in claims.</summary>
    public string HostId { get; }

    /// <summary>Steps committed by this host.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Commits refused because another writer came first (each is retried after a reload).</summary>
    public long Conflicts => Interlocked.Read(ref _conflicts);

    /// <summary>Activity executions on this host.</summary>
    public long ActivityExecutions => _activities.Executions;

    /// <summary>Processes one work message. Exceptions mean "retry later" (the caller counts them toward poison).</summary>
    public async Task<WorkItemOutcome> ProcessAsync(WorkMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        while (true)
        {
            var chain = new Chain();
            var existing = _chains.GetOrAdd(message.InstanceId, chain);
            if (existing != chain)
            {
                if (existing.TryJoin())
                {
                    await existing.Completion.ConfigureAwait(false);
                    return WorkItemOutcome.Done;
                }

                await Task.Yield(); // The chain is ending; start a new one.
                continue;
            }

            try
            {
                var outcome = await RunChainAsync(message, chain, cancellationToken).ConfigureAwait(false);
                chain.Finish(null);
                return outcome;
            }
            catch (Exception ex)
            {
                chain.Finish(ex);
                throw;
            }
            finally
            {
                _chains.TryRemove(new KeyValuePair<string, Chain>(message.InstanceId, chain));
            }
        }
    }

    private async Task<WorkItemOutcome> RunChainAsync(WorkMessage message, Chain chain, CancellationToken cancellationToken)
    {
        var id = message.InstanceId;
        var state = await _store.LoadAsync(id, cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return WorkItemOutcome.Done; // Purged, or never created: nothing to wake.
        }

        var results = new Dictionary<int, ActivityResult>();
        var childFailures = new Dictionary<int, TaskFailureDetails>();
        var running = new Dictionary<int, Task<ActivityResult>>();
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Harvest(running, results);
                if (chain.TakePoke() || !state.ETagKnown)
                {
                    state = await _store.LoadAsync(id, cancellationToken).ConfigureAwait(false);
                    if (state is null)
                    {
                        return WorkItemOutcome.Done;
                    }
                }

                var leaseNow = _leaseClock.GetUtcNow();
                var rec = state.Record;
                if (rec.ClaimOwner is { } owner && owner != HostId && rec.ClaimUntil > leaseNow)
                {
                    // Another live host runs this instance's activities; it will see what this message announced.
                    return running.Count == 0
                        ? WorkItemOutcome.Defer(rec.ClaimUntil.Value - leaseNow + TimeSpan.FromSeconds(1))
                        : WorkItemOutcome.Done; // Our claim lapsed and was taken over: the new owner reruns our activities.
                }

                var plan = _planner.Plan(state, results, childFailures, running.Keys.ToHashSet(), HostId, _clock.GetUtcNow(), leaseNow,
                    failMissingVersion: message.Deferrals * _options.MissingVersionRetryInterval >= _options.MissingVersionPatience);
                if (plan.MissingOrchestrator)
                {
                    LogMissingVersion(_logger, rec.Name, rec.Version, id);
                    return WorkItemOutcome.Defer(_options.MissingVersionRetryInterval);
                }

                if (plan.TimerRows.Count > 0)
                {
                    await _timers.UpsertAsync(plan.TimerRows, cancellationToken).ConfigureAwait(false);
                }

                if (plan.Commit is null)
                {
                    if (running.Count > 0)
                    {
                        await WaitForProgressAsync(running, chain, state, leaseNow, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    if (chain.TryEnd())
                    {
                        return WorkItemOutcome.Done;
                    }

                    continue; // A message joined while we were deciding: reload and look again.
                }

                await BeforeCommitAsync(state, plan, childFailures, cancellationToken).ConfigureAwait(false);
                try
                {
                    var etag = await _store.CommitAsync(state, plan.Commit, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _commits);
                    DurableTelemetry.StepCommitted();
                    state = new InstanceState
                    {
                        InstanceId = state.InstanceId,
                        PartitionKey = state.PartitionKey,
                        Record = plan.Commit.Record with { ETag = etag ?? default },
                        Chunks = plan.ChunksAfter,
                        StaleRowKeys = plan.StaleAfter,
                        Inbox = [.. state.Inbox.Where(m => !plan.Commit.InboxDeletes.Contains(m.RowKey))],
                        ETagKnown = etag is not null,
                    };
                }
                catch (ConcurrencyConflictException ex)
                {
                    Interlocked.Increment(ref _conflicts);
                    DurableTelemetry.StepConflict();
                    LogConflict(_logger, id, ex.Message);
                    state = await _store.LoadAsync(id, cancellationToken).ConfigureAwait(false);
                    if (state is null)
                    {
                        return WorkItemOutcome.Done;
                    }

                    continue;
                }

                foreach (var t in plan.ConsumedResults)
                {
                    results.Remove(t);
                }

                foreach (var t in plan.ConsumedChildFailures)
                {
                    childFailures.Remove(t);
                }

                _scheduler.Arm(plan.TimersToArm);
                foreach (var activity in plan.ActivitiesToStart)
                {
                    running[activity.TaskId!.Value] = _activities.RunAsync(id, state.Record.ExecutionId, activity, abandon.Token);
                }

                if (plan.Commit.Record.Status != rec.Status || plan.BecomesTerminal)
                {
                    _events.Publish(id);
                }

                if (plan.BecomesTerminal)
                {
                    LogFinished(_logger, id, plan.Commit.Record.Status);
                }
            }
        }
        finally
        {
            if (running.Count > 0)
            {
                await abandon.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private static void Harvest(Dictionary<int, Task<ActivityResult>> running, Dictionary<int, ActivityResult> results)
    {
        foreach (var (taskId, task) in running.Where(r => r.Value.IsCompleted).ToList())
        {
            running.Remove(taskId);
            results[taskId] = task.GetAwaiter().GetResult(); // Faults only on host shutdown, which must propagate.
        }
    }

    private async Task WaitForProgressAsync(Dictionary<int, Task<ActivityResult>> running, Chain chain, InstanceState state, DateTimeOffset leaseNow, CancellationToken cancellationToken)
    {
        // Wake for: an activity result, a joined message, or time to renew the claim.
        var renewIn = (state.Record.ClaimUntil ?? leaseNow) - leaseNow - _options.WorkItemLease / 2;
        if (renewIn < TimeSpan.FromMilliseconds(50))
        {
            renewIn = TimeSpan.FromMilliseconds(50);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(renewIn, _leaseClock, timeout.Token);
        await Task.WhenAny(running.Values.Append<Task>(chain.Poked).Append(delay)).ConfigureAwait(false);
        await timeout.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task BeforeCommitAsync(InstanceState state, StepPlan plan, Dictionary<int, TaskFailureDetails> childFailures, CancellationToken cancellationToken)
    {
        foreach (var child in plan.Children)
        {
            if (!await _store.TryCreateAsync(child.Record, null, cancellationToken).ConfigureAwait(false))
            {
                var existing = await _store.GetRecordAsync(child.Record.InstanceId, cancellationToken).ConfigureAwait(false);
                var ours = existing is not null && existing.ParentInstanceId == state.InstanceId
                    && existing.ParentExecutionId == child.Record.ParentExecutionId && existing.ParentTaskId == child.ParentTaskId;
                if (!ours)
                {
                    childFailures[child.ParentTaskId] = new TaskFailureDetails("InstanceIdInUse",
                        $"Cannot start sub-orchestration '{child.Record.Name}': instance id '{child.Record.InstanceId}' is already used by another instance.");
                    continue;
                }
            }

            await _queue.EnqueueAsync(new WorkMessage { InstanceId = child.Record.InstanceId, Reason = "start" }, null, cancellationToken).ConfigureAwait(false);
        }

        if (plan.Parent is { } parent)
        {
            var delivered = await _store.AppendInboxAsync(parent.ParentInstanceId, parent.Message with { Order = _leaseClock.GetUtcNow().UtcTicks }, cancellationToken).ConfigureAwait(false);
            if (delivered != DeliveryResult.InstanceNotFound)
            {
                await _queue.EnqueueAsync(new WorkMessage { InstanceId = parent.ParentInstanceId, Reason = "child" }, null, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Instance {InstanceId} changed while its step ran: {Detail}")]
    private static partial void LogConflict(ILogger logger, string instanceId, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Orchestrator {Name} version {Version} of instance {InstanceId} is not registered on this host; retrying later")]
    private static partial void LogMissingVersion(ILogger logger, string name, string version, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {InstanceId} finished: {Status}")]
    private static partial void LogFinished(ILogger logger, string instanceId, OrchestrationRuntimeStatus status);

    /// <summary>One instance's chain on this host; messages arriving meanwhile join it.</summary>
    private sealed class Chain
    {
        private readonly object _gate = new();
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource _poked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _pokePending;
        private bool _ended;

        public Task Completion => _done.Task;

        public Task Poked
        {
            get { lock (_gate) { return _poked.Task; } }
        }

        /// <summary>Joins the running chain; false if it has already decided to end.</summary>
        public bool TryJoin()
        {
            lock (_gate)
            {
                if (_ended)
                {
                    return false;
                }

                _pokePending = true;
                _poked.TrySetResult();
                return true;
            }
        }

        public bool TakePoke()
        {
            lock (_gate)
            {
                var p = _pokePending;
                _pokePending = false;
                if (_poked.Task.IsCompleted)
                {
                    _poked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                return p;
            }
        }

        /// <summary>Ends the chain unless a message joined since the last look.</summary>
        public bool TryEnd()
        {
            lock (_gate)
            {
                if (_pokePending)
                {
                    return false;
                }

                _ended = true;
                return true;
            }
        }

        public void Finish(Exception? error)
        {
            lock (_gate)
            {
                _ended = true;
            }

            if (error is null)
            {
                _done.TrySetResult();
            }
            else
            {
                _done.TrySetException(error);
            }
        }
    }
}

/// <summary>This process's identity and the clock used for leases (real time even when orchestration time is simulated).</summary>
public sealed class DurableHostIdentity
{
    /// <summary>Creates an identity with a new random id.</summary>
    public DurableHostIdentity(TimeProvider? leaseClock = null)
    {
        var machine = Environment.MachineName;
        Id = $"{machine[..Math.Min(30, machine.Length)]}-{Environment.ProcessId}-{Guid.NewGuid():N}";
        LeaseClock = leaseClock ?? TimeProvider.System;
    }

    /// <summary>Unique per process start, so a restarted host never mistakes an old claim for its own.</summary>
    public string Id { get; }

    /// <summary>Clock for leases and message visibility.</summary>
    public TimeProvider LeaseClock { get; }
}
