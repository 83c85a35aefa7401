// Commercial proposal follow-up (DOMAIN.md "Commercial proposals", seed 001): send → no acknowledgement after one
// business day → call task; acknowledged → ask next steps and urgency, remind until a meeting is agreed; prepare the
// meeting; remind 7 and 1 business days before validity ends; expire on the date. Client deadlines are in the client's
// calendar (decision rules 3): the call after the client's business day, on a day both work; validity and the meeting
// on the client's dates. Price floor (seed 000) before the client sees the price: a drafted price under the floor is
// the head's approval task; a proposal sent under the floor without that approval alerts the KAM at once, and the head
// only if the KAM's task stays open. Accepted, rejected, expired, or its deal won or lost (the sale cycle sends that
// event here) end it; a new version restarts it.
using KamFlows.Domain.Accounts;
using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
using KamFlows.Domain.Sales;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using NodaTime;
using static KamFlows.Workflows.Common.TemplateFields;

namespace KamFlows.Workflows.Proposals;

/// <summary>One instance per proposal (<c>proposal:{id}</c>).</summary>
public sealed class ProposalFollowUp : KamWorkflow<ProposalState>
{
    internal const string Call = "call";
    internal const string NextSteps = "next-steps";
    internal const string Expired = "expired";
    internal const string Price = "price";
    internal const string SentUnderFloor = "sent-under-floor";
    internal const string PriceDeclinedOccurrence = "price-declined";

    protected override bool IsStarted(ProposalState state) => state.SentAt is not null || state.DraftedAt is not null;

    protected override EventDisposition Apply(ProposalState state, CanonicalEvent canonicalEvent, WorkflowRun run)
    {
        var at = canonicalEvent.Time.ToDateTimeOffset();
        if (DealOutcome(state, canonicalEvent.Data) is { } dealOutcome)
        {
            return CloseWithDeal(state, dealOutcome, canonicalEvent, run);
        }

        var proposalId = ProposalIdOf(canonicalEvent.Data);
        if (proposalId is null || !state.IsFor(proposalId))
        {
            return EventDisposition.Ignored;
        }

        switch (canonicalEvent.Data)
        {
            case ProposalSent d:
                state.OpportunityId ??= d.OpportunityId;
                return Start(state, d.Version, at, canonicalEvent.Time.Date, d.Total, d.ValidUntil, d.DiscountPercent, d.AddressedRoles);
            case ProposalRevised d:
                return Start(state, d.Version, at, canonicalEvent.Time.Date, d.Total, d.ValidUntil, d.DiscountPercent, d.AddressedRoles);
            case ProposalDrafted d:
                return Drafted(state, d, at);
            case ProposalPriceApproved d:
                return Decide(state, d.Version, ProposalStatuses.PriceApproved, canonicalEvent);
            case ProposalPriceDeclined d:
                return Decide(state, d.Version, ProposalStatuses.PriceDeclined, canonicalEvent);
        }

        if (state.SentAt is null)
        {
            return EventDisposition.Held; // About a proposal the client has not been sent yet (or not known yet): kept until it is.
        }

        switch (canonicalEvent.Data)
        {
            case ProposalAcknowledged:
                if (state.IsClosed || state.AcknowledgedAt is not null)
                {
                    return EventDisposition.Ignored;
                }

                state.AcknowledgedAt = at;
                state.Status = ProposalStatuses.Acknowledged;
                state.Remember($"{Iso(canonicalEvent.Time.Date)} receipt confirmed");
                return EventDisposition.Applied;
            case ProposalMeetingAgreed d:
                var meetingAt = d.MeetingAt.ToDateTimeOffset();
                if (state.IsClosed || state.MeetingAt == meetingAt)
                {
                    return EventDisposition.Ignored;
                }

                state.AcknowledgedAt ??= at; // Agreeing a meeting implies receipt.
                state.MeetingAt = meetingAt;
                state.MeetingChanges++;
                state.Status = ProposalStatuses.MeetingAgreed;
                state.Remember($"{Iso(canonicalEvent.Time.Date)} meeting agreed for {Iso(d.MeetingAt.Date)}");
                return EventDisposition.Applied;
            case MeetingScheduled d when run.Options.SeedRules:
                var startsAt = d.StartsAt.ToDateTimeOffset();
                if (state.IsClosed || (state.ScheduledMeetingIds.Contains(d.MeetingId) && state.MeetingAt == startsAt))
                {
                    return EventDisposition.Ignored;
                }

                if (!state.ScheduledMeetingIds.Contains(d.MeetingId))
                {
                    state.ScheduledMeetingIds.Add(d.MeetingId);
                }

                state.AcknowledgedAt ??= at; // A meeting about it implies receipt, as meeting_agreed does.
                state.MeetingAt = startsAt;
                state.MeetingChanges++;
                state.Status = ProposalStatuses.MeetingAgreed;
                state.Remember($"{Iso(canonicalEvent.Time.Date)} meeting agreed for {Iso(d.StartsAt.Date)}");
                return EventDisposition.Applied;
            case MeetingLogged d:
                var heldAt = d.HeldAt.ToDateTimeOffset();
                state.AcknowledgedAt ??= heldAt;
                state.MeetingHeldAt = state.MeetingHeldAt is { } h && h > heldAt ? h : heldAt;
                state.Remember($"{Iso(d.HeldAt.Date)} meeting held" + (d.Summary is { Length: > 0 } s ? ": " + s : string.Empty));
                return EventDisposition.Applied;
            case ProposalAccepted d:
                return Close(state, ProposalStatuses.Accepted, d.Version, canonicalEvent, run);
            case ProposalRejected d:
                return Close(state, ProposalStatuses.Rejected, d.Version, canonicalEvent, run);
            case ContractSigned:
                return Close(state, ProposalStatuses.Accepted, null, canonicalEvent, run);
            default:
                return EventDisposition.Ignored;
        }
    }

