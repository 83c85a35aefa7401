// The engine every KAM workflow runs on. Deterministic: time only from the context, I/O only through activities,
// plans are pure functions of the state. The loop: apply an event (or wake on a timer) → fire every plan item that
// is due, one at a time, recomputing the plan after each → publish the upcoming plan if it changed → wait for the
// next event or the next due time. An item fires once: its id is recorded in the state (and is the outbox's
// idempotency key), so repeated events, replays and re-runs never send twice. Late events and late timers open a
// catch-up window (CatchUp.cs states its invariants): nothing fires until the backlog is applied, then items past their
// grace are recorded as missed instead of sent.
using System.Text.Json;
using KamFlows.Domain.Events;
using Microsoft.DurableTask;
using KamFlows.Workflows.Escalation;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Planning;
using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Common;

/// <summary>Base of the five KAM workflows: event intake with holding, firing due plan items, escalation of overdue tasks, upcoming actions.</summary>
public abstract class KamWorkflow<TState> : TaskOrchestrator<WorkflowInput<TState>, WorkflowResult>
    where TState : WorkflowState, new()
{
    /// <summary>A plan item this close to its time counts as on time (timers fire within seconds).</summary>
    public static readonly TimeSpan OnTimeTolerance = TimeSpan.FromMinutes(15);

    /// <summary>Azure Storage timers may fire up to a second before their time (queue visibility is in whole seconds).</summary>
    public static readonly TimeSpan EarlyTimerTolerance = TimeSpan.FromSeconds(2);

    private const int MaxHeldEvents = 100;
    private const int MaxFiringsPerStep = 200;

    private static readonly TaskOptions ActivityRetry = TaskOptions.FromRetryPolicy(
        new RetryPolicy(4, TimeSpan.FromSeconds(15), 2.0, TimeSpan.FromMinutes(5)));

    /// <summary>Whether the event that starts the workflow (proposal sent, tender announced ...) has been applied.</summary>
    protected abstract bool IsStarted(TState state);

    /// <summary>Applies one canonical event to the state. Pure: no calendar is needed (plans compute times).</summary>
    protected abstract EventDisposition Apply(TState state, CanonicalEvent canonicalEvent, WorkflowRun run);

    /// <summary>Every item the workflow has planned (past and future, fired or not), computed from the state.</summary>
    protected abstract IEnumerable<PlanItem> Plan(TState state, WorkflowRun run);

    /// <summary>The outcome when the workflow is over, otherwise null.</summary>
    protected abstract string? Finished(TState state, WorkflowRun run);

    /// <summary>A time at which <see cref="Finished"/> may change without an event (e.g. the end of a waiting period).</summary>
    protected virtual DateTimeOffset? NextDeadline(TState state, WorkflowRun run) => null;

    /// <summary>Whether a task fired earlier is still open (not done in the CRM yet).</summary>
    protected virtual bool IsTaskOpen(TState state, string id, FiredAction task, WorkflowRun run) => false;

    /// <summary>This workflow's own escalation period (business days) for a task kind it always escalates; null: the Escalation options decide.</summary>
    protected virtual int? EscalationBusinessDays(string taskKind, WorkflowRun run) => null;

    /// <summary>Called after an item fired (or was skipped), to record what it changes (e.g. the proposal expired).</summary>
    protected virtual void OnFired(TState state, PlanItem item, FiredAction fired, WorkflowRun run)
    {
    }

    /// <summary>Runs an internal plan item (<see cref="PlanItem.Internal"/>); returns the outcome to record.</summary>
    protected virtual Task<string> RunInternalAsync(TState state, PlanItem item, DateTimeOffset sendAt, WorkflowRun run) =>
        Task.FromResult(FiredOutcomes.Done);

    /// <summary>Whether the account profile is read again after every applied event (the account workflow refreshes on kam.account.upserted only).</summary>
    protected virtual bool RefreshProfileOnEveryEvent => true;

    /// <summary>Prepares a new or carried state (e.g. the account workflow knows its account from its key).</summary>
    protected virtual void Initialize(TState state, WorkflowRun run)
    {
    }

    /// <summary>Called before continuing as new: drop what the next execution does not need.</summary>
    protected virtual void Compact(TState state, WorkflowRun run)
    {
    }

    public sealed override async Task<WorkflowResult> RunAsync(TaskOrchestrationContext context, WorkflowInput<TState> input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var state = input.State ?? new TState { CreatedAt = WorkflowRun.UtcNow(context) };
        state.Key = input.Key;
        state.Executions++;
        var options = await context.CallActivityAsync<WorkflowsOptions>(ActivityNames.ReadWorkflowOptions, null, ActivityRetry).ConfigureAwait(true);
        var run = new WorkflowRun(context, options);
        Initialize(state, run);
        var eventsThisExecution = 0;
        using var timer = new WakeTimer();
        DateTimeOffset? profileRetryAt = null;
        DateTimeOffset? profileMissingSince = null;
        foreach (var first in input.Events ?? [])
        {
            // Events given with the start (signal-with-start): applied before anything raised later.
            eventsThisExecution++;
            state.EventsReceived++;
            Receive(state, first, run);
        }

        while (true)
        {
            if (state.AccountId is not null && run.ProfileStale)
            {
                // A storage outage longer than the retries counts as "unknown for now": read again later, never fail the instance.
                var profile = await CallAsync(state, run, ActivityNames.ReadAccountProfile, state.AccountId, (AccountProfile?)null).ConfigureAwait(true);
                run.UseProfile(profile);
                profileMissingSince = profile is null ? profileMissingSince ?? run.Now : null;
                profileRetryAt = profile is null ? run.Now.AddMinutes(options.Timing.ProfileRetryMinutes) : null;
            }

            var ready = run.Profile is not null && IsStarted(state);
            if (ready)
            {
                await FireDueAsync(state, run).ConfigureAwait(true);
            }

            await ReportMissedAsync(state, run).ConfigureAwait(true);

            var outcome = (IsStarted(state) ? Finished(state, run) : null) ?? Abandoned(state, run, profileMissingSince);
            var upcoming = outcome is null && ready ? Upcoming(state, run) : [];
            await PublishAsync(state, run, upcoming).ConfigureAwait(true);
            if (outcome is not null)
            {
                context.SetCustomStatus(Status(state, "finished", null, outcome));
                return Result(state, outcome);
            }

            if (eventsThisExecution >= options.Timing.ContinueAsNewAfterEvents || run.ContinueAsNewRequested)
            {
                Compact(state, run);
                context.SetCustomStatus(Status(state, "working", null, "continued as new"));
                context.ContinueAsNew(new WorkflowInput<TState> { Key = state.Key, State = state });
                return Result(state, "continued-as-new");
            }

            var wake = NextWake(state, run, ready, profileRetryAt);
            state.Waits++;
            context.SetCustomStatus(Status(state, IsStarted(state) ? "waiting" : "holding", wake, null));
            var received = await WaitAsync(context, wake, timer).ConfigureAwait(true);
            context.SetCustomStatus(Status(state, "working", null, null));
            if (received is null)
            {
                if (profileRetryAt is { } retry && run.Now >= retry)
                {
                    run.ProfileStale = true;
                }

                if (wake is { } asked && CatchUp.TimerWasLate(asked, run.Now, options.Timing))
                {
                    CatchUp.Open(state, asked, run.Now, options.Timing, backfill: false); // The host was down or far behind.
                }

                continue;
            }

            foreach (var json in received)
            {
                eventsThisExecution++;
                state.EventsReceived++;
                Receive(state, json, run);
            }
        }
    }

    /// <summary>
    /// Waits for the next event or the wake-up time. The wake-up timer is kept across events while its time stays the
    /// same, so a busy instance does not leave a trail of abandoned timers behind it.
    /// </summary>
    private static async Task<IReadOnlyList<string>?> WaitAsync(TaskOrchestrationContext context, DateTimeOffset? wake, WakeTimer timer)
    {
        timer.Set(context, wake);
        using var eventCancel = new CancellationTokenSource();
        var eventTask = context.WaitForExternalEvent<JsonElement>(WorkflowCatalog.CanonicalEventName, eventCancel.Token);
        if (timer.Task is not { } timerTask)
        {
            return EventTexts(await eventTask.ConfigureAwait(true));
        }

        var winner = await Task.WhenAny(eventTask, timerTask).ConfigureAwait(true);
        if (winner == eventTask)
        {
            return EventTexts(await eventTask.ConfigureAwait(true));
        }

#pragma warning disable CA1849 // CancelAsync runs callbacks on the thread pool; replay must stay on its own thread.
        eventCancel.Cancel(); // The event, if it comes later, is kept for the next wait.
#pragma warning restore CA1849
        timer.Consumed();
        return null;
    }

    /// <summary>The durable timer an instance waits on between events.</summary>
    private sealed class WakeTimer : IDisposable
    {
        private CancellationTokenSource? _cancel;

        public DateTimeOffset? At { get; private set; }

        public Task? Task { get; private set; }

        public void Set(TaskOrchestrationContext context, DateTimeOffset? at)
        {
            if (at == At && Task is not null)
            {
                return;
            }

            Cancel();
            if (at is { } fireAt)
            {
                _cancel = new CancellationTokenSource();
                Task = context.CreateTimer(fireAt.UtcDateTime, _cancel.Token);
                At = at;
            }
        }

        public void Consumed()
        {
            _cancel?.Dispose();
            _cancel = null;
            Task = null;
            At = null;
        }

        public void Dispose() => Cancel();

        private void Cancel()
        {
#pragma warning disable CA1849 // See WaitAsync: cancellation must run on the replay thread.
            _cancel?.Cancel();
#pragma warning restore CA1849
            Consumed();
        }
    }

    /// <summary>The canonical events' JSON: one JSON string (the contract), or an array of them (intake's batches); an object is tolerated.</summary>
    private static IReadOnlyList<string> EventTexts(JsonElement data) => data.ValueKind switch
    {
        JsonValueKind.String => [data.GetString() ?? string.Empty],
        JsonValueKind.Object => [data.GetRawText()],
        JsonValueKind.Array => [.. data.EnumerateArray().SelectMany(EventTexts)],
        _ => [string.Empty],
    };

    private void Receive(TState state, string json, WorkflowRun run)
    {
        var parsed = CanonicalEventParser.Parse(json);
        if (!parsed.IsValid)
        {
            state.Note($"{run.Now:O} invalid event ignored: {(parsed.Errors.Count > 0 ? parsed.Errors[0] : null)}");
            return;
        }

        var e = parsed.Event;
        if (!state.FirstTimeSeen(e.Id))
        {
            state.Note($"{run.Now:O} {e.Type} {e.Id} received again: ignored");
            return;
        }

        if (state.AccountId is null)
        {
            state.AccountId = e.AccountId;
            run.ProfileStale = true;
        }
        else if (!string.Equals(e.AccountId, state.AccountId, StringComparison.Ordinal))
        {
            state.Note($"{run.Now:O} {e.Type} {e.Id} ignored: it is for account {e.AccountId}, not {state.AccountId}");
            return;
        }

        var asOf = CatchUp.AppliedAsOf(e, run.Now, run.Options.Timing);
        if (asOf is { } happened)
        {
            MissPassedItems(state, run, happened); // What the state before this event would have sent before it happened.
        }

        var disposition = ApplyAsOf(state, e, run, asOf);
        if (asOf is not null || CatchUp.IsBackfill(e))
        {
            CatchUp.Open(state, asOf ?? run.Now, run.Now, run.Options.Timing, CatchUp.IsBackfill(e));
        }

        if (disposition == EventDisposition.Applied && RefreshProfileOnEveryEvent)
        {
            run.ProfileStale = true; // The KAM, head or calendars may have changed since: plan with the current ones.
        }

        if (disposition == EventDisposition.Held)
        {
            if (state.Held.Count < MaxHeldEvents)
            {
                state.Held.Add(new HeldEvent(json, e.Type, e.Id, run.Now));
            }
            else
            {
                state.Note($"{run.Now:O} {e.Type} {e.Id} dropped: {MaxHeldEvents} events already held");
            }
        }
        else if (disposition == EventDisposition.Ignored)
        {
            state.Note($"{run.Now:O} {e.Type} {e.Id} ignored");
        }

        if (disposition == EventDisposition.Applied && IsStarted(state) && state.Held.Count > 0)
        {
            // Held events are tried again after each applied event, not only the one that started the instance: a
            // proposal started by its draft keeps an acknowledgement until the version is sent.
            var held = state.Held.ToList();
            state.Held.Clear();
            foreach (var h in held)
            {
                var again = CanonicalEventParser.Parse(h.Json);
                if (again.IsValid && ApplyAsOf(state, again.Event, run, CatchUp.AppliedAsOf(again.Event, h.ReceivedAt, run.Options.Timing)) == EventDisposition.Held)
                {
                    state.Held.Add(h);
                }
            }
        }
    }

    /// <summary>
    /// Before a late event is applied: the items the state had planned before that event happened (and after the window
    /// opened) would have gone out had the history arrived on time; past their grace now, they are recorded as missed,
    /// one at a time in due order (recording one may end others, e.g. an expiry), so the digest can say what was missed.
    /// </summary>
    private void MissPassedItems(TState state, WorkflowRun run, DateTimeOffset happened)
    {
        if (state.CatchingUp is not { } window || run.Profile is null || !IsStarted(state))
        {
            return;
        }

        var now = run.Now;
        run.AppliedAsOf = happened; // Plans that look at "today" see the day the event happened.
        try
        {
            for (var i = 0; i < MaxFiringsPerStep; i++)
            {
                PlanItem? next = null;
                foreach (var item in AllItems(state, run))
                {
                    if (!state.Fired.ContainsKey(item.Id) && !state.Deferred.ContainsKey(item.Id) && CatchUp.PassedWhileLagging(window, item, happened, now, run)
                        && (next is null || item.DueAt < next.DueAt || (item.DueAt == next.DueAt && string.CompareOrdinal(item.Id, next.Id) < 0)))
                    {
                        next = item;
                    }
                }

                if (next is null)
                {
                    return;
                }

                RecordMissed(state, next, run, now);
            }
        }
        finally
        {
            run.AppliedAsOf = null;
        }
    }

    private void RecordMissed(TState state, PlanItem item, WorkflowRun run, DateTimeOffset decidedAt)
    {
        var fired = new FiredAction { Kind = item.Kind?.ToString(), Title = item.Title, IsTask = item.IsTask, Audience = item.Audience, At = decidedAt, Outcome = FiredOutcomes.Missed };
        state.Fired[item.Id] = fired;
        run.PendingMissed.Add(new MissedAction(item.Id, fired.Kind!, item.Title, run.CalendarFor(item.Audience).ToLocal(item.DueAt), item.Audience,
            run.EmailFor(item.Audience)));
        OnFired(state, item, fired, run);
    }

    /// <summary>Reports what this step recorded as missed (one activity call), so it reaches the timeline and the next digest.</summary>
    private static async Task ReportMissedAsync(TState state, WorkflowRun run)
    {
        if (run.PendingMissed.Count == 0 || state.AccountId is null)
        {
            return;
        }

        var missed = run.PendingMissed.ToList();
        run.PendingMissed.Clear();
        state.Note($"{run.Now:O} {missed.Count} item(s) past due while catching up recorded as missed, not sent");
        await CallAsync(state, run, ActivityNames.RecordMissedActions,
            new MissedActionsRecord(state.AccountId, run.Profile?.Name ?? state.AccountId, state.Key, missed), 0).ConfigureAwait(true);
    }

    /// <summary>Applies an event as of <paramref name="asOf"/> (a late event's own time), or now when null.</summary>
    private EventDisposition ApplyAsOf(TState state, CanonicalEvent canonicalEvent, WorkflowRun run, DateTimeOffset? asOf)
    {
        run.AppliedAsOf = asOf;
        try
        {
            return Apply(state, canonicalEvent, run);
        }
        finally
        {
            run.AppliedAsOf = null;
        }
    }

    private async Task FireDueAsync(TState state, WorkflowRun run)
    {
        if (CatchUp.Holding(state, run.Now))
        {
            return; // The backlog may still be arriving: a later event may close the object or move its dates.
        }

        var allDecided = await FireDueItemsAsync(state, run).ConfigureAwait(true);
        if (allDecided)
        {
            state.CatchingUp = null; // Caught up: everything that was due has been sent, put off or recorded as missed.
        }
    }

    /// <summary>Fires what is due; false when more was due than one step fires (the rest follow at the next step).</summary>
    private async Task<bool> FireDueItemsAsync(TState state, WorkflowRun run)
    {
        // One item at a time, recomputing the plan after each: firing one may change what else is due (an expiry ends the follow-up).
        for (var i = 0; i < MaxFiringsPerStep; i++)
        {
            PlanItem? next = null;
            var nextDue = DateTimeOffset.MaxValue;
            var planned = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in AllItems(state, run))
            {
                planned.Add(item.Id);
                var due = DueOf(state, item);
                if (due <= run.Now + EarlyTimerTolerance && !state.Fired.ContainsKey(item.Id)
                    && (next is null || due < nextDue || (due == nextDue && string.CompareOrdinal(item.Id, next.Id) < 0)))
                {
                    next = item;
                    nextDue = due;
                }
            }

            state.Deferred.Keys.Where(id => !planned.Contains(id)).ToList().ForEach(id => state.Deferred.Remove(id)); // Became moot.
            if (next is null)
            {
                return true;
            }

            await FireAsync(state, next, run).ConfigureAwait(true);
        }

        state.Note($"{run.Now:O} more than {MaxFiringsPerStep} items were due at once; the rest follow");
        return false;
    }

    /// <summary>When an item is due: its plan time, or the business moment it was put off to.</summary>
    private static DateTimeOffset DueOf(TState state, PlanItem item) => state.Deferred.TryGetValue(item.Id, out var deferred) ? deferred : item.DueAt;

    private async Task FireAsync(TState state, PlanItem item, WorkflowRun run)
    {
        var fired = new FiredAction { Kind = item.Kind?.ToString(), Title = item.Title, IsTask = item.IsTask, Audience = item.Audience };
        var wasDeferred = state.Deferred.Remove(item.Id, out var deferred);
        fired.At = wasDeferred ? deferred : item.DueAt;
        if (!wasDeferred && CatchUp.IsMissed(state, item, run))
        {
            RecordMissed(state, item, run, run.Now);
            return;
        }

        if (run.Now - fired.At > OnTimeTolerance)
        {
            if (!wasDeferred && item.SkipWhenLateAfter is { } grace && run.Now - item.DueAt > grace)
            {
                fired.At = run.Now;
                fired.Outcome = FiredOutcomes.SkippedLate;
                state.Fired[item.Id] = fired;
                OnFired(state, item, fired, run);
                return;
            }

            // Late (an event came late, or the host was down): at the recipient's next business moment, never at night.
            fired.At = run.CalendarFor(item.Audience).NextBusinessMoment(run.Now);
            if (item.Internal is null && fired.At - run.Now > OnTimeTolerance)
            {
                state.Deferred[item.Id] = fired.At; // A timer brings it back then, unless it became moot meanwhile.
                return;
            }
        }

        fired.Outcome = item.Internal is not null
            ? await RunInternalAsync(state, item, fired.At, run).ConfigureAwait(true)
            : await EnqueueAsync(state, item, fired.At, run).ConfigureAwait(true);
        state.Fired[item.Id] = fired;
        OnFired(state, item, fired, run);
    }

    private static async Task<string> EnqueueAsync(TState state, PlanItem item, DateTimeOffset sendAt, WorkflowRun run)
    {
        var draft = new NotificationDraft
        {
            NotificationId = item.Id,
            Kind = item.Kind ?? throw new InvalidOperationException($"Plan item {item.Id} has neither a notification kind nor an internal step."),
            Audience = item.Audience,
            SendAt = run.CalendarFor(item.Audience).ToLocal(sendAt),
            AccountId = state.AccountId!,
            SourceKey = state.Key,
            Fields = item.Fields,
            Invite = item.Invite,
            AddressedRoles = item.AddressedRoles,
            Attendees = item.Attendees,
        };
        try
        {
            var result = await run.Context.CallActivityAsync<NotificationOutcome>(ActivityNames.EnqueueNotification, draft, ActivityRetry).ConfigureAwait(true);
            return result.Outcome;
        }
        catch (TaskFailedException ex)
        {
            state.Note($"{run.Now:O} {item.Id} failed: {ex.FailureDetails.ErrorMessage}");
            return FiredOutcomes.Failed;
        }
    }

    /// <summary>Calls an activity with the engine's retry policy; a failure after all attempts is noted and gives the fallback.</summary>
    protected static async Task<T> CallAsync<T>(TState state, WorkflowRun run, string activity, object? input, T fallback)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            return await run.Context.CallActivityAsync<T>(activity, input, ActivityRetry).ConfigureAwait(true);
        }
        catch (TaskFailedException ex)
        {
            state.Note($"{run.Now:O} {activity} failed: {ex.FailureDetails.ErrorMessage}");
            return fallback;
        }
    }

    private IEnumerable<PlanItem> AllItems(TState state, WorkflowRun run) =>
        Plan(state, run).Concat(TaskEscalation.Plan(state, run, (id, task) => IsTaskOpen(state, id, task, run), kind => EscalationBusinessDays(kind, run)));

    private List<PlannedAction> Upcoming(TState state, WorkflowRun run) =>
        UpcomingPlan.From(state, run, AllItems(state, run).Where(item => !CatchUp.Holding(state, run.Now) || DueOf(state, item) >= run.Now), // Past-due items are being decided.
            (id, task) => IsTaskOpen(state, id, task, run), item => DueOf(state, item));

    private static async Task PublishAsync(TState state, WorkflowRun run, List<PlannedAction> actions)
    {
        if (state.AccountId is null)
        {
            return;
        }

        var kamEmail = run.Profile?.Kam.Email ?? string.Empty;
        var fingerprint = actions.Count == 0 ? null : UpcomingPlan.Fingerprint(kamEmail, actions);
        if (fingerprint == state.PlanFingerprint)
        {
            return;
        }

        var replaced = await CallAsync(state, run, ActivityNames.ReplaceUpcomingPlan, new PlanReplacement(state.Key, state.AccountId, kamEmail, actions), false).ConfigureAwait(true);
        if (replaced)
        {
            state.PlanFingerprint = fingerprint;
        }
    }

    private DateTimeOffset? NextWake(TState state, WorkflowRun run, bool ready, DateTimeOffset? profileRetryAt)
    {
        var candidates = new List<DateTimeOffset?>();
        if (ready && CatchUp.Holding(state, run.Now))
        {
            candidates.Add(state.CatchingUp!.HoldUntil); // Nothing fires before the hold ends: the plan is decided anew then.
        }
        else if (ready)
        {
            foreach (var item in AllItems(state, run))
            {
                if (!state.Fired.ContainsKey(item.Id))
                {
                    candidates.Add(DueOf(state, item));
                }
            }

            candidates.Add(NextDeadline(state, run));
        }

        if (!IsStarted(state))
        {
            candidates.Add(HoldDeadline(state, run));
        }

        candidates.Add(profileRetryAt);
        var wake = candidates.Where(c => c is not null).Select(c => c!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        if (wake == DateTimeOffset.MaxValue)
        {
            return null;
        }

        // Never wait on a time already past (it would spin): a minute later is the earliest next look.
        return wake <= run.Now ? run.Now.AddMinutes(1) : wake;
    }

    private static DateTimeOffset HoldDeadline(TState state, WorkflowRun run) =>
        (state.Held.Count > 0 ? state.Held[0].ReceivedAt : state.CreatedAt).AddDays(run.Options.Timing.HoldUnmatchedEventsDays);

    private string? Abandoned(TState state, WorkflowRun run, DateTimeOffset? profileMissingSince)
    {
        if (!IsStarted(state))
        {
            return run.Now >= HoldDeadline(state, run) ? "no-start-event" : null;
        }

        return profileMissingSince is { } since && run.Now >= since.AddDays(run.Options.Timing.HoldUnmatchedEventsDays) ? "no-account-profile" : null;
    }

    private static WorkflowStatus Status(TState state, string phase, DateTimeOffset? wake, string? detail) => new()
    {
        Phase = phase,
        Waits = state.Waits,
        EventsReceived = state.EventsReceived,
        NextWakeAt = wake,
        Sent = state.CountFired(f => FiredOutcomes.Delivered(f.Outcome)),
        Held = state.Held.Count,
        CatchingUpUntil = state.CatchingUp?.HoldUntil,
        Detail = detail,
    };

    private static WorkflowResult Result(TState state, string outcome) => new()
    {
        Key = state.Key,
        Outcome = outcome,
        Sent = state.CountFired(f => f.Outcome == FiredOutcomes.Enqueued),
        Skipped = state.CountFired(f => f.Outcome == FiredOutcomes.SkippedLate),
        Missed = state.CountFired(f => f.Outcome == FiredOutcomes.Missed),
        HeldEvents = [.. state.Held.Select(h => $"{h.Type} {h.Id}")],
        Notes = [.. state.Notes],
    };
}
