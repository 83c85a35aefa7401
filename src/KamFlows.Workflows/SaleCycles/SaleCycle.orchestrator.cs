// Long sale cycles (DOMAIN.md, seed 000): stage age and meeting cadence, never call counts. The KAM is reminded of
// the next meaningful step (agreed at a meeting, or the stage's usual one when the cadence lapses); no stage change or
// meeting for the stall period alerts the KAM, and the head when it lasts. Won or lost ends it.
using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
using KamFlows.Domain.Sales;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using NodaTime;
using static KamFlows.Workflows.Common.TemplateFields;

namespace KamFlows.Workflows.SaleCycles;

/// <summary>One instance per opportunity (<c>opportunity:{id}</c>).</summary>
public sealed class SaleCycle : KamWorkflow<SaleCycleState>
{
    protected override bool IsStarted(SaleCycleState state) => state.Name is not null;

    protected override EventDisposition Apply(SaleCycleState state, CanonicalEvent canonicalEvent, WorkflowRun run)
    {
        var at = canonicalEvent.Time.ToDateTimeOffset();
        switch (canonicalEvent.Data)
        {
            case OpportunityUpserted d when Matches(state, d.OpportunityId):
                var started = IsStarted(state);
                state.Name = d.Name;
                if (!started)
                {
                    state.Stage = WireName.Of(d.Stage);
                    state.StageEnteredAt = at;
                    state.Closed = d.Stage.IsClosed();
                    return EventDisposition.Applied;
                }

                return ChangeStage(state, d.Stage, at) ? EventDisposition.Applied : EventDisposition.Ignored;
            case OpportunityStageChanged d when Matches(state, d.OpportunityId):
                if (!IsStarted(state))
                {
                    return EventDisposition.Held;
                }

                return ChangeStage(state, d.Stage, at) ? EventDisposition.Applied : EventDisposition.Ignored;
            case MeetingLogged d when d.OpportunityId is { } oid && Matches(state, oid):
                if (!IsStarted(state))
                {
                    return EventDisposition.Held;
                }

                var heldAt = d.HeldAt.ToDateTimeOffset();
                state.Meetings++;
                if (state.LastMeetingAt is { } last && last >= heldAt)
                {
                    return EventDisposition.Applied; // An older meeting logged late: counted, but it does not move the cadence back.
                }

                state.LastMeetingAt = heldAt;
                if (d.NextStep is { Length: > 0 } step)
                {
                    state.NextStep = step;
                    state.NextStepDue = d.NextStepDue?.ToDateOnly();
                    state.NextStepMeetingId = d.MeetingId;
                }

                return EventDisposition.Applied;
            case ContractSigned d when d.OpportunityId is { } oid && Matches(state, oid):
                if (!IsStarted(state))
                {
                    return EventDisposition.Held;
                }

                return ChangeStage(state, OpportunityStage.Won, at) ? EventDisposition.Applied : EventDisposition.Ignored;
            default:
                return EventDisposition.Ignored; // Proposals and tenders of the deal are followed by their own workflows.
        }
    }

    private static bool Matches(SaleCycleState state, string opportunityId) => state.Key.EndsWith(":" + opportunityId, StringComparison.Ordinal);

    private static bool ChangeStage(SaleCycleState state, OpportunityStage stage, DateTimeOffset at)
    {
        var wire = WireName.Of(stage);
        if (wire == state.Stage || state.Closed)
        {
            return false;
        }

        state.Stage = wire;
        state.StageEnteredAt = at;
        state.Closed = stage.IsClosed();
        return true;
    }

