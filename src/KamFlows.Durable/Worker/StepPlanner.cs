// Decides what one step of an instance does, from what is loaded and what this host holds in memory.
// Pure: no I/O, no clock (times are passed in). Invariants:
// - a result is applied only to an open call of the CURRENT execution (late or duplicate results are dropped);
// - inbox messages are deleted in the same commit that applies them, so each is applied exactly once;
// - the claim is taken in a commit before any activity runs, renewed while they run, released by the commit
//   that records the last result: a second host never runs the activities of a claimed instance;
// - terminal instances only drain their inbox.
using KamFlows.Durable.History;
using KamFlows.Durable.Replay;
using KamFlows.Durable.Storage;
using Microsoft.Extensions.Logging;

namespace KamFlows.Durable.Worker;

/// <summary>An activity's result held in memory until a step commits it.</summary>
internal sealed record ActivityResult(int TaskId, string? Output, TaskFailureDetails? Failure);

/// <summary>A child instance to create before the parent's step commits.</summary>
internal sealed record ChildStart(InstanceRecord Record, int ParentTaskId);

/// <summary>A parent to notify (before the child's final step commits).</summary>
internal sealed record ParentNotification(string ParentInstanceId, InboxMessage Message);

/// <summary>What a step does.</summary>
internal sealed class StepPlan
{
    public static readonly StepPlan Nothing = new();

    public StepCommit? Commit { get; init; }

    /// <summary>Chunks of the execution after the commit (for the in-memory state).</summary>
    public List<HistoryChunk> ChunksAfter { get; init; } = [];

    public List<string> StaleAfter { get; init; } = [];

    public List<TimerRow> TimerRows { get; init; } = [];

    /// <summary>Timers to arm in this host's memory once committed.</summary>
    public List<TimerRow> TimersToArm { get; init; } = [];

    public List<ChildStart> Children { get; init; } = [];

    public ParentNotification? Parent { get; init; }

    /// <summary>Activities (TaskScheduled events) to run after the commit.</summary>
    public List<HistoryEvent> ActivitiesToStart { get; init; } = [];

    public List<int> ConsumedResults { get; init; } = [];

    public List<int> ConsumedChildFailures { get; init; } = [];

    /// <summary>The orchestrator (name, version) is not registered here.</summary>
    public bool MissingOrchestrator { get; init; }

    public bool BecomesTerminal { get; init; }
}

