// Complaints (DOMAIN.md, seed 001: after-sale support is the most important part of the work; complaints resolved fast
// and with minimal loss). One instance per complaint: the KAM's task the same business day (at once when the complaint
// arrives in working hours), reminders before the resolution date, the head told when it is overdue, and after the
// resolution a follow-up with the client. Closed (the client confirmed) ends it; without that it ends some time after
// the follow-up. Reference and referral requests of the account wait meanwhile (ReferenceLetter reads open complaints).
using System.Globalization;
using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using static KamFlows.Workflows.Common.TemplateFields;

namespace KamFlows.Workflows.Complaints;

/// <summary>One instance per complaint (<c>complaint:{id}</c>).</summary>
public sealed class ComplaintHandling : KamWorkflow<ComplaintState>
{
    internal const string Received = "received";
    internal const string FollowUp = "follow-up";
    internal const string Overdue = "overdue";

    protected override bool IsStarted(ComplaintState state) => state.OpenedAt is not null;

    protected override EventDisposition Apply(ComplaintState state, CanonicalEvent canonicalEvent, WorkflowRun run)
    {
        var at = canonicalEvent.Time.ToDateTimeOffset();
        switch (canonicalEvent.Data)
        {
            case ComplaintOpened d when Matches(state, d.ComplaintId):
                if (IsStarted(state))
                {
                    return EventDisposition.Ignored;
                }

                state.OpenedAt = at;
                state.Summary = d.Summary;
                return EventDisposition.Applied;
            case ComplaintResolved d when Matches(state, d.ComplaintId):
                if (!IsStarted(state))
                {
                    return EventDisposition.Held;
                }

                if (state.ResolvedAt is not null)
                {
                    return EventDisposition.Ignored;
                }

                state.ResolvedAt = at < state.OpenedAt!.Value ? state.OpenedAt : at;
                state.Resolution = d.Resolution;
                return EventDisposition.Applied;
            case ComplaintClosed d when Matches(state, d.ComplaintId):
                if (!IsStarted(state))
                {
                    return EventDisposition.Held;
                }

                if (state.ClosedAt is not null)
                {
                    return EventDisposition.Ignored;
                }

                state.ClosedAt = at;
                state.ResolvedAt ??= at; // Closed without a separate resolution: resolved then.
                return EventDisposition.Applied;
            default:
                return EventDisposition.Ignored;
        }
    }

    private static bool Matches(ComplaintState state, string complaintId) => state.IsFor(complaintId);

    /// <summary>The date by which the complaint should be resolved (KAM's business days after it was opened).</summary>
    internal static DateTimeOffset ResolveBy(ComplaintState state, WorkflowRun run) =>
        run.Kam.BusinessDaysAfter(state.OpenedAt!.Value, run.Options.ComplaintHandling.ResolutionBusinessDays);

    protected override IEnumerable<PlanItem> Plan(ComplaintState state, WorkflowRun run)
    {
        if (state.ClosedAt is not null)
        {
            yield break;
        }

        var options = run.Options.ComplaintHandling;
        var kam = run.Kam;
        var profile = run.Profile!;
        var id = state.ObjectId;
        var opened = state.OpenedAt!.Value;
        var resolveBy = ResolveBy(state, run);
        var resolveByDate = kam.DateOf(resolveBy);
        var fields = Of(
            ("complaint_id", Text(id)),
            ("complaint_summary", Text(state.Summary ?? string.Empty)),
            ("opened_on", Date(kam.DateOf(opened))),
            ("resolve_by", Date(resolveByDate)));

        yield return new PlanItem
        {
            Id = Id(state.Key, NotificationKind.ComplaintReceived, Received),
            Kind = NotificationKind.ComplaintReceived,
            DueAt = kam.NextBusinessMoment(opened),
            Title = $"Complaint {id} from {profile.Name}: contact the client today and resolve it by {Iso(resolveByDate)}",
            IsTask = true,
            Fields = fields,
        };

        if (state.ResolvedAt is null)
        {
            foreach (var days in options.ReminderBusinessDaysBeforeOrDefault.OrderDescending())
            {
                var due = days == 0 ? kam.OnOrBefore(resolveByDate) : kam.BusinessDaysBefore(resolveByDate, days);
                if (due <= kam.NextBusinessMoment(opened))
                {
                    continue; // Not before the first task.
                }

                yield return new PlanItem
                {
                    Id = Id(state.Key, NotificationKind.ComplaintResolutionReminder, days.ToString(CultureInfo.InvariantCulture) + "bd"),
                    Kind = NotificationKind.ComplaintResolutionReminder,
                    DueAt = due,
                    Title = $"Complaint {id} from {profile.Name} is still open: resolve it by {Iso(resolveByDate)}",
                    SkipWhenLateAfter = run.ReminderGrace,
                    Fields = fields.With(("business_days_left", Number(days))),
                };
            }

            var overdueAt = run.Head.NextBusinessMoment(kam.SameTimeBusinessDaysLater(resolveBy, options.EscalateAfterBusinessDays));
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.ComplaintOverdue, Overdue),
                Kind = NotificationKind.ComplaintOverdue,
                Audience = RecipientRole.Head,
                DueAt = overdueAt,
                Title = $"Complaint {id} from {profile.Name} not resolved by {Iso(resolveByDate)}",
                Fields = fields.With(("overdue_business_days", Number(options.EscalateAfterBusinessDays))),
            };
            yield break;
        }

        var resolved = state.ResolvedAt.Value;
        yield return new PlanItem
        {
            Id = Id(state.Key, NotificationKind.ComplaintFollowUp, FollowUp),
            Kind = NotificationKind.ComplaintFollowUp,
            DueAt = kam.BusinessDaysAfter(resolved, options.FollowUpAfterBusinessDays),
            Title = $"Follow up with {profile.Name} on complaint {id}, resolved on {Iso(kam.DateOf(resolved))}: is the client satisfied?",
            IsTask = true,
            Fields = fields.With(
                ("resolved_on", Date(kam.DateOf(resolved))),
                ("resolution", Text(state.Resolution ?? string.Empty))),
        };
    }

    protected override bool IsTaskOpen(ComplaintState state, string id, FiredAction task, WorkflowRun run) =>
        state.ClosedAt is null && (task.Kind == nameof(NotificationKind.ComplaintReceived) ? state.ResolvedAt is null : task.Kind == nameof(NotificationKind.ComplaintFollowUp));

    protected override string? Finished(ComplaintState state, WorkflowRun run) =>
        state.ClosedAt is not null ? "closed"
        : NextDeadline(state, run) is { } end && run.Now >= end ? "resolved"
        : null;

    protected override DateTimeOffset? NextDeadline(ComplaintState state, WorkflowRun run) =>
        state.ClosedAt is null && state.Fired.TryGetValue(Id(state.Key, NotificationKind.ComplaintFollowUp, FollowUp), out var followUp)
            ? followUp.At.AddDays(run.Options.ComplaintHandling.CloseWaitDays)
            : null;
}
