// Meetings with the client (DOMAIN.md "Mistakes the product helps avoid", seed 003: late to meetings, unprepared
// negotiations). One instance per meeting: the KAM's preparation the business day before (attendees with their DMU roles
// and attitudes, recent meetings, open complaints and proposals; read by the send activity right before it goes out),
// then, when no outcome is recorded by the next business morning after the meeting, a prompt to record it, once more
// some business days later, and the instance ends. Moved: the reminders move (ids carry the times). Logged: it ends.
// Cancelled: it ends, but when a preparation's invite went out (InviteSequenceSent, recorded when it fired) and the
// meeting has not begun, first the KAM's notice at once with that invite withdrawn (same UID, a higher sequence): one
// notice, its id fixed. Moved after an invite went out (decision rules 4): the KAM's notice at once with the invite
// updated, one per move that leaves the calendar (InvitedStartsAt/EndsAt) showing another time, its id the move's number.
// Invite sequences only grow, across instances of the same meeting too: each version's is derived from the time it
// was heard (SequenceFor). A proposal's meeting reported as kam.meeting.scheduled is prepared here only (ProposalFollowUp skips its own).
using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using static KamFlows.Workflows.Common.TemplateFields;

namespace KamFlows.Workflows.Meetings;

/// <summary>One instance per meeting (<c>meeting:{id}</c>).</summary>
public sealed class MeetingPreparation : KamWorkflow<MeetingState>
{
    internal const string Prepare = "prepare";
    internal const string Outcome = "outcome";
    internal const string Cancelled = "cancelled";
    internal const string Moved = "moved";

    /// <summary>Invite sequences count seconds since this instant: RFC 5545 allows any increasing integer, and an int holds them until 2088.</summary>
    private static readonly DateTimeOffset SequenceEpoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    protected override bool IsStarted(MeetingState state) => state.StartsAt is not null;

    protected override EventDisposition Apply(MeetingState state, CanonicalEvent canonicalEvent, WorkflowRun run)
    {
        var at = canonicalEvent.Time.ToDateTimeOffset();
        switch (canonicalEvent.Data)
        {
            case MeetingScheduled d when state.IsFor(d.MeetingId):
                return Schedule(state, d, at, WorkflowRun.UtcNow(run.Context));
            case MeetingCancelled d when state.IsFor(d.MeetingId):
                if (!IsStarted(state))
                {
                    return EventDisposition.Held;
                }

                if (state.CancelledAt is not null || state.LoggedAt is not null)
                {
                    return EventDisposition.Ignored;
                }

                state.CancelledAt = at;
                state.CancellationHeardAt = WorkflowRun.UtcNow(run.Context); // Not the event's time when it came late: the notice goes when heard.
                state.CancellationReason = d.Reason;
                return EventDisposition.Applied;
            case MeetingLogged d when state.IsFor(d.MeetingId):
                if (!IsStarted(state))
                {
                    return EventDisposition.Held;
                }

                if (state.LoggedAt is not null)
                {
                    return EventDisposition.Ignored;
                }

                state.LoggedAt = at;
                return EventDisposition.Applied;
            default:
                return EventDisposition.Ignored;
        }
    }

    private static EventDisposition Schedule(MeetingState state, MeetingScheduled d, DateTimeOffset at, DateTimeOffset heard)
    {
        if (state.CancelledAt is not null || state.LoggedAt is not null || (state.ScheduleEventTime is { } current && at < current))
        {
            return EventDisposition.Ignored; // Over already, or an older schedule arriving late.
        }

        var starts = d.StartsAt.ToDateTimeOffset();
        var ends = d.End.ToDateTimeOffset();
        if (state.StartsAt is { } known)
        {
            if (known == starts && state.EndsAt == ends && state.Subject == d.Subject && state.Location == d.Location && state.ContactIds.SequenceEqual(d.ContactIds))
            {
                return EventDisposition.Ignored; // The same meeting again.
            }

            if (known != starts || state.EndsAt != ends)
            {
                state.Moves++;
                state.MovedHeardAt = heard;
            }
        }

        state.InviteSequence = SequenceFor(heard, state.InviteSequence);
        state.ScheduledAt ??= at;
        state.ScheduleEventTime = at;
        state.StartsAt = starts;
        state.EndsAt = ends;
        state.Subject = d.Subject;
        state.Location = d.Location;
        state.OpportunityId = d.OpportunityId ?? state.OpportunityId;
        state.ProposalId = d.ProposalId ?? state.ProposalId;
        state.TenderId = d.TenderId ?? state.TenderId;
        state.ContactIds = [.. d.ContactIds];
        return EventDisposition.Applied;
    }