internal sealed class StepPlanner(DurableTaskRegistry registry, IServiceProvider services, DurableOptions options, ILoggerFactory loggerFactory, OrchestrationSessions? sessions = null)
{
    public StepPlan Plan(
        InstanceState state,
        IReadOnlyDictionary<int, ActivityResult> localResults,
        IReadOnlyDictionary<int, TaskFailureDetails> childFailures,
        IReadOnlySet<int> runningLocally,
        string hostId,
        DateTimeOffset now,
        DateTimeOffset leaseNow,
        bool failMissingVersion)
    {
        var rec = state.Record;
        if (rec.IsTerminal)
        {
            return DrainTerminal(state);
        }

        if (rec.Status == OrchestrationRuntimeStatus.Pending && rec.ScheduledStartAt is { } startAt && startAt > now)
        {
            return new StepPlan { TimerRows = [TimerRow.For(rec.InstanceId, rec.ExecutionId, TimerRow.StartTaskId, startAt)] };
        }

        var fresh = new List<HistoryEvent> { new() { Kind = HistoryEventKind.StepStarted, Timestamp = now } };
        if (rec.Status == OrchestrationRuntimeStatus.Pending)
        {
            fresh.Add(new HistoryEvent { Kind = HistoryEventKind.ExecutionStarted, Name = rec.Name, Version = rec.Version, Payload = state.PendingInput ?? rec.Input, Timestamp = now });
        }

        var inboxDeletes = new List<string>();
        string? terminateReason = null;
        var suspended = rec.Status == OrchestrationRuntimeStatus.Suspended;
        var openChildren = state.OpenChildren();
        foreach (var m in state.Inbox.Take(options.MaxInboxMessagesPerStep))
        {
            inboxDeletes.Add(m.RowKey);
            switch (m.Kind)
            {
                case InboxKind.EventRaised:
                    fresh.Add(new HistoryEvent { Kind = HistoryEventKind.EventRaised, Name = m.Name, Payload = m.Payload, Timestamp = now });
                    break;
                case InboxKind.Terminate:
                    terminateReason ??= m.Reason ?? "Terminated.";
                    break;
                case InboxKind.Suspend when !suspended && terminateReason is null:
                    fresh.Add(new HistoryEvent { Kind = HistoryEventKind.ExecutionSuspended, Reason = m.Reason, Timestamp = now });
                    suspended = true;
                    break;
                case InboxKind.Resume when suspended && terminateReason is null:
                    fresh.Add(new HistoryEvent { Kind = HistoryEventKind.ExecutionResumed, Reason = m.Reason, Timestamp = now });
                    suspended = false;
                    break;
                case InboxKind.SubOrchestrationCompleted or InboxKind.SubOrchestrationFailed
                    when m.TaskId is { } tid && m.ParentExecutionId == rec.ExecutionId
                        && openChildren.TryGetValue(tid, out var created) && created.InstanceId == m.ChildInstanceId:
                    openChildren.Remove(tid);
                    fresh.Add(m.Kind == InboxKind.SubOrchestrationCompleted
                        ? new HistoryEvent { Kind = HistoryEventKind.SubOrchestrationCompleted, TaskId = tid, Payload = m.Payload, Timestamp = now }
                        : new HistoryEvent { Kind = HistoryEventKind.SubOrchestrationFailed, TaskId = tid, Failure = m.Failure, Timestamp = now });
                    break;
                default:
                    break; // Suspend while suspended, resume while running, stale child results: nothing to apply.
            }
        }

        var consumed = new List<int>();
        var open = state.OpenActivities();
        foreach (var r in localResults.Values.OrderBy(r => r.TaskId))
        {
            if (open.Remove(r.TaskId))
            {
                consumed.Add(r.TaskId);
                fresh.Add(r.Failure is null
                    ? new HistoryEvent { Kind = HistoryEventKind.TaskCompleted, TaskId = r.TaskId, Payload = r.Output, Timestamp = now }
                    : new HistoryEvent { Kind = HistoryEventKind.TaskFailed, TaskId = r.TaskId, Failure = r.Failure, Timestamp = now });
            }
        }

        var consumedChildFailures = new List<int>();
        foreach (var (taskId, failure) in childFailures)
        {
            consumedChildFailures.Add(taskId);
            if (openChildren.Remove(taskId))
            {
                fresh.Add(new HistoryEvent { Kind = HistoryEventKind.SubOrchestrationFailed, TaskId = taskId, Failure = failure, Timestamp = now });
            }
        }

        foreach (var (taskId, timer) in state.OpenTimers().OrderBy(t => t.Value.FireAt).ThenBy(t => t.Key))
        {
            if (timer.FireAt <= now)
            {
                fresh.Add(new HistoryEvent { Kind = HistoryEventKind.TimerFired, TaskId = taskId, FireAt = timer.FireAt, Timestamp = now });
            }
        }

        var hasNews = fresh.Count > 1 || inboxDeletes.Count > 0;
        // Chunks after the last one the code ran (a new execution's start, events kept while suspended) still need a run.
        var unrun = state.Chunks.FindLastIndex(c => c.Ran) < state.Chunks.Count - 1 && !suspended;
        if (terminateReason is not null)
        {
            fresh.Add(new HistoryEvent { Kind = HistoryEventKind.ExecutionTerminated, Reason = terminateReason, Timestamp = now });
            var terminated = rec with
            {
                Status = OrchestrationRuntimeStatus.Terminated,
                Output = options.DataConverter.Serialize(terminateReason),
                CompletedAt = now,
            };
            return Finish(state, terminated, fresh, ran: false, inboxDeletes, consumed, consumedChildFailures, new ReplayResult { Outcome = ReplayOutcome.Failed },
                new TaskFailureDetails("Terminated", terminateReason), now, leaseNow, hostId, runningLocally, localResults);
        }

        if (!hasNews && !unrun)
        {
            return ClaimOnly(state, open, runningLocally, localResults, hostId, now, leaseNow);
        }

        if (suspended)
        {
            var s = rec with { Status = OrchestrationRuntimeStatus.Suspended };
            return Finish(state, s, fresh, ran: false, inboxDeletes, consumed, consumedChildFailures, null, null, now, leaseNow, hostId, runningLocally, localResults);
        }

        if (!registry.TryCreateOrchestrator(rec.Name, rec.Version, services, out var orchestrator))
        {
            if (!failMissingVersion)
            {
                return new StepPlan { MissingOrchestrator = true };
            }

            var failure = new TaskFailureDetails("OrchestratorNotRegistered",
                $"Orchestrator '{rec.Name}' version '{rec.Version}' is not registered on any host that tried to run it during {options.MissingVersionPatience}. " +
                $"Registered versions here: [{string.Join(", ", registry.GetVersions(rec.Name))}].");
            var failed = rec with { Status = OrchestrationRuntimeStatus.Failed, Failure = failure, CompletedAt = now };
            fresh.Add(new HistoryEvent { Kind = HistoryEventKind.ExecutionCompleted, Reason = nameof(OrchestrationRuntimeStatus.Failed), Failure = failure, Timestamp = now });
            return Finish(state, failed, fresh, ran: false, inboxDeletes, consumed, consumedChildFailures, null, failure, now, leaseNow, hostId, runningLocally, localResults);
        }

        // Everything up to the last chunk the code already ran is replay; the rest is new to the code.
        var lastRan = state.Chunks.FindLastIndex(c => c.Ran);
        var past = state.Chunks.Take(lastRan + 1).SelectMany(c => c.Events).ToList();
        var newToCode = state.Chunks.Skip(lastRan + 1).SelectMany(c => c.Events).Concat(fresh).ToList();
        var result = sessions is null
            ? OrchestrationReplayer.Run(orchestrator, rec.InstanceId, rec.ExecutionId, rec.Name, rec.Version, past, newToCode, options.DataConverter, loggerFactory)
            : sessions.Replay(orchestrator, rec.InstanceId, rec.ExecutionId, rec.Name, rec.Version, past, newToCode, options.DataConverter, loggerFactory);

        var events = new List<HistoryEvent>(fresh);
        events.AddRange(result.NewActions);
        var next = rec with { Status = OrchestrationRuntimeStatus.Running, CustomStatus = result.CustomStatus ?? rec.CustomStatus };
        switch (result.Outcome)
        {
            case ReplayOutcome.Completed:
                next = next with { Status = OrchestrationRuntimeStatus.Completed, Output = result.Output, CompletedAt = now };
                events.Add(new HistoryEvent { Kind = HistoryEventKind.ExecutionCompleted, Reason = nameof(OrchestrationRuntimeStatus.Completed), Payload = result.Output, Timestamp = now });
                break;
            case ReplayOutcome.Failed:
                next = next with { Status = OrchestrationRuntimeStatus.Failed, Failure = result.Failure, CompletedAt = now };
                events.Add(new HistoryEvent { Kind = HistoryEventKind.ExecutionCompleted, Reason = nameof(OrchestrationRuntimeStatus.Failed), Failure = result.Failure, Timestamp = now });
                break;
            case ReplayOutcome.ContinuedAsNew:
                return ContinueAsNew(state, result, inboxDeletes, consumed, consumedChildFailures, now);
            default:
                break;
        }

        return Finish(state, next, events, ran: true, inboxDeletes, consumed, consumedChildFailures, result, next.Failure, now, leaseNow, hostId, runningLocally, localResults);
    }

