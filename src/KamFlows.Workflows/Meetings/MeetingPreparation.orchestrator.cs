// Meetings with the client (DOMAIN.md "Mistakes the product helps avoid", seed 003: late to meetings, unprepared
// negotiations). One instance per meeting: the KAM's preparation the business day before (attendees with their DMU roles
// and attitudes, recent meetings, open complaints and proposals; read by the send activity right before it goes out),
// then, when no outcome is recorded by the next business morning after the meeting, a prompt to record it, once more
// some business days later, and the instance ends. Moved: the reminders move (ids carry the times). Logged: it ends.
// Cancelled: it ends, but when a preparation's invite went out (InviteSequenceSent, recorded when it fired) and the
// meeting has not begun, first the KAM's notice at once with that invite withdrawn (same UID, the next sequence): one
// notice, its id fixed. A proposal's meeting reported as kam.meeting.scheduled is prepared here only (ProposalFollowUp skips its own).
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

    protected override bool IsStarted(MeetingState state) => state.StartsAt is not null;

    protected override EventDisposition Apply(MeetingState state, CanonicalEvent canonicalEvent, WorkflowRun run)
    {
        var at = canonicalEvent.Time.ToDateTimeOffset();
        switch (canonicalEvent.Data)
        {
            case MeetingScheduled d when state.IsFor(d.MeetingId):
                return Schedule(state, d, at);
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

    private static EventDisposition Schedule(MeetingState state, MeetingScheduled d, DateTimeOffset at)
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
            }
        }

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
                Invite = Invite(state, run, state.Moves),
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
            Invite = Invite(state, run, sent + 1) with { Cancelled = true },
        };
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

    /// <summary>Records the sequence of an invite that went out, the one a cancellation must supersede.</summary>
    protected override void OnFired(MeetingState state, PlanItem item, FiredAction fired, WorkflowRun run)
    {
        if (item.Invite is { Cancelled: false } invite && FiredOutcomes.Delivered(fired.Outcome))
        {
            state.InviteSequenceSent = Math.Max(invite.Sequence, state.InviteSequenceSent ?? invite.Sequence);
        }
    }

    protected override string? Finished(MeetingState state, WorkflowRun run) =>
        state.CancelledAt is not null ? (CancellationNotice(state, run) is { } notice && !state.WasFired(notice.Id) ? null : "cancelled")
        : state.LoggedAt is not null ? "outcome-recorded"
        : EndedBeforeKnown(state) ? "ended-before-scheduled"
        : state.Fired.ContainsKey(OutcomeId(state, 2)) ? "outcome-not-recorded"
        : null;
}
