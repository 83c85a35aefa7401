// Tender preparation (DOMAIN.md "Tenders", seed 001): milestones from T−270 days to T, each at the reminder time on
// its day (or the business day before). Milestones already past when the tender is registered, or when T moves,
// are reported once in one overdue report, never as a burst; future ones move with T, done ones stay done.
using System.Globalization;
using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using NodaTime;
using static KamFlows.Workflows.Common.TemplateFields;

namespace KamFlows.Workflows.Tenders;

/// <summary>One instance per tender (<c>tender:{id}</c>).</summary>
public sealed class TenderPreparation : KamWorkflow<TenderState>
{
    internal const string Registration = "registration";

    protected override bool IsStarted(TenderState state) => state.RegisteredAt is not null;

    protected override EventDisposition Apply(TenderState state, CanonicalEvent canonicalEvent, WorkflowRun run)
    {
        switch (canonicalEvent.Data)
        {
            case TenderAnnounced d when Matches(state, d.TenderId):
                if (!IsStarted(state))
                {
                    state.Title = d.Title;
                    state.TenderDate = d.TenderDate.ToDateOnly();
                    state.ResultExpectedOn = d.ResultExpectedOn?.ToDateOnly();
                    state.RegisteredAt = run.Now;
                    state.Milestones = [.. run.Options.TenderPreparation.MilestonesOrDefault.Select(m => new TenderMilestoneState
                    {
                        Code = m.Code, Title = m.Title, DaysBeforeTender = m.DaysBeforeTender, ScheduleKnownAt = run.Now, Occurrence = Registration,
                    })];
                    return EventDisposition.Applied;
                }

                state.Title = d.Title;
                return d.TenderDate.ToDateOnly() != state.TenderDate && state.Outcome is null
                    ? Move(state, d.TenderDate.ToDateOnly(), run)
                    : EventDisposition.Ignored;
            case TenderDateChanged d when Matches(state, d.TenderId):
                if (!IsStarted(state))
                {
                    return EventDisposition.Held;
                }

                return d.TenderDate.ToDateOnly() != state.TenderDate && state.Outcome is null
                    ? Move(state, d.TenderDate.ToDateOnly(), run)
                    : EventDisposition.Ignored;
            case TenderResult d when Matches(state, d.TenderId):
                if (!IsStarted(state))
                {
                    return EventDisposition.Held;
                }

                if (state.Outcome is not null)
                {
                    return EventDisposition.Ignored;
                }

                state.Outcome = WireName.Of(d.Outcome);
                state.OutcomeAt = run.Now;
                return EventDisposition.Applied;
            default:
                return EventDisposition.Ignored;
        }
    }

    private static bool Matches(TenderState state, string tenderId) => state.IsFor(tenderId);

    private static EventDisposition Move(TenderState state, DateOnly tenderDate, WorkflowRun run)
    {
        var shift = tenderDate.DayNumber - state.TenderDate.DayNumber;
        state.PreviousTenderDate = state.TenderDate;
        state.TenderDate = tenderDate;
        state.ResultExpectedOn = state.ResultExpectedOn?.AddDays(shift);
        state.Moves++;
        state.MovedAt = run.Now;
        foreach (var m in state.Milestones.Where(m => !IsDone(state, m)))
        {
            m.ScheduleKnownAt = run.Now;
            m.Occurrence = "move-" + state.Moves.ToString(CultureInfo.InvariantCulture);
        }

        return EventDisposition.Applied;
    }

    private static string MilestoneId(TenderState state, TenderMilestoneState m) => Id(state.Key, NotificationKind.TenderMilestoneDue, m.Code);

    private static bool IsDone(TenderState state, TenderMilestoneState m) => m.ReportedOverdue || state.WasFired(MilestoneId(state, m));

    private static DateTimeOffset DueOf(TenderState state, TenderMilestoneState m, WorkflowRun run) =>
        run.Kam.OnOrBefore(state.TenderDate.ToLocalDate().PlusDays(-m.DaysBeforeTender));

    /// <summary>Milestones not done whose date was already past when it became known, by the report they belong to.</summary>
    private static IEnumerable<IGrouping<string, TenderMilestoneState>> OverdueGroups(TenderState state, WorkflowRun run) =>
        state.Milestones.Where(m => !IsDone(state, m) && DueOf(state, m, run) < m.ScheduleKnownAt).GroupBy(m => m.Occurrence);

