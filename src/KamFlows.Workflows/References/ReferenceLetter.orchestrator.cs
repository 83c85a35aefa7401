// Reference letters (DOMAIN.md "After the contract", seed 001): a delivery done on time and meeting expectations,
// a settling period with no open complaint → the KAM is asked to request a letter (or the client contact gets the
// request when the account allows it), a follow-up while none arrives, the letter recorded, then a referral request.
// No request, follow-up or referral while any complaint of the account is open (issue 14): complaints about this
// delivery arrive as events; the account's others are read (ReadAccountComplaints) right before each request is due,
// and again every business day while one is open. A complaint opened after asking pauses the follow-ups, which count
// again from its resolution.
// The delivery team's deadline (seed 003, decision rules 3): kam.delivery.scheduled starts the watch before completion —
// "check with the delivery team" some business days before the deadline, "overdue" the business morning after it (a task
// for the KAM, escalated to the head if no completion follows), a notice when the deadline moves. Completion ends the
// watch; a completion after the deadline (or after a deadline that was reported overdue and then moved) is late whatever
// the CRM's on_time says, so no reference letter is asked for. A delivery never scheduled behaves as before.
using System.Globalization;
using KamFlows.Domain.Events.Data;
using KamFlows.Domain.Sales;
using KamFlows.Domain.Events;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Ports;
using KamFlows.Workflows.Notifications;
using static KamFlows.Workflows.Common.TemplateFields;

namespace KamFlows.Workflows.References;

/// <summary>One instance per delivery (<c>delivery:{id}</c>).</summary>
public sealed class ReferenceLetter : KamWorkflow<ReferenceLetterState>
{
    internal const string Ask = "ask";
    internal const string Referral = "referral";
    internal const string ComplaintsCheck = "complaints-check";
    internal const string Overdue = "overdue";

    /// <summary>Completed, or scheduled (its deadline is watched before completion).</summary>
    protected override bool IsStarted(ReferenceLetterState state) => state.CompletedAt is not null || state.DueOn is not null;

    protected override EventDisposition Apply(ReferenceLetterState state, CanonicalEvent canonicalEvent, WorkflowRun run)
    {
        var at = canonicalEvent.Time.ToDateTimeOffset();
        switch (canonicalEvent.Data)
        {
            case DeliveryCompleted d when Matches(state, d.DeliveryId):
                if (state.CompletedAt is not null)
                {
                    return EventDisposition.Ignored;
                }

                state.CompletedAt = at;
                state.OnTime = d.OnTime;
                state.ExpectationsMet = d.ExpectationsMet;
                state.Description = d.Description ?? state.Description; // The schedule's description when the completion has none.
                return EventDisposition.Applied;
            case DeliveryScheduled d when Matches(state, d.DeliveryId):
                return Schedule(state, d, at, run);
            case ComplaintOpened d when d.DeliveryId is { } id && Matches(state, id):
                if (!IsStarted(state))
                {
                    return EventDisposition.Held;
                }

                if (state.OpenComplaints.Contains(d.ComplaintId))
                {
                    return EventDisposition.Ignored;
                }

                state.OpenComplaints.Add(d.ComplaintId);
                if (state.AskedAt is not null && state.LetterReceivedAt is null)
                {
                    state.PausedSince ??= at;
                }

                return EventDisposition.Applied;
            case ComplaintResolved d when d.DeliveryId is { } id && Matches(state, id):
                if (!IsStarted(state))
                {
                    return EventDisposition.Held;
                }

                if (!state.OpenComplaints.Remove(d.ComplaintId) && state.LastComplaintResolvedAt is not null)
                {
                    return EventDisposition.Ignored;
                }

                state.LastComplaintResolvedAt = state.LastComplaintResolvedAt is { } r && r > at ? r : at;
                Resume(state, at);
                return EventDisposition.Applied;
            case ComplaintClosed d when d.DeliveryId is { } id && Matches(state, id):
                if (!IsStarted(state) || !state.OpenComplaints.Remove(d.ComplaintId))
                {
                    return IsStarted(state) ? EventDisposition.Ignored : EventDisposition.Held;
                }

                state.LastComplaintResolvedAt = state.LastComplaintResolvedAt is { } r2 && r2 > at ? r2 : at;
                Resume(state, at);
                return EventDisposition.Applied;
            case ReferenceReceived d when d.DeliveryId is { } id && Matches(state, id):
                if (!IsStarted(state))
                {
                    return EventDisposition.Held;
                }

                if (d.Kind == ReferenceKind.Letter && state.LetterReceivedAt is null)
                {
                    state.LetterReceivedAt = at;
                    state.LetterUrl = d.Url?.ToString();
                    return EventDisposition.Applied;
                }

                if (d.Kind == ReferenceKind.Referral && state.ReferralReceivedAt is null)
                {
                    state.ReferralReceivedAt = at;
                    return EventDisposition.Applied;
                }

                return EventDisposition.Ignored;
            default:
                return EventDisposition.Ignored;
        }
    }

