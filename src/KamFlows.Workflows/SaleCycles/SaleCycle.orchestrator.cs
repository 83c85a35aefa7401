// Long sale cycles (DOMAIN.md, seed 000): stage age and meeting cadence, never call counts. The KAM is reminded of
// the next meaningful step (agreed at a meeting, or the stage's usual one when the cadence lapses). A deal is stalled
// only against its own pace: no stage change or meeting for its threshold (the longer of StallDays and 1.5 × its median
// gap between meetings), counted from its last progress or, when a next step was agreed, from that step's date. The
// KAM is alerted; the head only when that alert went unanswered and no next step exists. Won or lost ends it, and the
// deal's proposals are told (an event sent to each), so nothing about the deal fires afterwards.
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
    internal const string TellProposals = "tell-proposals";

    protected override bool IsStarted(SaleCycleState state) => state.Name is not null;

    protected override EventDisposition Apply(SaleCycleState state, CanonicalEvent canonicalEvent, WorkflowRun run)
    {
        var at = canonicalEvent.Time.ToDateTimeOffset();
        switch (canonicalEvent.Data)
        {
            case OpportunityUpserted d when Matches(state, d.OpportunityId):
                var started = IsStarted(state);
                state.Name = d.Name;
                state.ExpectedCloseDate = d.ExpectedCloseDate?.ToDateOnly() ?? state.ExpectedCloseDate;
                if (!started)
                {
                    state.OpenedAt = at;
                    state.Stage = WireName.Of(d.Stage);
                    state.StageEnteredAt = at;
                    state.Closed = d.Stage.IsClosed();
                    RememberClosing(state, canonicalEvent);
                    return EventDisposition.Applied;
                }

                return ChangeStage(state, d.Stage, at, canonicalEvent) ? EventDisposition.Applied : EventDisposition.Ignored;
            case OpportunityStageChanged d when Matches(state, d.OpportunityId):
                if (!IsStarted(state))
                {
                    return EventDisposition.Held;
                }

                return ChangeStage(state, d.Stage, at, canonicalEvent) ? EventDisposition.Applied : EventDisposition.Ignored;
            case MeetingLogged d when d.OpportunityId is { } oid && Matches(state, oid):
                if (!IsStarted(state))
                {
                    return EventDisposition.Held;
                }

                var heldAt = d.HeldAt.ToDateTimeOffset();
                state.Meetings++;
                state.MeetingsHeld[d.MeetingId] = heldAt;
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

                return ChangeStage(state, OpportunityStage.Won, at, canonicalEvent) ? EventDisposition.Applied : EventDisposition.Ignored;
            case ProposalSent d when d.OpportunityId is { } oid && Matches(state, oid) && run.Options.Issue14Rules:
                return RememberProposal(state, d.ProposalId);
            case ProposalDrafted d when d.OpportunityId is { } oid && Matches(state, oid) && run.Options.Issue14Rules:
                return RememberProposal(state, d.ProposalId);
            default:
                return EventDisposition.Ignored; // Proposals and tenders of the deal are followed by their own workflows.
        }
    }

    private static bool Matches(SaleCycleState state, string opportunityId) => state.IsFor(opportunityId);

    private static bool ChangeStage(SaleCycleState state, OpportunityStage stage, DateTimeOffset at, CanonicalEvent canonicalEvent)
    {
        var wire = WireName.Of(stage);
        if (wire == state.Stage || state.Closed)
        {
            return false;
        }

        state.Stage = wire;
        state.StageEnteredAt = at;
        state.Closed = stage.IsClosed();
        RememberClosing(state, canonicalEvent);
        return true;
    }

    /// <summary>The event that won or lost the deal is what its proposals receive: they apply it as any canonical event.</summary>
    private static void RememberClosing(SaleCycleState state, CanonicalEvent canonicalEvent)
    {
        if (state.Closed)
        {
            state.ClosingEventJson = CanonicalEventJson.Serialize(canonicalEvent);
        }
    }

    private static EventDisposition RememberProposal(SaleCycleState state, string proposalId)
    {
        if (state.Proposals.Contains(proposalId))
        {
            return EventDisposition.Ignored;
        }

        state.Proposals.Add(proposalId);
        return EventDisposition.Applied;
    }

    protected override IEnumerable<PlanItem> Plan(SaleCycleState state, WorkflowRun run)
    {
        if (state.Closed)
        {
            if (state.Proposals.Count > 0 && state.ClosingEventJson is not null && run.Options.Issue14Rules)
            {
                yield return new PlanItem
                {
                    Id = string.Join('|', state.Key, TellProposals, state.Stage),
                    Internal = TellProposals,
                    DueAt = state.StageEnteredAt,
                    Title = $"Tell the proposals of {state.Name} that the deal is {state.Stage}",
                    Projected = false,
                };
            }

            yield break;
        }

        var options = run.Options.SaleCycle;
        var kam = run.Kam;
        var id = state.ObjectId;
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
            : options.StageNextStepsOrDefault.GetValueOrDefault(state.Stage) ?? SaleCycleOptions.GenericNextStep;
        var cadenceDue = kam.OnOrAfter(cadenceDate);
        yield return NextStep(state, kam, fields, "cadence-" + since, cadenceDue, suggested, kam.DateOf(cadenceDue), stageDate, run);

        // Stalled against the deal's own pace, and never while an agreed next step is ahead (nor within the threshold after it).
        var issue14 = run.Options.Issue14Rules; // Executions recorded before issue 14: 45 days from the last progress, as then.
        var threshold = issue14 ? StallThresholdDays(state, options) : options.StallDays;
        var onTrackUntil = issue14 && agreed is { } step && step > progressDate ? step : progressDate;
        var stalledDate = onTrackUntil.PlusDays(threshold);
        var stallId = Id(state.Key, NotificationKind.DealStalled, since);
        var progressFacts = ProgressFacts(state, kam);
        var stalledDue = kam.OnOrAfter(stalledDate);
        yield return new PlanItem
        {
            Id = stallId,
            Kind = NotificationKind.DealStalled,
            DueAt = stalledDue,
            Title = $"Deal {state.Name} stalled: no stage change or meeting since {Iso(progressDate)}",
            Fields = fields.With(
                [("days_without_progress", Number(Period.DaysBetween(progressDate, kam.DateOf(stalledDue)))), .. progressFacts]),
        };

        // The head hears of it only when the KAM's alert went unanswered: no progress since (a meeting or a stage change
        // changes `since`, so this item is gone). No agreed next step can still be ahead then: the alert itself comes only
        // after that step's date plus the threshold.
        var escalationDue = run.Head.OnOrAfter(stalledDate.PlusDays(options.StallEscalationDays));
        if (state.WasDelivered(stallId))
        {
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.DealStalledEscalation, since),
                Kind = NotificationKind.DealStalledEscalation,
                Audience = RecipientRole.Head,
                DueAt = escalationDue,
                Title = $"Deal {state.Name} still stalled since {Iso(progressDate)}",
                Fields = fields.With([("days_without_progress", Number(Period.DaysBetween(progressDate, run.Head.DateOf(escalationDue)))), .. progressFacts]),
            };
        }
    }

    /// <summary>
    /// What the stall texts may claim, each only when it is true: the last meeting's date (unknown when none was logged),
    /// the date of the last stage change (unknown when the deal is still in the stage it was registered with) and the date
    /// the deal was registered (unknown for deals registered before it was kept).
    /// </summary>
    internal static (string Key, TemplateValue Value)[] ProgressFacts(SaleCycleState state, RecipientCalendar kam)
    {
        var unknown = TemplateValue.OfUnknown(TemplateValueKind.Date);
        var stageChanged = state.OpenedAt is not { } opened || state.StageEnteredAt != opened;
        return
        [
            ("last_meeting_on", state.LastMeetingAt is { } met ? Date(kam.DateOf(met)) : unknown),
            ("stage_since", stageChanged ? Date(kam.DateOf(state.StageEnteredAt)) : unknown),
            ("registered_on", state.OpenedAt is { } registered ? Date(kam.DateOf(registered)) : unknown),
        ];
    }

    /// <summary>
    /// Days without progress after which the deal is stalled: the longer of <see cref="SaleCycleOptions.StallDays"/> and
    /// <see cref="SaleCycleOptions.StallCadenceFactor"/> × the deal's median gap between meetings. Before it has two
    /// meetings, the gap is estimated from its expected close date (<see cref="SaleCycleOptions.ExpectedMeetingsPerCycle"/>).
    /// </summary>
    internal static int StallThresholdDays(SaleCycleState state, SaleCycleOptions options)
    {
        var dates = state.MeetingsHeld.Values.Select(m => DateOnly.FromDateTime(m.UtcDateTime)).Distinct().Order().ToList();
        var gaps = dates.Zip(dates.Skip(1), (a, b) => (decimal)(b.DayNumber - a.DayNumber)).Order().ToList();
        decimal? cadence = gaps.Count > 0
            ? (gaps.Count % 2 == 1 ? gaps[gaps.Count / 2] : (gaps[(gaps.Count / 2) - 1] + gaps[gaps.Count / 2]) / 2m)
            : EstimatedGapDays(state, options);
        var adapted = cadence is { } c ? (int)Math.Ceiling(c * options.StallCadenceFactor) : 0;
        return Math.Max(options.StallDays, adapted);
    }

    private static decimal? EstimatedGapDays(SaleCycleState state, SaleCycleOptions options)
    {
        if (options.ExpectedMeetingsPerCycle == 0 || state.ExpectedCloseDate is not { } close || state.OpenedAt is not { } opened)
        {
            return null;
        }

        var days = close.DayNumber - DateOnly.FromDateTime(opened.UtcDateTime).DayNumber;
        return days > 0 ? days / (decimal)options.ExpectedMeetingsPerCycle : null;
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
                ("next_step_code", Text(SaleCycleOptions.BuiltInNextStepCode(step) ?? string.Empty)), // Built-in texts are translated by code.
                ("due_on", Date(dueOn)),
                ("days_in_stage", Number(Math.Max(0, Period.DaysBetween(stageDate, kam.DateOf(due)))))),
        };

    protected override Task<string> RunInternalAsync(SaleCycleState state, PlanItem item, DateTimeOffset sendAt, WorkflowRun run)
    {
        // A proposal's instance that has ended (or never started) drops the event: nothing to tell it.
        foreach (var proposalId in state.Proposals)
        {
            run.Context.SendEvent(BusinessKey.Proposal(proposalId).ToString(), WorkflowCatalog.CanonicalEventName, state.ClosingEventJson!);
        }

        return Task.FromResult(FiredOutcomes.Done);
    }

    protected override string? Finished(SaleCycleState state, WorkflowRun run) =>
        state.Closed && (state.Proposals.Count == 0 || state.ClosingEventJson is null || state.WasFired(string.Join('|', state.Key, TellProposals, state.Stage))) ? state.Stage : null;
}
