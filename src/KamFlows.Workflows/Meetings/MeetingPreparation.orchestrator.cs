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
public sealed partial class MeetingPreparation : KamWorkflow<MeetingState>
{
    internal const string Prepare = "prepare";
    internal const string Outcome = "outcome";
    internal const string Cancelled = "cancelled";
    internal const string Moved = "moved";

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
        var starts = state.StartsAt!.Value;
        var ends = state.EndsAt!.Value;
        var fields = MeetingFields(state, run);

        if (PreparationDue(state, run) is { } due)
        {
            var untilMeeting = starts - due;
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.MeetingPreparationReminder, Prepare, Stamp(starts)),
                Kind = NotificationKind.MeetingPreparationReminder,
                DueAt = due,
                Title = WithSubject($"Prepare the meeting with {profile.Name}", state),
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