    private static string? ProposalIdOf(ICanonicalEventData data) => data switch
    {
        ProposalSent d => d.ProposalId,
        ProposalRevised d => d.ProposalId,
        ProposalAcknowledged d => d.ProposalId,
        ProposalMeetingAgreed d => d.ProposalId,
        ProposalAccepted d => d.ProposalId,
        ProposalRejected d => d.ProposalId,
        MeetingLogged d => d.ProposalId,
        MeetingScheduled d => d.ProposalId,
        ContractSigned d => d.ProposalId,
        ProposalDrafted d => d.ProposalId,
        ProposalPriceApproved d => d.ProposalId,
        ProposalPriceDeclined d => d.ProposalId,
        _ => null,
    };

    /// <summary>The deal's outcome, when the event won or lost this proposal's deal (forwarded by the sale cycle): accepted or lost.</summary>
    private static string? DealOutcome(ProposalState state, ICanonicalEventData data)
    {
        if (state.OpportunityId is not { } deal)
        {
            return null;
        }

        var (opportunityId, stage) = data switch
        {
            OpportunityStageChanged d => (d.OpportunityId, (OpportunityStage?)d.Stage),
            OpportunityUpserted d => (d.OpportunityId, d.Stage),
            ContractSigned d when d.ProposalId is null || !state.IsFor(d.ProposalId) => (d.OpportunityId, OpportunityStage.Won),
            _ => (null, null),
        };
        return opportunityId != deal ? null
            : stage == OpportunityStage.Won ? ProposalStatuses.Accepted
            : stage == OpportunityStage.Lost ? ProposalStatuses.Lost
            : null;
    }

    private static EventDisposition CloseWithDeal(ProposalState state, string status, CanonicalEvent e, WorkflowRun run)
    {
        if (state.Status is ProposalStatuses.Accepted or ProposalStatuses.Rejected or ProposalStatuses.Lost)
        {
            return EventDisposition.Ignored; // The client's own answer stands.
        }

        state.Status = status; // Also after expiry: the deal's outcome is the truth about this proposal.
        state.ClosedAt = run.Now;
        state.Remember($"{Iso(e.Time.Date)} deal {(status == ProposalStatuses.Accepted ? "won" : "lost")}");
        return EventDisposition.Applied;
    }