    protected override IEnumerable<PlanItem> Plan(MeetingState state, WorkflowRun run)
    {
        if (CancellationNotice(state, run) is { } notice)
        {
            yield return notice;
        }

        if (state.CancelledAt is not null || state.LoggedAt is not null)
        {
            yield break;
        }

        if (MovedNotice(state, run) is { } moved)
        {
            yield return moved;
        }

        var kam = run.Kam;
        var profile = run.Profile!;
        var id = state.ObjectId;
        var starts = state.StartsAt!.Value;
        var ends = state.EndsAt!.Value;
        var subject = state.Subject ?? string.Empty;
        var fields = Of(
            ("meeting_id", Text(id)),
            ("meeting_at", Instant(kam.ToLocal(starts))),
            ("meeting_subject", Text(subject)));

        if (PreparationDue(state, run) is { } due)
        {
            var untilMeeting = starts - due;
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.MeetingPreparationReminder, Prepare, Stamp(starts)),
                Kind = NotificationKind.MeetingPreparationReminder,
                DueAt = due,
                Title = $"Prepare the meeting with {profile.Name}" + (subject.Length > 0 ? $": {subject}" : string.Empty),
                SkipWhenLateAfter = untilMeeting > OnTimeTolerance ? untilMeeting : OnTimeTolerance, // Useless once the meeting began.
                Attendees = state.ContactIds,
                Fields = fields.With(("meeting_location", Text(state.Location ?? string.Empty))),
                Invite = Invite(state, run, CurrentSequence(state)),
            };
        }

        if (EndedBeforeKnown(state))
        {
            yield break; // A CRM update of a past meeting (its outcome is usually recorded with it), not a meeting to follow.
        }

        var first = kam.OnOrAfter(kam.DateOf(ends).PlusDays(1)); // The next business morning after the meeting.
        var second = kam.BusinessDaysAfter(first, run.Options.Meetings.OutcomeReminderBusinessDays);
        foreach (var (number, dueAt) in new[] { (1, first), (2, second) })
        {
            yield return new PlanItem
            {
                Id = OutcomeId(state, number),
                Kind = NotificationKind.MeetingOutcomeNotRecorded,
                DueAt = dueAt,
                Title = $"Record the outcome of the meeting with {profile.Name} on {Iso(kam.DateOf(starts))}",
                IsTask = true,
                Fields = fields.With(("reminder_number", Number(number))),
            };
        }
    }

    /// <summary>The meeting in the KAM's calendar: one UID per meeting, so each version replaces the one before.</summary>
    private static CalendarInvite Invite(MeetingState state, WorkflowRun run, int sequence)
    {
        var (starts, ends, subject, name) = (state.StartsAt!.Value, state.EndsAt!.Value, state.Subject ?? string.Empty, run.Profile!.Name);
        return new CalendarInvite(
            Uid: state.Key,
            Summary: subject.Length > 0 ? $"{name}: {subject}" : name,
            Start: run.Kam.ToLocal(starts),
            Duration: ends > starts ? ends - starts : run.InviteDuration,
            TimeZone: run.Kam.TimeZone,
            Description: $"Meeting {state.ObjectId} with {name}.",
            Location: state.Location,
            Sequence: sequence);
    }

    /// <summary>
    /// A cancelled meeting whose invite went out: the KAM's notice as soon as KamFlows hears of it — at once, not at the
    /// next business moment, since the calendar must be cleared before the meeting — with the invite withdrawn (same UID,
    /// the last sequence sent + 1). None when no invite went out, none when the cancellation is heard of only at or after
    /// the start, and none sent once the start has passed (e.g. held by a catch-up until then).
    /// </summary>
    private static PlanItem? CancellationNotice(MeetingState state, WorkflowRun run)
    {
        if (state.CancelledAt is not { } cancelled || state.InviteSequenceSent is not { } sent || state.LoggedAt is not null)
        {
            return null;
        }

        var starts = state.StartsAt!.Value;
        var id = Id(state.Key, NotificationKind.MeetingCancelledNotice, Cancelled);
        var due = state.CancellationHeardAt is { } heard && heard > cancelled ? heard : cancelled;
        if (due >= starts || (run.Now >= starts && !state.WasFired(id)))
        {
            return null;
        }

        var subject = state.Subject ?? string.Empty;
        return new PlanItem
        {
            Id = id,
            Kind = NotificationKind.MeetingCancelledNotice,
            DueAt = due,
            Title = $"Meeting with {run.Profile!.Name} cancelled" + (subject.Length > 0 ? $": {subject}" : string.Empty),
            Fields = Of(
                ("meeting_id", Text(state.ObjectId)),
                ("meeting_at", Instant(run.Kam.ToLocal(starts))),
                ("meeting_subject", Text(subject)),
                ("cancellation_reason", Text(state.CancellationReason ?? string.Empty))),
            Invite = Invite(state, run, SequenceFor(state.CancellationHeardAt ?? cancelled, sent)) with { Cancelled = true },
        };
    }

    /// <summary>
    /// A meeting moved after its invite went out: the KAM's notice as soon as KamFlows hears of it (at once, even at night,
    /// for the cancellation's reason: the calendar must not keep the old time), from the time the calendar shows to the new
    /// one, with the invite updated (the current version's sequence, which the later preparation for the new date carries
    /// too). One per move that leaves the calendar wrong: several moves before it goes out give one, with the latest time;
    /// none when moved back to the time the calendar shows, none heard at or after the new start, none sent once it passed.
    /// </summary>
    private static PlanItem? MovedNotice(MeetingState state, WorkflowRun run)
    {
        if (!run.Options.MeetingMovedNotices || state.InvitedStartsAt is not { } from || state.MovedHeardAt is not { } heard)
        {
            return null;
        }

        var id = Id(state.Key, NotificationKind.MeetingMovedNotice, Moved, state.Moves.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var starts = state.StartsAt!.Value;
        if (state.WasFired(id))
        {
            return null; // Sent: the calendar now shows this time (InvitedStartsAt), so there is nothing more to say about this move.
        }

        if ((from == starts && state.InvitedEndsAt == state.EndsAt) || heard >= starts || run.Now >= starts)
        {
            return null;
        }

        var subject = state.Subject ?? string.Empty;
        return new PlanItem
        {
            Id = id,
            Kind = NotificationKind.MeetingMovedNotice,
            DueAt = heard,
            Title = $"Meeting with {run.Profile!.Name} moved" + (subject.Length > 0 ? $": {subject}" : string.Empty),
            Fields = Of(
                ("meeting_id", Text(state.ObjectId)),
                ("meeting_at", Instant(run.Kam.ToLocal(starts))),
                ("previous_meeting_at", Instant(run.Kam.ToLocal(from))),
                ("meeting_subject", Text(subject)),
                ("meeting_location", Text(state.Location ?? string.Empty))),
            Invite = Invite(state, run, CurrentSequence(state)),
        };
    }

    /// <summary>The invite sequence of the version heard at <paramref name="heard"/>: seconds since 2020, and always above <paramref name="above"/>.</summary>
    internal static int SequenceFor(DateTimeOffset heard, int? above)
    {
        var seconds = (int)Math.Floor((heard - SequenceEpoch).TotalSeconds);
        return above is { } previous && previous >= seconds ? previous + 1 : seconds; // Two versions in one second: still increasing.
    }

    /// <summary>The current version's sequence (set by every schedule applied, so never null once the meeting is known).</summary>
    private static int CurrentSequence(MeetingState state) => state.InviteSequence ?? 0;

    /// <summary>
    /// The preparation's time: the configured business days before the meeting at the reminder time; a meeting scheduled
    /// later than that gets it at once (the next business moment, or at once outside hours when that is after the start);
    /// none for a meeting that has begun before it was known.
    /// </summary>
    internal static DateTimeOffset? PreparationDue(MeetingState state, WorkflowRun run)
    {
        var kam = run.Kam;
        var starts = state.StartsAt!.Value;
        var known = state.ScheduleEventTime!.Value;
        if (known >= starts)
        {
            return null;
        }

        var days = run.Options.Meetings.PrepareBusinessDaysBefore;
        var date = kam.DateOf(starts);
        var due = days == 0 ? kam.OnOrBefore(date) : kam.BusinessDaysBefore(date, days);
        if (due >= starts)
        {
            due = kam.OnOrBefore(date.PlusDays(-1)); // A meeting before the reminder time: the business day before.
        }

        if (due >= known)
        {
            return due;
        }

        var soon = kam.NextBusinessMoment(known);
        return soon < starts ? soon : known;
    }

    /// <summary>The meeting had ended when this instance first heard of it (e.g. re-sent after it was logged and this instance ended).</summary>
    private static bool EndedBeforeKnown(MeetingState state) => state.ScheduledAt >= state.EndsAt;

    private static string OutcomeId(MeetingState state, int number) =>
        Id(state.Key, NotificationKind.MeetingOutcomeNotRecorded, Outcome, Stamp(state.EndsAt!.Value), number.ToString(System.Globalization.CultureInfo.InvariantCulture));

    protected override bool IsTaskOpen(MeetingState state, string id, FiredAction task, WorkflowRun run) =>
        state.CancelledAt is null && state.LoggedAt is null;

    /// <summary>Records the invite that went out (its sequence, the one a cancellation must supersede, and the time it shows).</summary>
    protected override void OnFired(MeetingState state, PlanItem item, FiredAction fired, WorkflowRun run)
    {
        if (item.Invite is { Cancelled: false } invite && FiredOutcomes.Delivered(fired.Outcome))
        {
            state.InviteSequenceSent = Math.Max(invite.Sequence, state.InviteSequenceSent ?? invite.Sequence);
            (state.InvitedStartsAt, state.InvitedEndsAt) = (state.StartsAt, state.EndsAt); // The plan was computed from this state just before.
        }
    }

    protected override string? Finished(MeetingState state, WorkflowRun run) =>
        state.CancelledAt is not null ? (CancellationNotice(state, run) is { } notice && !state.WasFired(notice.Id) ? null : "cancelled")
        : state.LoggedAt is not null ? "outcome-recorded"
        : EndedBeforeKnown(state) ? "ended-before-scheduled"
        : state.Fired.ContainsKey(OutcomeId(state, 2)) ? "outcome-not-recorded"
        : null;
}