    protected override IEnumerable<PlanItem> Plan(TenderState state, WorkflowRun run)
    {
        var kam = run.Kam;
        var id = state.ObjectId;
        var title = state.Title ?? id;
        var fields = Of(("tender_id", Text(id)), ("tender_title", Text(title)), ("tender_date", Date(state.TenderDate)));
        if (state.Outcome is { } outcome)
        {
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.TenderResultFollowUp, outcome),
                Kind = NotificationKind.TenderResultFollowUp,
                DueAt = kam.NextBusinessMoment(state.OutcomeAt!.Value),
                Title = outcome == "won" ? $"Tender {title} won: kick-off and reference plan" : $"Tender {title} {outcome}: debrief with the client",
                Fields = fields.With(("outcome", Text(outcome))),
            };
            yield break;
        }

        foreach (var m in state.Milestones)
        {
            var due = DueOf(state, m, run);
            if (IsDone(state, m) || due < m.ScheduleKnownAt)
            {
                continue;
            }

            yield return new PlanItem
            {
                Id = MilestoneId(state, m),
                Kind = NotificationKind.TenderMilestoneDue,
                DueAt = due,
                Title = $"Tender {title}: {m.Title}",
                Fields = fields.With(("milestone", Text(m.Code)), ("milestone_title", Text(m.Title)), ("due_on", Date(kam.DateOf(due)))),
                Invite = new CalendarInvite(
                    Uid: $"{state.Key}|{m.Code}",
                    Summary: $"{title}: {m.Title}",
                    Start: kam.ToLocal(due),
                    Duration: run.InviteDuration,
                    TimeZone: kam.TimeZone,
                    Description: $"Tender {title} ({id}) is due on {Iso(state.TenderDate)}."),
            };
        }

        foreach (var group in OverdueGroups(state, run))
        {
            var knownAt = group.Max(m => m.ScheduleKnownAt);
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.TenderMilestonesOverdue, group.Key),
                Kind = NotificationKind.TenderMilestonesOverdue,
                DueAt = kam.NextBusinessMoment(knownAt),
                Title = $"Tender {title}: {group.Count()} milestone(s) already past",
                Fields = fields.With(("overdue_milestones", Milestones(group, m => kam.DateOf(DueOf(state, m, run))))),
            };
        }

        if (state.Moves > 0 && state.MovedAt is { } movedAt && state.PreviousTenderDate is { } previous)
        {
            var moved = Milestones(state.Milestones.Where(m => !IsDone(state, m) && DueOf(state, m, run) >= m.ScheduleKnownAt), m => kam.DateOf(DueOf(state, m, run)));
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.TenderDateMoved, "move-" + state.Moves.ToString(CultureInfo.InvariantCulture)),
                Kind = NotificationKind.TenderDateMoved,
                DueAt = kam.NextBusinessMoment(movedAt),
                Title = $"Tender {title} moved from {Iso(previous)} to {Iso(state.TenderDate)}",
                Fields = fields.With(("previous_tender_date", Date(previous)), ("moved_milestones", moved)),
            };
        }
    }

    protected override void OnFired(TenderState state, PlanItem item, FiredAction fired, WorkflowRun run)
    {
        if (item.Kind != NotificationKind.TenderMilestonesOverdue)
        {
            return;
        }

        foreach (var group in OverdueGroups(state, run).Where(g => item.Id == Id(state.Key, NotificationKind.TenderMilestonesOverdue, g.Key)).ToList())
        {
            foreach (var m in group)
            {
                m.ReportedOverdue = true;
            }
        }
    }

    protected override string? Finished(TenderState state, WorkflowRun run)
    {
        if (state.Outcome is { } outcome)
        {
            return state.WasFired(Id(state.Key, NotificationKind.TenderResultFollowUp, outcome)) ? outcome : null;
        }

        return run.Now >= ResultDeadline(state, run) ? "no-result" : null;
    }

    protected override DateTimeOffset? NextDeadline(TenderState state, WorkflowRun run) => state.Outcome is null ? ResultDeadline(state, run) : null;

    private static DateTimeOffset ResultDeadline(TenderState state, WorkflowRun run) =>
        new DateTimeOffset((state.ResultExpectedOn ?? state.TenderDate).AddDays(run.Options.TenderPreparation.ResultWaitDays).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>Milestones as rows (code, configured title, date): templates word them in the recipient's language.</summary>
    private static TemplateValue Milestones(IEnumerable<TenderMilestoneState> milestones, Func<TenderMilestoneState, LocalDate> dueOn) =>
        TemplateValue.OfTable(milestones.Select(m => (IReadOnlyDictionary<string, TemplateValue>)new Dictionary<string, TemplateValue>(StringComparer.Ordinal)
        {
            ["milestone"] = Text(m.Code),
            ["title"] = Text(m.Title),
            ["due_on"] = Date(dueOn(m)),
        }));
}