    protected override IEnumerable<PlanItem> Plan(SaleCycleState state, WorkflowRun run)
    {
        if (state.Closed)
        {
            yield break;
        }

        var options = run.Options.SaleCycle;
        var kam = run.Kam;
        var id = state.Key[(state.Key.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var progress = state.LastProgressAt;
        var since = "since-" + Stamp(progress);
        var progressDate = kam.DateOf(progress);
        var stageDate = kam.DateOf(state.StageEnteredAt);
        var fields = Of(("opportunity_id", Text(id)), ("opportunity_name", Text(state.Name!)), ("stage", Text(state.Stage)));

        var agreed = state.NextStep is not null && state.NextStepDue is { } d && state.LastMeetingAt is { } met && kam.DateOf(met) <= d.ToLocalDate()
            ? d.ToLocalDate() : (LocalDate?)null;
        if (agreed is { } stepDue && state.NextStepMeetingId is { } meetingId)
        {
            var due = options.NextStepReminderBusinessDaysBefore == 0 ? kam.OnOrBefore(stepDue) : kam.BusinessDaysBefore(stepDue, options.NextStepReminderBusinessDaysBefore);
            yield return NextStep(state, kam, fields, "step-" + meetingId, due, state.NextStep!, stepDue, stageDate, run);
        }

        // Meeting cadence: without progress for the cadence period (and after any agreed step's date), the next meaningful step.
        var cadenceDate = progressDate.PlusDays(options.MeetingCadenceDays);
        if (agreed is { } a && a >= cadenceDate)
        {
            cadenceDate = a.PlusDays(1);
        }

        var suggested = agreed is null && state.NextStep is { } open && state.NextStepDue is null
            ? open
            : options.StageNextStepsOrDefault.GetValueOrDefault(state.Stage) ?? "Agree the next meeting with the decision maker";
        var cadenceDue = kam.OnOrAfter(cadenceDate);
        yield return NextStep(state, kam, fields, "cadence-" + since, cadenceDue, suggested, kam.DateOf(cadenceDue), stageDate, run);

        var stalledDate = progressDate.PlusDays(options.StallDays);
        var stallId = Id(state.Key, NotificationKind.DealStalled, since);
        var lastMeetingOn = state.LastMeetingAt is { } lm ? Date(kam.DateOf(lm)) : TemplateValue.OfUnknown(TemplateValueKind.Date); // No meeting held: none is claimed.
        var stalledDue = kam.OnOrAfter(stalledDate);
        yield return new PlanItem
        {
            Id = stallId,
            Kind = NotificationKind.DealStalled,
            DueAt = stalledDue,
            Title = $"Deal {state.Name} stalled: no stage change or meeting since {Iso(progressDate)}",
            Fields = fields.With(
                ("days_without_progress", Number(Period.DaysBetween(progressDate, kam.DateOf(stalledDue)))),
                ("last_meeting_on", lastMeetingOn)),
        };

        if (state.WasDelivered(stallId))
        {
            var escalationDue = run.Head.OnOrAfter(stalledDate.PlusDays(options.StallEscalationDays));
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.DealStalledEscalation, since),
                Kind = NotificationKind.DealStalledEscalation,
                Audience = RecipientRole.Head,
                DueAt = escalationDue,
                Title = $"Deal {state.Name} still stalled since {Iso(progressDate)}",
                Fields = fields.With(("days_without_progress", Number(Period.DaysBetween(progressDate, run.Head.DateOf(escalationDue))))),
            };
        }
    }

    private static PlanItem NextStep(SaleCycleState state, RecipientCalendar kam, IReadOnlyDictionary<string, TemplateValue> fields, string occurrence,
        DateTimeOffset due, string step, LocalDate dueOn, LocalDate stageDate, WorkflowRun run) => new()
        {
            Id = Id(state.Key, NotificationKind.SaleCycleNextStep, occurrence),
            Kind = NotificationKind.SaleCycleNextStep,
            DueAt = due,
            Title = $"Next step on {state.Name}: {step}",
            SkipWhenLateAfter = run.ReminderGrace,
            Fields = fields.With(
                ("next_step", Text(step)),
                ("due_on", Date(dueOn)),
                ("days_in_stage", Number(Math.Max(0, Period.DaysBetween(stageDate, kam.DateOf(due)))))),
        };

    protected override string? Finished(SaleCycleState state, WorkflowRun run) => state.Closed ? state.Stage : null;
}