    private StepPlan Finish(
        InstanceState state,
        InstanceRecord next,
        List<HistoryEvent> events,
        bool ran,
        List<string> inboxDeletes,
        List<int> consumed,
        List<int> consumedChildFailures,
        ReplayResult? result,
        TaskFailureDetails? failure,
        DateTimeOffset now,
        DateTimeOffset leaseNow,
        string hostId,
        IReadOnlySet<int> runningLocally,
        IReadOnlyDictionary<int, ActivityResult> localResults)
    {
        var chunk = new HistoryChunk(HistoryChunk.MakeRowKey(next.ExecutionId, state.Record.NextStep), state.Record.NextStep, ran, events);
        var chunksAfter = new List<HistoryChunk>(state.Chunks) { chunk };

        var activities = new List<HistoryEvent>();
        var timerRows = new List<TimerRow>();
        var timersToArm = new List<TimerRow>();
        var children = new List<ChildStart>();
        if (!next.IsTerminal)
        {
            // Activities open after this step: earlier ones nobody is running (recovery) and the new ones.
            var openAfter = OpenActivitiesAfter(chunksAfter);
            activities.AddRange(openAfter.Values.Where(a => !runningLocally.Contains(a.TaskId!.Value) && !localResults.ContainsKey(a.TaskId!.Value)));
            foreach (var a in result?.NewActions ?? [])
            {
                if (a.Kind == HistoryEventKind.TimerCreated && !result!.TimersCancelledInStep.Contains(a.TaskId!.Value) && a.FireAt > now)
                {
                    var row = TimerRow.For(next.InstanceId, next.ExecutionId, a.TaskId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), a.FireAt!.Value);
                    timerRows.Add(row);
                    if (a.FireAt <= now + options.TimerLookahead)
                    {
                        timersToArm.Add(row);
                    }
                }
                else if (a.Kind == HistoryEventKind.SubOrchestrationCreated)
                {
                    var version = a.Version ?? registry.GetDefaultVersion(a.Name!) ?? DurableTaskRegistry.DefaultVersion;
                    children.Add(new ChildStart(new InstanceRecord
                    {
                        InstanceId = a.InstanceId!,
                        Name = a.Name!,
                        Version = version,
                        ExecutionId = NewExecutionId(),
                        Status = OrchestrationRuntimeStatus.Pending,
                        Input = a.Payload,
                        CreatedAt = now,
                        LastUpdatedAt = now,
                        ParentInstanceId = next.InstanceId,
                        ParentExecutionId = next.ExecutionId,
                        ParentTaskId = a.TaskId,
                    }, a.TaskId!.Value));
                }
            }

            next = activities.Count > 0 || openAfter.Keys.Any(runningLocally.Contains)
                ? next with { ClaimOwner = hostId, ClaimUntil = leaseNow + options.WorkItemLease }
                : next with { ClaimOwner = null, ClaimUntil = null };
        }
        else
        {
            next = next with { ClaimOwner = null, ClaimUntil = null };
        }

