// Catching up: what a workflow does when its knowledge lags behind real time (a CRM's history on first connection, a
// replay after an outage, a bulk import, a host that was down). Invariants, all decided from the orchestration clock
// and the events' own contents, so a replay decides the same:
// - a step is late when it applies an event whose `time` is more than Timing:LateEventMinutes before the orchestration's
//   now, or an event marked as backfill (CloudEvents extension `kambackfill: true`), or wakes on a timer that many
//   minutes after the timer's time. A late step opens the catch-up window (or widens it): LagSince is the earliest such
//   event or timer time, and the hold lasts until Timing:CatchUpSettleSeconds after the latest late step (rounded up to
//   a whole settle period, so one durable timer serves a whole backlog); an event dated in the future is applied now;
// - a late event is applied as of its own time (WorkflowRun.Now during Apply), so what it starts or closes is planned
//   from when it happened, not from when KamFlows heard of it;
// - while the hold lasts nothing fires (reminders, tasks, internal steps): the rest of the backlog is applied first, so
//   items of an object that a later event closes (won, lost, accepted, expired) have left the plan and never fire;
// - before a late event is applied, what the state had planned before that event happened (within the window) and is
//   past its grace now is recorded as missed: what the history would have sent had it arrived on time, never sent now;
// - when the hold ends, the plan of the state as it is then is fired once: an item due at or after LagSince whose time
//   passed more than Timing:MissedAfterBusinessDays business days of its recipient before now, or due before the
//   moment a backfill was applied, is recorded as missed (outcome `missed`, reported once through the
//   RecordMissedActions activity), never sent — internal steps that send (the quarterly review) too, internal
//   housekeeping (birthday sweeps) always runs; the others fire as usual; then the window closes;
// - events that arrive on time and timers that fire on time never open a window: the simulator (events at their own
//   time, exact timers) behaves exactly as without this file.
using KamFlows.Domain.Events;

namespace KamFlows.Workflows.Common;

/// <summary>The catch-up window of a workflow instance (null in its state when it is caught up).</summary>
public sealed class CatchUpWindow
{
    /// <summary>The earliest time the workflow learned about late: items due from here on may have been missed.</summary>
    public DateTimeOffset LagSince { get; set; }

    /// <summary>Nothing fires before this (orchestration time): the backlog is still arriving.</summary>
    public DateTimeOffset HoldUntil { get; set; }

    /// <summary>Set by backfill-mode events: items due up to this moment are recorded as missed whatever the grace.</summary>
    public DateTimeOffset? BackfillThrough { get; set; }
}

/// <summary>The rules of the catch-up window (see the invariants at the top of this file).</summary>
public static class CatchUp
{
    /// <summary>The CloudEvents extension attribute that marks an event as part of a backfill (value true or "true").</summary>
    public const string BackfillExtension = "kambackfill";

    /// <summary>Whether the event carries <c>kambackfill: true</c>.</summary>
    public static bool IsBackfill(CanonicalEvent canonicalEvent)
    {
        ArgumentNullException.ThrowIfNull(canonicalEvent);
        return canonicalEvent.Extensions.Any(x => string.Equals(x.Name, BackfillExtension, StringComparison.Ordinal)
            && x.JsonValue.Trim() is "true" or "\"true\"");
    }

    /// <summary>
    /// The time an event is applied as of: its own time when it is late (or a backfill) relative to <paramref name="receivedAt"/>,
    /// otherwise null (the step's own now).
    /// </summary>
    public static DateTimeOffset? AppliedAsOf(CanonicalEvent canonicalEvent, DateTimeOffset receivedAt, TimingOptions timing)
    {
        ArgumentNullException.ThrowIfNull(canonicalEvent);
        ArgumentNullException.ThrowIfNull(timing);
        var time = canonicalEvent.Time.ToDateTimeOffset();
        if (time > receivedAt)
        {
            return null; // Dated in the future (a producer's clock ahead): applied now, as before.
        }

        return IsBackfill(canonicalEvent) || receivedAt - time > LateAfter(timing) ? time : null;
    }

    /// <summary>Opens or widens the window after a late step.</summary>
    public static void Open(WorkflowState state, DateTimeOffset lateSince, DateTimeOffset now, TimingOptions timing, bool backfill)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(timing);
        var window = state.CatchingUp ??= new CatchUpWindow { LagSince = lateSince };
        window.LagSince = lateSince < window.LagSince ? lateSince : window.LagSince;
        var hold = SettleSlot(now.AddSeconds(timing.CatchUpSettleSeconds), timing.CatchUpSettleSeconds);
        window.HoldUntil = hold > window.HoldUntil ? hold : window.HoldUntil;
        if (backfill && (window.BackfillThrough is not { } through || now > through))
        {
            window.BackfillThrough = now;
        }
    }

    /// <summary>Whether a timer that was asked for <paramref name="timerAt"/> woke the workflow late (the host was down or busy).</summary>
    public static bool TimerWasLate(DateTimeOffset timerAt, DateTimeOffset now, TimingOptions timing)
    {
        ArgumentNullException.ThrowIfNull(timing);
        return now - timerAt > LateAfter(timing);
    }

    /// <summary>Whether the backlog may still be arriving: nothing fires yet.</summary>
    public static bool Holding(WorkflowState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.CatchingUp is { } window && now < window.HoldUntil;
    }

    /// <summary>
    /// Whether a notification item found due now is recorded as missed: due within the window and past its recipient's
    /// grace (business days at the same wall-clock time), or due before a backfill was applied.
    /// </summary>
    public static bool IsMissed(WorkflowState state, PlanItem item, WorkflowRun run)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(run);
        if (state.CatchingUp is not { } window || (item.Internal is not null && item.Kind is null))
        {
            return false;
        }

        if (window.BackfillThrough is { } through && item.DueAt <= through)
        {
            return true;
        }

        if (item.DueAt < window.LagSince)
        {
            return false; // Due before anything came late: planned in the past by an on-time event (the usual late rules apply).
        }

        return PastGrace(item, run.Now, run);
    }

    /// <summary>
    /// Whether an item the state had planned before a late event that happened at <paramref name="happened"/> would have
    /// gone out before it, within the window, and is now past its grace (or covered by a backfill): recorded as missed.
    /// </summary>
    public static bool PassedWhileLagging(CatchUpWindow window, PlanItem item, DateTimeOffset happened, DateTimeOffset now, WorkflowRun run)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(run);
        if (item.Kind is null || item.DueAt < window.LagSince || item.DueAt >= happened)
        {
            return false;
        }

        return window.BackfillThrough is not null || PastGrace(item, now, run);
    }

    /// <summary>Whether <paramref name="now"/> is past the item's grace: its recipient's business days at the same wall-clock time.</summary>
    private static bool PastGrace(PlanItem item, DateTimeOffset now, WorkflowRun run) =>
        now > run.CalendarFor(item.Audience).SameTimeBusinessDaysLater(item.DueAt, run.Options.Timing.MissedAfterBusinessDays);

    private static TimeSpan LateAfter(TimingOptions timing) => TimeSpan.FromMinutes(timing.LateEventMinutes);

    /// <summary>
    /// The hold's end rounded up to a whole settle period (UTC), so the late events of one backlog share one wake-up time
    /// and the instance keeps one durable timer instead of creating one per event.
    /// </summary>
    private static DateTimeOffset SettleSlot(DateTimeOffset time, int settleSeconds)
    {
        var slot = TimeSpan.FromSeconds(settleSeconds).Ticks;
        var ticks = time.UtcTicks;
        return new DateTimeOffset(((ticks + slot - 1) / slot) * slot, TimeSpan.Zero);
    }
}