    private static EventDisposition Drafted(ProposalState state, ProposalDrafted d, DateTimeOffset at)
    {
        if (d.Version < state.Version || (d.Version == state.Version && state.SentAt is not null) || d.Version < state.DraftVersion
            || (d.Version == state.DraftVersion && state.DraftedAt is not null && state.DraftTotal == d.Total.Amount))
        {
            return EventDisposition.Ignored; // An older version, one already sent, or the same draft again.
        }

        state.OpportunityId ??= d.OpportunityId;
        state.DraftVersion = d.Version;
        state.DraftedAt = at;
        state.DraftTotal = d.Total.Amount;
        state.DraftCurrency = d.Total.Currency.Code;
        state.DraftDiscountPercent = d.DiscountPercent;
        state.PriceDecisions.Remove(d.Version); // A new price for the version: any earlier decision was about another price.
        return EventDisposition.Applied;
    }

    private static EventDisposition Decide(ProposalState state, int version, string decision, CanonicalEvent e)
    {
        if (state.PriceDecisions.GetValueOrDefault(version) == decision)
        {
            return EventDisposition.Ignored;
        }

        state.PriceDecisions[version] = decision;
        state.Remember($"{Iso(e.Time.Date)} price of v{version.ToString(System.Globalization.CultureInfo.InvariantCulture)} {decision} by the head");
        return EventDisposition.Applied;
    }

    private static EventDisposition Start(ProposalState state, int version, DateTimeOffset at, LocalDate sentOn, Domain.Common.Money total, LocalDate validUntil,
        decimal? discount, IEnumerable<Domain.Contacts.DmuRole> roles)
    {
        if (state.SentAt is not null && version <= state.Version)
        {
            return EventDisposition.Ignored; // The same version again, or an older one arriving late.
        }

        state.Version = version;
        state.SentAt = at;
        state.ValidUntil = validUntil.ToDateOnly();
        state.Total = total.Amount;
        state.Currency = total.Currency.Code;
        state.DiscountPercent = discount;
        state.AddressedRoles = [.. roles.Select(r => WireName.Of(r))];
        state.AcknowledgedAt = null;
        state.MeetingAt = null;
        state.MeetingChanges = 0;
        state.MeetingHeldAt = null;
        state.ClosedAt = null;
        state.Status = ProposalStatuses.Sent;
        state.Remember($"{Iso(sentOn)} proposal sent (v{version})");
        return EventDisposition.Applied;
    }

    private static EventDisposition Close(ProposalState state, string status, int? version, CanonicalEvent e, WorkflowRun run)
    {
        if (version is { } v && v != state.Version)
        {
            return EventDisposition.Ignored; // About another version than the one being followed.
        }

        if (state.Status is ProposalStatuses.Accepted or ProposalStatuses.Rejected or ProposalStatuses.Lost)
        {
            return EventDisposition.Ignored;
        }

        state.Status = status;
        state.ClosedAt = run.Now;
        state.Remember($"{Iso(e.Time.Date)} {status}");
        return EventDisposition.Applied;
    }