        next = next with { NextStep = state.Record.NextStep + 1, LastUpdatedAt = now };
        var (staleDeletes, staleAfter) = SplitStale(state.StaleRowKeys, 1, inboxDeletes.Count);
        return new StepPlan
        {
            Commit = new StepCommit(next, [chunk], inboxDeletes, staleDeletes),
            ChunksAfter = chunksAfter,
            StaleAfter = staleAfter,
            TimerRows = timerRows,
            TimersToArm = timersToArm,
            Children = children,
            Parent = next.IsTerminal ? NotifyParent(next, failure) : null,
            ActivitiesToStart = activities,
            ConsumedResults = consumed,
            ConsumedChildFailures = consumedChildFailures,
            BecomesTerminal = next.IsTerminal,
        };
    }

    private static StepPlan ContinueAsNew(InstanceState state, ReplayResult result, List<string> inboxDeletes, List<int> consumed, List<int> consumedChildFailures, DateTimeOffset now)
    {
        var rec = state.Record;
        var execution = NewExecutionId();
        var version = result.ContinueAsNewVersion ?? rec.Version;
        var events = new List<HistoryEvent>
        {
            new() { Kind = HistoryEventKind.StepStarted, Timestamp = now },
            new() { Kind = HistoryEventKind.ExecutionStarted, Name = rec.Name, Version = version, Payload = result.ContinueAsNewInput, Timestamp = now },
        };
        events.AddRange(result.UnconsumedEvents.Select(e => e with { Timestamp = now })); // Events not yet consumed are not lost.
        var chunk = new HistoryChunk(HistoryChunk.MakeRowKey(execution, 0), 0, Ran: false, events);
        var next = rec with
        {
            ExecutionId = execution,
            Version = version,
            Input = result.ContinueAsNewInput,
            Status = OrchestrationRuntimeStatus.Running,
            CustomStatus = result.CustomStatus ?? rec.CustomStatus,
            NextStep = 1,
            LastUpdatedAt = now,
            ClaimOwner = null,
            ClaimUntil = null,
        };
        var (staleDeletes, staleAfter) = SplitStale([.. state.StaleRowKeys, .. state.Chunks.Select(c => c.RowKey)], 1, inboxDeletes.Count);
        return new StepPlan
        {
            Commit = new StepCommit(next, [chunk], inboxDeletes, staleDeletes),
            ChunksAfter = [chunk],
            StaleAfter = staleAfter,
            ConsumedResults = consumed,
            ConsumedChildFailures = consumedChildFailures,
        };
    }

    private StepPlan ClaimOnly(InstanceState state, Dictionary<int, HistoryEvent> open, IReadOnlySet<int> runningLocally,
        IReadOnlyDictionary<int, ActivityResult> localResults, string hostId, DateTimeOffset now, DateTimeOffset leaseNow)
    {
        var rec = state.Record;
        var toStart = open.Values.Where(a => !runningLocally.Contains(a.TaskId!.Value) && !localResults.ContainsKey(a.TaskId!.Value)).ToList();
        var mine = rec.ClaimOwner == hostId;
        var needsClaim = toStart.Count > 0 || open.Keys.Any(runningLocally.Contains);
        InstanceRecord next;
        if (needsClaim && (!mine || rec.ClaimUntil - leaseNow < options.WorkItemLease / 2 || toStart.Count > 0))
        {
            next = rec with { ClaimOwner = hostId, ClaimUntil = leaseNow + options.WorkItemLease, LastUpdatedAt = now };
        }
        else if (!needsClaim && rec.ClaimOwner is not null && (mine || rec.ClaimUntil <= leaseNow))
        {
            next = rec with { ClaimOwner = null, ClaimUntil = null, LastUpdatedAt = now };
        }
        else if (state.StaleRowKeys.Count > 0)
        {
            next = rec with { LastUpdatedAt = now };
        }
        else
        {
            return StepPlan.Nothing;
        }

        var (staleDeletes, staleAfter) = SplitStale(state.StaleRowKeys, 0, 0);
        return new StepPlan
        {
            Commit = new StepCommit(next, [], [], staleDeletes),
            ChunksAfter = [.. state.Chunks],
            StaleAfter = staleAfter,
            ActivitiesToStart = toStart,
        };
    }

    private static StepPlan DrainTerminal(InstanceState state)
    {
        if (state.Inbox.Count == 0 && state.StaleRowKeys.Count == 0 && state.Record.ClaimOwner is null)
        {
            return StepPlan.Nothing;
        }

        var next = state.Record with { ClaimOwner = null, ClaimUntil = null };
        List<string> inboxDeletes = [.. state.Inbox.Take(90).Select(m => m.RowKey)];
        var (staleDeletes, staleAfter) = SplitStale(state.StaleRowKeys, 0, inboxDeletes.Count);
        return new StepPlan
        {
            Commit = new StepCommit(next, [], inboxDeletes, staleDeletes),
            ChunksAfter = [.. state.Chunks],
            StaleAfter = staleAfter,
        };
    }

    private static Dictionary<int, HistoryEvent> OpenActivitiesAfter(List<HistoryChunk> chunks)
    {
        var tmp = new InstanceState
        {
            InstanceId = "",
            PartitionKey = "",
            Record = new InstanceRecord { InstanceId = "", Name = "", Version = "", ExecutionId = "", Status = OrchestrationRuntimeStatus.Running },
            Chunks = chunks,
        };
        return tmp.OpenActivities();
    }

    private static ParentNotification? NotifyParent(InstanceRecord child, TaskFailureDetails? failure)
    {
        if (child.ParentInstanceId is null || child.ParentTaskId is null)
        {
            return null;
        }

        var completed = child.Status == OrchestrationRuntimeStatus.Completed;
        return new ParentNotification(child.ParentInstanceId, new InboxMessage
        {
            RowKey = InboxMessage.KeyedRowKey($"child|{child.InstanceId}|{child.ExecutionId}"),
            Kind = completed ? InboxKind.SubOrchestrationCompleted : InboxKind.SubOrchestrationFailed,
            TaskId = child.ParentTaskId,
            ChildInstanceId = child.InstanceId,
            ParentExecutionId = child.ParentExecutionId,
            Payload = completed ? child.Output : null,
            Failure = completed ? null : failure ?? new TaskFailureDetails(child.Status.ToString(), $"Sub-orchestration ended {child.Status}."),
        });
    }

    /// <summary>Old history rows deleted by this commit (what fits in the 100-operation transaction) and those left for later.</summary>
    private static (List<string> Deletes, List<string> After) SplitStale(List<string> stale, int chunks, int inboxDeletes)
    {
        var budget = Math.Max(0, 100 - 1 - chunks - inboxDeletes);
        return ([.. stale.Take(budget)], [.. stale.Skip(budget)]);
    }

    public static string NewExecutionId() => Guid.NewGuid().ToString("N");
}
