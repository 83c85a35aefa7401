// Commercial proposal follow-up (DOMAIN.md "Commercial proposals", seed 001): send → no acknowledgement after one
// business day → call task; acknowledged → ask next steps and urgency, remind until a meeting is agreed; prepare the
// meeting; remind 7 and 1 business days before validity ends; expire on the date; a price under the floor is a task
// for the head. Accepted, rejected or expired end it; a new version restarts it.
using KamFlows.Domain.Accounts;
using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
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

    protected override bool IsStarted(ProposalState state) => state.SentAt is not null;

    protected override EventDisposition Apply(ProposalState state, CanonicalEvent canonicalEvent, WorkflowRun run)
    {
        var at = canonicalEvent.Time.ToDateTimeOffset();
        var proposalId = ProposalIdOf(canonicalEvent.Data);
        if (proposalId is null || !state.Key.EndsWith(":" + proposalId, StringComparison.Ordinal))
        {
            return EventDisposition.Ignored;
        }

        switch (canonicalEvent.Data)
        {
            case ProposalSent d:
                return Start(state, d.Version, at, canonicalEvent.Time.Date, d.Total, d.ValidUntil, d.DiscountPercent, d.AddressedRoles);
            case ProposalRevised d:
                return Start(state, d.Version, at, canonicalEvent.Time.Date, d.Total, d.ValidUntil, d.DiscountPercent, d.AddressedRoles);
        }

        if (!IsStarted(state))
        {
            return EventDisposition.Held;
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
        ContractSigned d => d.ProposalId,
        _ => null,
    };

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

        if (state.Status is ProposalStatuses.Accepted or ProposalStatuses.Rejected)
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
        var options = run.Options.ProposalFollowUp;
        var kam = run.Kam;
        var profile = run.Profile!;
        var id = state.Key[(state.Key.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var v = "v" + state.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sent = state.SentAt!.Value;
        var validUntil = state.ValidUntil.ToLocalDate();
        var fields = Of(
            ("proposal_id", Text(id)),
            ("proposal_total", Money(state.Total, state.Currency)),
            ("valid_until", Date(state.ValidUntil)),
            ("sent_on", Date(kam.DateOf(sent))));

        if (PriceFloorCheck(profile.PriceFloor, profile.Currency, state).RequiresApproval())
        {
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.ProposalPriceApprovalRequired, v, Price),
                Kind = NotificationKind.ProposalPriceApprovalRequired,
                Audience = RecipientRole.Head,
                DueAt = run.Head.NextBusinessMoment(sent),
                Title = $"Approve the price of proposal {id} {v} for {profile.Name}: under the account's floor",
                IsTask = true,
                Fields = fields.With(
                    ("price_floor", Money(profile.PriceFloor ?? 0m, profile.Currency)),
                    ("discount_percent", Number(state.DiscountPercent ?? 0m))),
            };
        }

        if (state.IsClosed)
        {
            yield break;
        }

        var expiresNotice = kam.OnOrAfter(validUntil.PlusDays(1));
        if (state.AcknowledgedAt is null)
        {
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.ProposalCallToConfirmReceipt, v, Call),
                Kind = NotificationKind.ProposalCallToConfirmReceipt,
                DueAt = kam.BusinessDaysAfter(sent, options.CallAfterBusinessDays),
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

        if (state.MeetingAt is { } meeting && meeting > sent)
        {
            var meetingDate = kam.DateOf(meeting);
            var due = options.MeetingPreparationBusinessDaysBefore == 0
                ? kam.OnOrBefore(meetingDate)
                : kam.BusinessDaysBefore(meetingDate, options.MeetingPreparationBusinessDaysBefore);
            if (due >= meeting)
            {
                due = kam.OnOrBefore(meetingDate.PlusDays(-1));
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

    /// <summary>The price check of seed 000: under the floor, or in another currency than the floor, needs the head's approval.</summary>
    internal static PriceFloorVerdict PriceFloorCheck(decimal? floor, string accountCurrency, ProposalState state) =>
        floor is not { } f ? PriceFloorVerdict.NoFloorSet
        : !string.Equals(state.Currency, accountCurrency, StringComparison.Ordinal) ? PriceFloorVerdict.CurrencyMismatch
        : state.Total < f ? PriceFloorVerdict.BelowFloor
        : PriceFloorVerdict.AtOrAboveFloor;

    protected override void OnFired(ProposalState state, PlanItem item, FiredAction fired, WorkflowRun run)
    {
        if (item.Kind == NotificationKind.ProposalExpired && !state.IsClosed)
        {
            state.Status = ProposalStatuses.Expired;
            state.ClosedAt = fired.At;
        }
    }

    protected override bool IsTaskOpen(ProposalState state, string id, FiredAction task)
    {
        var current = $"{state.Key}|{task.Kind}|v{state.Version}|";
        if (!id.StartsWith(current, StringComparison.Ordinal))
        {
            return false; // A task of a superseded version.
        }

        if (state.IsClosed)
        {
            return false; // The head's approval too: an accepted, rejected or expired proposal needs no decision any more.
        }

        return id.EndsWith("|" + Call, StringComparison.Ordinal)
            ? state.AcknowledgedAt is null
            : id.EndsWith("|" + NextSteps, StringComparison.Ordinal) && state.MeetingAt is null && state.MeetingHeldAt is null;
    }

    protected override string? Finished(ProposalState state, WorkflowRun run) =>
        state.IsClosed && state.ClosedAt is { } closed && run.Now >= closed.AddDays(run.Options.ProposalFollowUp.RevisionWaitDays) ? state.Status : null;

    protected override DateTimeOffset? NextDeadline(ProposalState state, WorkflowRun run) =>
        state.IsClosed && state.ClosedAt is { } closed ? closed.AddDays(run.Options.ProposalFollowUp.RevisionWaitDays) : null;
}
