// The KAM's calendar invite for a meeting and the notices that change it at once. Invariants: one UID per meeting (its
// instance key); invite sequences only grow, within an instance and across instances of the same meeting (each version's
// is derived from the orchestration time it was heard, never from anything outside the workflow); a withdrawal or an
// update is sent only when an invite went out (InviteSequenceSent, InvitedStartsAt: recorded when it fired) and only
// before the meeting starts; their ids are fixed (the cancellation) or carry the move's number, so each goes out once.
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using static KamFlows.Workflows.Common.TemplateFields;

namespace KamFlows.Workflows.Meetings;

public sealed partial class MeetingPreparation
{
    /// <summary>Invite sequences count seconds since this instant: RFC 5545 allows any increasing integer, and an int holds them until 2088.</summary>
    private static readonly DateTimeOffset SequenceEpoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

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

    /// <summary>What every mail about the meeting names: its id, its start in the KAM's zone and its subject.</summary>
    private static Dictionary<string, TemplateValue> MeetingFields(MeetingState state, WorkflowRun run) => Of(
        ("meeting_id", Text(state.ObjectId)),
        ("meeting_at", Instant(run.Kam.ToLocal(state.StartsAt!.Value))),
        ("meeting_subject", Text(state.Subject ?? string.Empty)));

    /// <summary>A plan title with the meeting's subject after it, when it has one.</summary>
    private static string WithSubject(string title, MeetingState state) =>
        state.Subject is { Length: > 0 } subject ? $"{title}: {subject}" : title;

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

        return new PlanItem
        {
            Id = id,
            Kind = NotificationKind.MeetingCancelledNotice,
            DueAt = due,
            Title = WithSubject($"Meeting with {run.Profile!.Name} cancelled", state),
            Fields = MeetingFields(state, run).With(("cancellation_reason", Text(state.CancellationReason ?? string.Empty))),
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

        return new PlanItem
        {
            Id = id,
            Kind = NotificationKind.MeetingMovedNotice,
            DueAt = heard,
            Title = WithSubject($"Meeting with {run.Profile!.Name} moved", state),
            Fields = MeetingFields(state, run).With(
                ("previous_meeting_at", Instant(run.Kam.ToLocal(from))),
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
}