    private static bool Matches(ReferenceLetterState state, string deliveryId) => state.IsFor(deliveryId);

    /// <summary>The deadline set, moved (the KAM is told from and to), or its details updated; ignored once the delivery is done.</summary>
    private static EventDisposition Schedule(ReferenceLetterState state, DeliveryScheduled d, DateTimeOffset at, WorkflowRun run)
    {
        if (!run.Options.SeedRules || state.CompletedAt is not null)
        {
            return EventDisposition.Ignored; // Executions recorded before the seed rules watch no deadline; a done delivery has none.
        }

        var details = (d.Description ?? state.Description, d.TeamLeadName ?? state.TeamLeadName, d.TeamLeadEmail?.Value ?? state.TeamLeadEmail, d.ContractId ?? state.ContractId);
        var changed = details != (state.Description, state.TeamLeadName, state.TeamLeadEmail, state.ContractId);
        (state.Description, state.TeamLeadName, state.TeamLeadEmail, state.ContractId) = details;
        var due = d.DueOn.ToDateOnly();
        if (state.DueOn == due)
        {
            return changed ? EventDisposition.Applied : EventDisposition.Ignored;
        }

        if (state.DueOn is { } previous)
        {
            if (state.Fired.ContainsKey(OverdueId(state, previous)))
            {
                state.MissedDeadlines++; // Rescheduled after it was missed: late, and the new deadline is watched afresh.
            }

            state.PreviousDueOn = previous;
            state.DeadlineMoves++;
        }

        state.DueOn = due;
        state.DueOnSetAt = at;
        return EventDisposition.Applied;
    }

    private static string OverdueId(ReferenceLetterState state, DateOnly dueOn) => Id(state.Key, NotificationKind.DeliveryOverdue, Overdue, Iso(dueOn));

    /// <summary>
    /// Late against the delivery team's deadline (seed rules): completed after the deadline in force (KAM's calendar), or a
    /// deadline was missed and moved. The CRM's on_time cannot make such a delivery one done on time.
    /// </summary>
    private static bool LateAgainstDeadline(ReferenceLetterState state, WorkflowRun run) =>
        run.Options.SeedRules && state.CompletedAt is { } completed && state.DueOn is { } due
        && DeliveryLateness.CompletedLate(run.Kam, completed, due, state.MissedDeadlines > 0);

    private static bool Eligible(ReferenceLetterState state, WorkflowRun run) =>
        state.CompletedAt is not null && state.OnTime && state.ExpectationsMet && !LateAgainstDeadline(state, run);