    protected override IEnumerable<PlanItem> Plan(ProposalState state, WorkflowRun run)
    {
        if (state.IsClosed && state.SentAt is null)
        {
            yield break; // A draft whose deal was won or lost: nothing to approve any more.
        }

        foreach (var item in run.Options.Issue14Rules ? PriceFloor.Plan(state, run) : PriceFloor.PlanBeforeIssue14(state, run))
        {
            yield return item;
        }

        if (state.IsClosed || state.SentAt is null)
        {
            yield break;
        }

        var options = run.Options.ProposalFollowUp;
        var kam = run.Kam;
        var profile = run.Profile!;
        var id = state.ObjectId;
        var v = "v" + state.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sent = state.SentAt!.Value;
        var validUntil = state.ValidUntil.ToLocalDate();
        var fields = Fields(state, run);

        var client = run.Options.SeedRules ? run.Client : null; // Executions recorded before the seed rules: the KAM's calendar, as then.
        var expiresNotice = kam.AfterEndOf(validUntil, client); // The validity date is the client's: expired once their day is over.
        if (state.AcknowledgedAt is null)
        {
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.ProposalCallToConfirmReceipt, v, Call),
                Kind = NotificationKind.ProposalCallToConfirmReceipt,
                DueAt = kam.BusinessDaysAfter(sent, options.CallAfterBusinessDays, client), // The client's business days, on a day both work.
                Title = $"Call {profile.Name} to confirm receipt of proposal {id} {v}",
                IsTask = true,
                Fields = fields,
            };
        }

        if (state.AcknowledgedAt is { } ack && state.MeetingAt is null && state.MeetingHeldAt is null)
        {
            var from = ack > sent ? ack : sent;
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.ProposalAskNextSteps, v, NextSteps),
                Kind = NotificationKind.ProposalAskNextSteps,
                DueAt = kam.NextBusinessMoment(from),
                Title = $"Ask {profile.Name} about next steps and urgency of proposal {id} {v}; agree a meeting",
                IsTask = true,
                Fields = fields,
                AddressedRoles = state.AddressedRoles,
            };
            for (var i = 0; i < options.MeetingReminderMaxCount; i++)
            {
                var due = kam.BusinessDaysAfter(from, options.MeetingReminderFirstBusinessDays + (i * options.MeetingReminderEveryBusinessDays));
                if (due >= expiresNotice)
                {
                    break;
                }

                yield return new PlanItem
                {
                    Id = Id(state.Key, NotificationKind.ProposalMeetingNotAgreed, v, $"meeting-reminder-{i + 1}"),
                    Kind = NotificationKind.ProposalMeetingNotAgreed,
                    DueAt = due,
                    Title = $"No meeting agreed yet on proposal {id} {v} with {profile.Name}",
                    SkipWhenLateAfter = run.ReminderGrace,
                    Fields = fields.With(("days_since_sent", Number(Period.DaysBetween(kam.DateOf(sent), kam.DateOf(due))))),
                };
            }
        }

        if (state.MeetingAt is { } meeting && meeting > sent && state.ScheduledMeetingIds.Count == 0) // Else the meeting workflow prepares it (seed rules).
        {
            var meetingDate = (client ?? kam).DateOf(meeting); // The meeting is held on the client's date.
            var due = options.MeetingPreparationBusinessDaysBefore == 0
                ? kam.OnOrBefore(meetingDate)
                : kam.BusinessDaysBefore(meetingDate, options.MeetingPreparationBusinessDaysBefore);
            while (due >= meeting)
            {
                due = kam.OnOrBefore(kam.DateOf(due).PlusDays(-1)); // The client's date may be the KAM's next day: still before the meeting.
            }

            var untilMeeting = meeting - due;
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.ProposalMeetingPreparation, v, "meeting-" + Stamp(meeting)),
                Kind = NotificationKind.ProposalMeetingPreparation,
                DueAt = due,
                Title = $"Prepare the meeting with {profile.Name} on proposal {id} {v}",
                SkipWhenLateAfter = untilMeeting > OnTimeTolerance ? untilMeeting : OnTimeTolerance,
                AddressedRoles = state.AddressedRoles,
                Fields = fields.With(
                    ("meeting_at", Instant(kam.ToLocal(meeting))),
                    ("recent_interactions", List(state.Interactions))),
                Invite = new CalendarInvite(
                    Uid: state.Key + "|meeting",
                    Summary: $"{profile.Name}: proposal {id}",
                    Start: kam.ToLocal(meeting),
                    Duration: run.InviteDuration,
                    TimeZone: kam.TimeZone,
                    Description: $"Discuss proposal {id} {v} (valid until {Iso(state.ValidUntil)}).",
                    Sequence: Math.Max(0, state.MeetingChanges - 1)),
            };
        }

        foreach (var days in options.ExpiryReminderBusinessDaysOrDefault.OrderDescending())
        {
            var due = kam.BusinessDaysBefore(validUntil, days, run.Client); // The client's business days: "1 left" is true for them.
            if (due <= sent)
            {
                continue; // The proposal was sent with less time left than this reminder assumes.
            }

            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.ProposalExpiryReminder, v, $"{days}bd"),
                Kind = NotificationKind.ProposalExpiryReminder,
                DueAt = due,
                Title = $"Proposal {id} {v} to {profile.Name} expires in {days} business day{(days == 1 ? string.Empty : "s")}",
                SkipWhenLateAfter = run.ReminderGrace,
                Fields = fields.With(("business_days_left", Number(days))),
            };
        }

        yield return new PlanItem
        {
            Id = Id(state.Key, NotificationKind.ProposalExpired, v, Expired),
            Kind = NotificationKind.ProposalExpired,
            DueAt = expiresNotice,
            Title = $"Proposal {id} {v} to {profile.Name} expired: re-issue or let go",
            Fields = fields,
        };
    }

    /// <summary>The fields every proposal notification carries, for the version sent.</summary>
    internal static Dictionary<string, Notifications.TemplateValue> Fields(ProposalState state, WorkflowRun run)
    {
        var id = state.ObjectId;
        return Of(
            ("proposal_id", Text(id)),
            ("proposal_total", Money(state.Total, state.Currency)),
            ("valid_until", Date(state.ValidUntil)),
            ("sent_on", Date(run.Kam.DateOf(state.SentAt!.Value))));
    }

    /// <summary>The price check of seed 000: under the floor, or in another currency than the floor, needs the head's approval.</summary>
    internal static PriceFloorVerdict PriceFloorCheck(decimal? floor, string accountCurrency, string currency, decimal total) =>
        floor is not { } f ? PriceFloorVerdict.NoFloorSet
        : !string.Equals(currency, accountCurrency, StringComparison.Ordinal) ? PriceFloorVerdict.CurrencyMismatch
        : total < f ? PriceFloorVerdict.BelowFloor
        : PriceFloorVerdict.AtOrAboveFloor;

    protected override void OnFired(ProposalState state, PlanItem item, FiredAction fired, WorkflowRun run)
    {
        if (item.Kind == NotificationKind.ProposalExpired && !state.IsClosed)
        {
            state.Status = ProposalStatuses.Expired;
            state.ClosedAt = fired.At;
        }
    }

    protected override bool IsTaskOpen(ProposalState state, string id, FiredAction task, WorkflowRun run)
    {
        if (run.Options.Issue14Rules && PriceFloor.IsTaskOpen(state, id, task) is { } priceTask)
        {
            return priceTask;
        }

        var current = $"{state.Key}|{task.Kind}|v{state.Version}|";
        if (!id.StartsWith(current, StringComparison.Ordinal))
        {
            return false; // A task of a superseded version.
        }

        if (state.IsClosed)
        {
            return false; // An accepted, rejected, expired or lost proposal needs nothing any more.
        }

        return id.EndsWith("|" + Call, StringComparison.Ordinal)
            ? state.AcknowledgedAt is null
            : id.EndsWith("|" + NextSteps, StringComparison.Ordinal) && state.MeetingAt is null && state.MeetingHeldAt is null;
    }

    protected override string? Finished(ProposalState state, WorkflowRun run) => NextDeadline(state, run) is { } end && run.Now >= end
        ? (state.SentAt is null && !state.IsClosed ? "draft-never-sent" : state.Status)
        : null;

    protected override DateTimeOffset? NextDeadline(ProposalState state, WorkflowRun run) =>
        state.IsClosed && state.ClosedAt is { } closed ? closed.AddDays(run.Options.ProposalFollowUp.RevisionWaitDays)
        : state.SentAt is null && state.DraftedAt is { } drafted ? drafted.AddDays(run.Options.ProposalFollowUp.DraftWaitDays)
        : null;
}