    /// <summary>
    /// Before completion: "check with the delivery team" the configured business days before the deadline (not those already
    /// past when it was set or moved, and never one again that went out for an earlier date of the same deadline), the
    /// overdue task the business morning after it, and a notice of the last move.
    /// </summary>
    private static IEnumerable<PlanItem> DeadlineWatch(ReferenceLetterState state, WorkflowRun run)
    {
        if (!run.Options.SeedRules || state.DueOn is not { } dueOn || state.CompletedAt is not null)
        {
            yield break;
        }

        var options = run.Options.Deliveries;
        var kam = run.Kam;
        var profile = run.Profile!;
        var id = state.ObjectId;
        var due = dueOn.ToLocalDate();
        var setAt = state.DueOnSetAt!.Value;
        var who = state.TeamLeadName ?? "the delivery team";
        var fields = Of(
            ("delivery_id", Text(id)),
            ("delivery_description", Text(state.Description ?? string.Empty)),
            ("due_on", Date(due)),
            ("team_lead_name", Text(state.TeamLeadName ?? string.Empty)),
            ("team_lead_email", Text(state.TeamLeadEmail ?? string.Empty)));
        var round = state.MissedDeadlines == 0 ? string.Empty : "|r" + state.MissedDeadlines.ToString(CultureInfo.InvariantCulture);
        foreach (var days in options.CheckBusinessDaysBeforeOrDefault.OrderDescending())
        {
            var at = kam.BusinessDaysBefore(due, days);
            if (at < setAt)
            {
                continue; // Already past when the deadline was set or moved.
            }

            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.DeliveryDeadlineApproaching, days.ToString(CultureInfo.InvariantCulture) + "bd" + round),
                Kind = NotificationKind.DeliveryDeadlineApproaching,
                DueAt = at,
                Title = $"Delivery {id} for {profile.Name} is due on {Iso(due)}: check with {who} that it will be met",
                SkipWhenLateAfter = run.ReminderGrace,
                Fields = fields.With(("business_days_left", Number(days))),
            };
        }

        yield return new PlanItem
        {
            Id = OverdueId(state, dueOn),
            Kind = NotificationKind.DeliveryOverdue,
            DueAt = kam.OnOrAfter(due.PlusDays(1)),
            Title = $"Delivery {id} for {profile.Name} was due on {Iso(due)} and is not reported complete: ask {who} when it will be",
            IsTask = true,
            Fields = fields.With(("escalate_after_business_days", Number(options.EscalateAfterBusinessDays))),
        };

        if (state.PreviousDueOn is { } previous)
        {
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.DeliveryDeadlineMoved, "moved-" + state.DeadlineMoves.ToString(CultureInfo.InvariantCulture)),
                Kind = NotificationKind.DeliveryDeadlineMoved,
                DueAt = kam.NextBusinessMoment(setAt),
                Title = $"Delivery {id} for {profile.Name}: the deadline moved from {Iso(previous)} to {Iso(due)}",
                Fields = fields.With(("previous_due_on", Date(previous.ToLocalDate()))),
            };
        }
    }

    /// <summary>No complaint open any more (of the delivery, nor of the account at the last read): paused follow-ups count from now.</summary>
    private static void Resume(ReferenceLetterState state, DateTimeOffset at)
    {
        if (state.PausedSince is not null && state.OpenComplaints.Count == 0 && state.AccountOpenComplaints.Count == 0)
        {
            state.PausedSince = null;
            state.ResumedAt = at;
        }
    }

    /// <summary>
    /// A request to the client (or the KAM's task to make one) goes out only with no complaint of the account open: the
    /// account's complaints are read at its due time first; while one is open they are read again each business day.
    /// </summary>
    private static IEnumerable<PlanItem> WhenNoComplaintOpen(ReferenceLetterState state, WorkflowRun run, PlanItem request)
    {
        if (!run.Options.Issue14Rules)
        {
            // Executions recorded before issue 14: only this delivery's complaints held the ask, as then.
            if (request.Kind != NotificationKind.ReferenceLetterAsk && request.Kind != NotificationKind.ReferenceLetterRequestToClient || state.OpenComplaints.Count == 0)
            {
                yield return request;
            }

            yield break;
        }

        if (state.OpenComplaints.Count > 0)
        {
            yield break; // About this delivery: its resolution (an event) lets the request go.
        }

        if (state.ComplaintsCheckedAt is not { } checkedAt || checkedAt < request.DueAt - OnTimeTolerance)
        {
            yield return Check(state, request.DueAt);
        }
        else if (state.AccountOpenComplaints.Count > 0)
        {
            yield return Check(state, run.Kam.BusinessDaysAfter(checkedAt, 1));
        }
        else
        {
            yield return request;
        }
    }

    private static PlanItem Check(ReferenceLetterState state, DateTimeOffset due) => new()
    {
        Id = string.Join('|', state.Key, ComplaintsCheck, Stamp(due)),
        Internal = ComplaintsCheck,
        DueAt = due,
        Title = "Read the account's open complaints",
        Projected = false,
    };

    protected override async Task<string> RunInternalAsync(ReferenceLetterState state, PlanItem item, DateTimeOffset sendAt, WorkflowRun run)
    {
        var complaints = await CallAsync(state, run, ActivityNames.ReadAccountComplaints, state.AccountId, (IReadOnlyList<ComplaintFacts>?)null).ConfigureAwait(true);
        state.ComplaintsCheckedAt = run.Now;
        if (complaints is null)
        {
            state.AccountOpenComplaints = ["(unknown: the account's complaints could not be read)"]; // Asking during an open complaint is worse than asking a day later.
            return FiredOutcomes.Failed;
        }

        state.AccountOpenComplaints = [.. complaints.Where(c => c.IsOpen).Select(c => c.ComplaintId).Order(StringComparer.Ordinal)];
        state.AccountComplaintResolvedAt = complaints.Where(c => c.ResolvedAt is not null).Select(c => c.ResolvedAt).Max();
        if (state.AccountOpenComplaints.Count > 0 && state.AskedAt is not null && state.LetterReceivedAt is null)
        {
            state.PausedSince ??= run.Now;
        }

        Resume(state, run.Now);
        return FiredOutcomes.Done;
    }

    protected override IEnumerable<PlanItem> Plan(ReferenceLetterState state, WorkflowRun run)
    {
        foreach (var item in DeadlineWatch(state, run))
        {
            yield return item;
        }

        if (!Eligible(state, run))
        {
            yield break;
        }

        var options = run.Options.ReferenceLetter;
        var kam = run.Kam;
        var profile = run.Profile!;
        var id = state.ObjectId;
        var description = state.Description ?? $"Delivery {id}";
        var fields = Of(("delivery_id", Text(id)), ("delivery_description", Text(description)));

        if (state.LetterReceivedAt is null && state.AskedAt is null)
        {
            var settledFrom = Latest(state.CompletedAt!.Value, state.LastComplaintResolvedAt, run.Options.Issue14Rules ? state.AccountComplaintResolvedAt : null);
            var due = kam.OnOrAfter(kam.DateOf(settledFrom).PlusDays(options.SettlingDays));
            PlanItem request = profile.AllowsDirectReferenceRequests && !state.ClientRequestImpossible
                ? new PlanItem
                {
                    Id = Id(state.Key, NotificationKind.ReferenceLetterRequestToClient, Ask),
                    Kind = NotificationKind.ReferenceLetterRequestToClient,
                    Audience = RecipientRole.ClientContact,
                    DueAt = due,
                    Title = $"Reference letter request to {profile.Name} for {description}",
                    Fields = fields,
                }
                : new PlanItem
                {
                    Id = Id(state.Key, NotificationKind.ReferenceLetterAsk, Ask),
                    Kind = NotificationKind.ReferenceLetterAsk,
                    DueAt = due,
                    Title = $"Ask {profile.Name} for a reference letter for {description}",
                    IsTask = true,
                    Fields = fields.With(("completed_on", Date(kam.DateOf(state.CompletedAt!.Value)))),
                };
            foreach (var item in WhenNoComplaintOpen(state, run, request))
            {
                yield return item;
            }
        }

        if (state.AskedAt is { } askedBefore && state.LetterReceivedAt is null && !run.Options.Issue14Rules)
        {
            // Executions recorded before issue 14: every follow-up planned from the ask, as then.
            for (var i = 1; i <= options.MaxFollowUps; i++)
            {
                yield return new PlanItem
                {
                    Id = Id(state.Key, NotificationKind.ReferenceLetterFollowUp, "follow-up-" + i.ToString(CultureInfo.InvariantCulture)),
                    Kind = NotificationKind.ReferenceLetterFollowUp,
                    DueAt = kam.BusinessDaysAfter(askedBefore, options.FollowUpBusinessDays * i),
                    Title = $"No reference letter yet from {profile.Name} for {description}: follow up",
                    SkipWhenLateAfter = run.ReminderGrace,
                    Fields = fields.With(("asked_on", Date(kam.DateOf(askedBefore)))),
                };
            }
        }

        if (state.AskedAt is { } asked && state.LetterReceivedAt is null && run.Options.Issue14Rules)
        {
            // The next follow-up counts from the ask, the last follow-up, or the end of a pause, whichever is latest.
            var followUps = Enumerable.Range(1, options.MaxFollowUps)
                .Select(i => Id(state.Key, NotificationKind.ReferenceLetterFollowUp, "follow-up-" + i.ToString(CultureInfo.InvariantCulture))).ToList();
            var done = followUps.Count(state.WasFired);
            if (done < followUps.Count)
            {
                var last = done == 0 ? (DateTimeOffset?)null : state.Fired[followUps[done - 1]].At;
                var from = Latest(asked, state.ResumedAt, last);
                var followUp = new PlanItem
                {
                    Id = followUps[done],
                    Kind = NotificationKind.ReferenceLetterFollowUp,
                    DueAt = kam.BusinessDaysAfter(from, options.FollowUpBusinessDays),
                    Title = $"No reference letter yet from {profile.Name} for {description}: follow up",
                    SkipWhenLateAfter = run.ReminderGrace,
                    Fields = fields.With(("asked_on", Date(kam.DateOf(asked)))),
                };
                foreach (var item in WhenNoComplaintOpen(state, run, followUp))
                {
                    yield return item;
                }
            }
        }

        if (state.LetterReceivedAt is { } letter && state.ReferralReceivedAt is null)
        {
            var referral = new PlanItem
            {
                Id = Id(state.Key, NotificationKind.ReferralRequest, Referral),
                Kind = NotificationKind.ReferralRequest,
                DueAt = options.ReferralAfterBusinessDays == 0 ? kam.NextBusinessMoment(letter) : kam.BusinessDaysAfter(letter, options.ReferralAfterBusinessDays),
                Title = $"Ask {profile.Name} to recommend colleagues and partners",
                Fields = fields,
            };
            foreach (var item in WhenNoComplaintOpen(state, run, referral))
            {
                yield return item;
            }
        }
    }

    private static bool LateAgainstDeadlineNeedsCalendar(ReferenceLetterState state, WorkflowRun run) =>
        run.Options.SeedRules && state.DueOn is not null && state.MissedDeadlines == 0;

    private static DateTimeOffset Latest(DateTimeOffset first, params DateTimeOffset?[] others) =>
        others.Where(o => o is not null).Select(o => o!.Value).Append(first).Max();

    protected override void OnFired(ReferenceLetterState state, PlanItem item, FiredAction fired, WorkflowRun run)
    {
        if (item.Kind == NotificationKind.ReferenceLetterRequestToClient && fired.Outcome == FiredOutcomes.NoRecipient)
        {
            state.ClientRequestImpossible = true; // The KAM's task follows at once in the same step.
            return;
        }

        if (item.Kind is NotificationKind.ReferenceLetterAsk or NotificationKind.ReferenceLetterRequestToClient && FiredOutcomes.Delivered(fired.Outcome))
        {
            state.AskedAt = fired.At;
        }
    }

    /// <summary>The overdue task stays open until completion, unless the deadline moved (the next one has its own).</summary>
    protected override bool IsTaskOpen(ReferenceLetterState state, string id, FiredAction task, WorkflowRun run) =>
        task.Kind == nameof(NotificationKind.DeliveryOverdue)
            ? state.CompletedAt is null && state.DueOn is { } due && id == OverdueId(state, due)
            : state.LetterReceivedAt is null;

    /// <summary>The head hears of an overdue delivery after Deliveries:EscalateAfterBusinessDays, whatever the Escalation options list.</summary>
    protected override int? EscalationBusinessDays(string taskKind, WorkflowRun run) =>
        run.Options.SeedRules && taskKind == nameof(NotificationKind.DeliveryOverdue) ? run.Options.Deliveries.EscalateAfterBusinessDays : null;

    protected override string? Finished(ReferenceLetterState state, WorkflowRun run)
    {
        if (state.CompletedAt is null || (LateAgainstDeadlineNeedsCalendar(state, run) && run.Profile is null))
        {
            return null; // Scheduled, not done yet: the deadline is watched. Lateness is judged on the KAM's calendar, once known.
        }

        if (!Eligible(state, run))
        {
            return state.OnTime && !LateAgainstDeadline(state, run) ? "expectations-not-met" : "not-on-time";
        }

        if (state.LetterReceivedAt is not null)
        {
            return state.ReferralReceivedAt is not null || state.WasFired(Id(state.Key, NotificationKind.ReferralRequest, Referral)) ? "letter-received" : null;
        }

        return NextDeadline(state, run) is { } end && run.Now >= end ? "no-letter" : null;
    }

    /// <summary>No letter this long after asking (or after follow-ups resumed from a complaint's pause): the workflow ends.</summary>
    protected override DateTimeOffset? NextDeadline(ReferenceLetterState state, WorkflowRun run) =>
        state.AskedAt is { } asked && state.LetterReceivedAt is null && (state.PausedSince is null || !run.Options.Issue14Rules)
            ? Latest(asked, run.Options.Issue14Rules ? state.ResumedAt : null).AddDays(run.Options.ReferenceLetter.GiveUpDays)
            : null;
}
