// Account care, one eternal instance per key account (DOMAIN.md "Account plan", "After the contract", "DMU"): DMU
// birthdays (swept by an activity, so no birthday enters history), contract renewals 120/60/30 days ahead, the
// quarterly ROI review with the account's numbers (and portfolio concentration and value-bond flags), dormant
// relationships, and nudges toward the information bond. Continues as new every quarter to keep history short.
// Seed rules (decision rules 3, gated on run.Options.SeedRules so older executions replay unchanged): a new KAM's
// briefing (read by an activity: no contact's name enters history), the closer dormancy cadence of new accounts, and
// one pending cross-sell prompt at a time after contracts and successful deliveries, held while a complaint is open.
using System.Globalization;
using KamFlows.Domain.Accounts;
using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
using KamFlows.Domain.Sales;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using NodaTime;
using static KamFlows.Workflows.Common.TemplateFields;

namespace KamFlows.Workflows.AccountCare;

/// <summary>One instance per account (<c>account:{id}</c>); it never ends while the account exists.</summary>
public sealed partial class AccountCare : KamWorkflow<AccountCareState>
{
    internal const string Sweep = "sweep";
    internal const string Review = "review";
    internal const string Concentration = "concentration";
    private const int MaxRevenueEntries = 16;

    /// <summary>Contact changes within this time of each other share one birthday sweep.</summary>
    internal static readonly TimeSpan SweepDebounce = TimeSpan.FromMinutes(5);

    protected override void Initialize(AccountCareState state, WorkflowRun run) =>
        state.AccountId ??= BusinessKey.TryParse(state.Key, out var key) ? key.Id : null;

    protected override bool IsStarted(AccountCareState state) => true;

    protected override bool RefreshProfileOnEveryEvent => false;

    protected override EventDisposition Apply(AccountCareState state, CanonicalEvent canonicalEvent, WorkflowRun run)
    {
        var at = canonicalEvent.Time.ToDateTimeOffset();
        switch (canonicalEvent.Data)
        {
            case AccountUpserted d:
                NoteKam(state, d, at);
                run.RefreshProfile();
                return EventDisposition.Applied;
            case ContactUpserted:
                state.SweepRequests++;
                state.SweepRequestedAt = run.Now;
                return EventDisposition.Applied;
            case ContactErased d:
                state.ErasedContacts.Add(d.ContactId);
                state.SweepRequests++;
                state.SweepRequestedAt = run.Now;
                return EventDisposition.Applied;
            case RevenueReported d:
                state.Revenue.RemoveAll(r => r.PeriodStart == d.PeriodStart.ToDateOnly() && r.PeriodEnd == d.PeriodEnd.ToDateOnly());
                state.Revenue.Add(new RevenueEntry(d.PeriodStart.ToDateOnly(), d.PeriodEnd.ToDateOnly(), d.Revenue.Amount, d.Revenue.Currency.Code, at));
                state.Revenue.Sort((a, b) => a.PeriodStart.CompareTo(b.PeriodStart));
                if (state.Revenue.Count > MaxRevenueEntries)
                {
                    state.Revenue.RemoveRange(0, state.Revenue.Count - MaxRevenueEntries);
                }

                return EventDisposition.Applied;
            case OpportunityUpserted d:
                Track(state.OpenOpportunities, d.OpportunityId, open: !d.Stage.IsClosed());
                break;
            case OpportunityStageChanged d:
                Track(state.OpenOpportunities, d.OpportunityId, open: !d.Stage.IsClosed());
                break;
            case ComplaintOpened d:
                Track(state.OpenComplaints, d.ComplaintId, open: true);
                break;
            case ComplaintResolved d:
                CloseComplaint(state, d.ComplaintId, at);
                break;
            case ComplaintClosed d:
                CloseComplaint(state, d.ComplaintId, at); // Closed without a separate resolution event.
                break;
            case ContractSigned d:
                state.Contracts.RemoveAll(c => c.ContractId == d.ContractId);
                state.Contracts.Add(new ContractTerm(d.ContractId, d.StartsOn.ToDateOnly(), d.EndsOn.ToDateOnly(), d.Value?.Amount, d.Value?.Currency.Code));
                if (state.FirstContractStartsOn is not { } first || d.StartsOn.ToDateOnly() < first)
                {
                    state.FirstContractStartsOn = d.StartsOn.ToDateOnly();
                }

                AddCrossSellTrigger(state, new CrossSellTrigger(CrossSellKinds.Contract, d.ContractId, at, null), run);
                break;
            case DeliveryScheduled d when run.Options.SeedRules:
                // The same rule as the delivery's own workflow: a deadline moved after it had passed was missed.
                var missed = state.DeliveryDeadlines.TryGetValue(d.DeliveryId, out var known)
                    && (known.Missed || (known.DueOn != d.DueOn.ToDateOnly() && run.Kam.DateOf(at) > known.DueOn.ToLocalDate()));
                state.DeliveryDeadlines[d.DeliveryId] = new DeliveryDeadline(d.DueOn.ToDateOnly(), missed);
                break;
            case DeliveryCompleted d:
                var late = state.DeliveryDeadlines.Remove(d.DeliveryId, out var deadline)
                    && References.DeliveryLateness.CompletedLate(run.Kam, at, deadline.DueOn, deadline.Missed);
                if (d.OnTime && d.ExpectationsMet && !late)
                {
                    AddCrossSellTrigger(state, new CrossSellTrigger(CrossSellKinds.Delivery, d.DeliveryId, at, d.Description), run);
                }

                break;
            case MeetingScheduled when !run.Options.SeedRules:
                return EventDisposition.Ignored; // An execution recorded before the meeting events keeps its dormancy as it was.
            case MeetingCancelled:
                return EventDisposition.Ignored;
        }

        // Contact with the client: the relationship is alive.
        if (ClientContact.At(canonicalEvent) is { } contact && (state.LastContactAt is null || contact > state.LastContactAt))
        {
            state.LastContactAt = contact;
        }

        return EventDisposition.Applied;
    }

    private static void Track(List<string> ids, string id, bool open)
    {
        ids.Remove(id);
        if (open)
        {
            ids.Add(id);
        }
    }

    protected override IEnumerable<PlanItem> Plan(AccountCareState state, WorkflowRun run)
    {
        var profile = run.Profile!;
        if (!profile.IsKeyAccount)
        {
            yield break; // Ordinary clients are in the portfolio for their revenue only.
        }

        var options = run.Options.AccountCare;
        var kam = run.Kam;
        var today = kam.DateOf(run.Now);
        var anchor = kam.DateOf(state.CreatedAt);

        // Birthdays: a periodic sweep and one after every contact change; the activity reads the personal data.
        var sweepIndex = Period.DaysBetween(anchor, today) / options.BirthdaySweepEveryDays;
        for (var k = sweepIndex; k <= sweepIndex + 1; k++)
        {
            var date = anchor.PlusDays(k * options.BirthdaySweepEveryDays);
            yield return Internal(state, Sweep, Iso(date), kam.Calendar.Zone.AtStartOfDay(date).ToDateTimeOffset(), "Birthday sweep");
        }

        if (state.SweepRequests > 0 && state.SweepRequestedAt is { } requested)
        {
            yield return Internal(state, Sweep, "contacts-" + state.SweepRequests.ToString(CultureInfo.InvariantCulture), requested + SweepDebounce, "Birthday sweep after contact changes");
        }

        foreach (var contract in state.Contracts.Where(c => c.EndsOn.ToLocalDate() >= today))
        {
            foreach (var days in options.ContractRenewalDaysBeforeOrDefault.OrderDescending())
            {
                var due = kam.OnOrBefore(contract.EndsOn.ToLocalDate().PlusDays(-days));
                yield return new PlanItem
                {
                    Id = Id(state.Key, NotificationKind.ContractRenewal, contract.ContractId, contract.EndsOn.ToString("yyyyMMdd", CultureInfo.InvariantCulture), $"{days}d"),
                    Kind = NotificationKind.ContractRenewal,
                    DueAt = due,
                    Title = $"Contract {contract.ContractId} with {profile.Name} ends on {Iso(contract.EndsOn)}: prepare the renewal",
                    SkipWhenLateAfter = run.ReminderGrace,
                    Fields = Of(
                        ("contract_id", Text(contract.ContractId)),
                        ("ends_on", Date(contract.EndsOn)),
                        ("days_left", Number(days)),
                        ("contract_value", Money(contract.Value ?? 0m, contract.Currency ?? profile.Currency))),
                };
            }
        }

        if (options.QuarterlyReviews)
        {
            // The review and the concentration check wait for the quarter's revenue: the business morning after the
            // account reported it, at the latest RevenueReportWaitDays after the quarter (then what is missing is named).
            var quarterStart = QuarterStartOf(today);
            foreach (var start in new[] { quarterStart, quarterStart.PlusMonths(3) })
            {
                var reviewed = start.PlusMonths(-3);
                if (anchor >= start)
                {
                    continue; // The account was not followed during that quarter.
                }

                var label = QuarterLabel(reviewed);
                var deadline = ReviewDeadline(kam, start, options);
                var due = !run.Options.Issue14Rules
                    ? kam.OnOrAfter(start) // Instances started before issue 14 replay their first-business-day reviews.
                    : RevenueReportedAt(state, reviewed) is { } reportedAt && ReminderAfter(kam, reportedAt, start) is var early && early < deadline ? early : deadline;
                yield return new PlanItem
                {
                    Id = Id(state.Key, NotificationKind.QuarterlyBusinessReview, label),
                    Kind = NotificationKind.QuarterlyBusinessReview,
                    Internal = Review,
                    DueAt = due,
                    Title = $"Quarterly business review {label} with {profile.Name}",
                    SkipWhenLateAfter = TimeSpan.FromDays(options.QuarterlyReviewGraceDays),
                };
                if (state.PendingConcentrationChecks.Contains(label))
                {
                    yield return Internal(state, Concentration, label, deadline, $"Concentration check {label} (other accounts had not reported)");
                }
            }
        }

        var lastContact = kam.DateOf(state.LastContactAt ?? state.CreatedAt);
        var newUntil = run.Options.SeedRules ? NewAccountUntil(state, options) : null;
        if (newUntil is { } until && today < until)
        {
            // A new account: silence is flagged after NewAccountDormantAfterDays, as long as the account is new.
            var step = options.NewAccountDormantAfterDays;
            var newIndex = Math.Max(1, Period.DaysBetween(lastContact, today) / step);
            for (var k = newIndex; k <= newIndex + 1 && lastContact.PlusDays(k * step) < until; k++)
            {
                var due = kam.OnOrAfter(lastContact.PlusDays(k * step));
                yield return Dormant(state, profile, kam, lastContact, due, "new-" + k.ToString(CultureInfo.InvariantCulture), run);
            }
        }

        var dormantIndex = Math.Max(1, Period.DaysBetween(lastContact, today) / options.DormantAfterDays);
        for (var n = dormantIndex; n <= dormantIndex + 1; n++)
        {
            if (newUntil is { } end && lastContact.PlusDays(n * options.DormantAfterDays) < end)
            {
                continue; // Within the new-account months the closer cadence above applies.
            }

            var due = kam.OnOrAfter(lastContact.PlusDays(n * options.DormantAfterDays));
            yield return Dormant(state, profile, kam, lastContact, due, n.ToString(CultureInfo.InvariantCulture), run);
        }

        if (run.Options.SeedRules)
        {
            foreach (var item in SeedRuleItems(state, run, profile, kam))
            {
                yield return item;
            }
        }

        if (options.InformationBondNudgeEveryDays > 0 && !profile.Bonds.Contains(WireName.Of(BondKind.InformationAndControl)))
        {
            var nudgeIndex = Math.Max(1, Period.DaysBetween(anchor, today) / options.InformationBondNudgeEveryDays);
            for (var k = nudgeIndex; k <= nudgeIndex + 1; k++)
            {
                yield return new PlanItem
                {
                    Id = Id(state.Key, NotificationKind.InformationBondNudge, k.ToString(CultureInfo.InvariantCulture)),
                    Kind = NotificationKind.InformationBondNudge,
                    DueAt = kam.OnOrAfter(anchor.PlusDays(k * options.InformationBondNudgeEveryDays)),
                    Title = $"Send {profile.Name} an analysis of their results with us",
                    SkipWhenLateAfter = run.ReminderGrace,
                    // No event tells KamFlows that an analysis was sent: the date stays unknown rather than made up.
                    Fields = Of(("last_analysis_on", TemplateValue.OfUnknown(TemplateValueKind.Date))),
                };
            }
        }
    }

    private static PlanItem Dormant(AccountCareState state, Ports.AccountProfile profile, RecipientCalendar kam, LocalDate lastContact, DateTimeOffset due, string occurrence, WorkflowRun run) => new()
    {
        Id = Id(state.Key, NotificationKind.RelationshipDormant, "since-" + Iso(lastContact), occurrence),
        Kind = NotificationKind.RelationshipDormant,
        DueAt = due,
        Title = $"No meeting or event with {profile.Name} since {Iso(lastContact)}",
        SkipWhenLateAfter = run.ReminderGrace,
        Fields = Of(("days_since_last_contact", Number(Period.DaysBetween(lastContact, kam.DateOf(due)))), ("last_contact_on", Date(lastContact))),
    };

    private static PlanItem Internal(AccountCareState state, string step, string occurrence, DateTimeOffset due, string title) => new()
    {
        Id = string.Join('|', state.Key, step, occurrence),
        Internal = step,
        DueAt = due,
        Title = title,
        Projected = false,
    };

    internal static string QuarterLabel(LocalDate quarterStart) =>
        string.Create(CultureInfo.InvariantCulture, $"{quarterStart.Year}-Q{((quarterStart.Month - 1) / 3) + 1}");

    protected override async Task<string> RunInternalAsync(AccountCareState state, PlanItem item, DateTimeOffset sendAt, WorkflowRun run)
    {
        var options = run.Options.AccountCare;
        if (item.Internal == Handover)
        {
            return await BriefAsync(state, item, sendAt, run).ConfigureAwait(true);
        }

        if (item.Internal == Sweep)
        {
            var erased = state.ErasedContacts.ToList();
            var swept = await CallAsync(state, run, ActivityNames.SweepBirthdays, new BirthdaySweepRequest(
                state.AccountId!, state.Key, run.Now, options.BirthdayLookaheadDays, options.BirthdayReminderBusinessDaysBefore,
                run.Options.Timing.ReminderTime, erased), (BirthdaySweepOutcome?)null).ConfigureAwait(true);
            if (swept is null)
            {
                return FiredOutcomes.Failed;
            }

            state.ErasedContacts.RemoveAll(erased.Contains);
            return FiredOutcomes.Done;
        }

        // The quarterly review (or the concentration check left waiting): the quarter that ended before the item's due date.
        var kam = run.Kam;
        var quarterStart = item.Internal == Concentration
            ? ParseQuarter(item.Id[(item.Id.LastIndexOf('|') + 1)..])
            : QuarterStartOf(kam.DateOf(item.DueAt)).PlusMonths(-3);
        var quarterEnd = quarterStart.PlusMonths(3).PlusDays(-1);
        var label = QuarterLabel(quarterStart);
        var profile = run.Profile!;
        var ownEntries = state.Revenue.Where(r => r.PeriodStart >= quarterStart.ToDateOnly() && r.PeriodEnd <= quarterEnd.ToDateOnly()).ToList();
        var deadline = ReviewDeadline(kam, quarterStart.PlusMonths(3), options);
        var outcome = await CallAsync(state, run, ActivityNames.ReviewQuarter, new QuarterlyReviewRequest
        {
            AccountId = state.AccountId!,
            SourceKey = state.Key,
            Quarter = label,
            PeriodStart = quarterStart.ToDateOnly(),
            PeriodEnd = quarterEnd.ToDateOnly(),
            KamSendAt = kam.ToLocal(sendAt),
            HeadSendAt = run.Head.ToLocal(run.Head.NextBusinessMoment(sendAt)),
            OwnRevenue = ownEntries.Where(r => r.Currency == profile.Currency).Sum(r => r.Amount),
            OwnRevenueReported = ownEntries.Count > 0,
            Currency = profile.Currency,
            OpenOpportunities = state.OpenOpportunities.Count,
            OpenComplaints = state.OpenComplaints.Count,
            LowMarginPercent = options.LowMarginPercent,
            SingleAccountWarningPercent = options.SingleAccountWarningPercent,
            TopTwoWarningPercent = options.TopTwoWarningPercent,
            KeyAccountsWarningPercent = options.KeyAccountsWarningPercent,
            InviteDuration = run.InviteDuration,
            KamTimeZone = kam.TimeZone,
            WaitedForReports = sendAt >= deadline - OnTimeTolerance,
            ConcentrationOnly = item.Internal == Concentration,
        }, (QuarterlyReviewOutcome?)null).ConfigureAwait(true);
        if (outcome is null)
        {
            return FiredOutcomes.Failed;
        }

        state.PendingConcentrationChecks.Remove(label);
        if (!outcome.ConcentrationChecked)
        {
            state.PendingConcentrationChecks.Add(label); // Other accounts have not reported: checked again at the deadline.
        }

        if (item.Internal == Concentration)
        {
            return outcome.Outcome;
        }

        state.LastReviewOn = kam.DateOf(sendAt).ToDateOnly();
        run.RequestContinueAsNew(); // A quarter is a natural point to start a fresh, short history.
        return outcome.Outcome;
    }

    /// <summary>The latest the review of the quarter ending before <paramref name="nextQuarterStart"/> waits for revenue reports.</summary>
    private static DateTimeOffset ReviewDeadline(RecipientCalendar kam, LocalDate nextQuarterStart, AccountCareOptions options) =>
        kam.OnOrAfter(nextQuarterStart.PlusDays(options.RevenueReportWaitDays));

    /// <summary>When the account reported revenue for a period ending on the quarter's last day (the whole quarter or its last month), or null.</summary>
    private static DateTimeOffset? RevenueReportedAt(AccountCareState state, LocalDate quarterStart)
    {
        var end = quarterStart.PlusMonths(3).PlusDays(-1).ToDateOnly();
        return state.Revenue.Where(r => r.PeriodEnd == end && r.PeriodStart >= quarterStart.ToDateOnly()).Select(r => r.ReportedAt).Max();
    }

    /// <summary>The first reminder time, on a business day from <paramref name="notBefore"/> on, that is not before <paramref name="reportedAt"/>.</summary>
    private static DateTimeOffset ReminderAfter(RecipientCalendar kam, DateTimeOffset reportedAt, LocalDate notBefore)
    {
        var day = kam.DateOf(reportedAt);
        var due = kam.OnOrAfter(day > notBefore ? day : notBefore);
        return due >= reportedAt ? due : kam.OnOrAfter(day.PlusDays(1));
    }

    private static LocalDate QuarterStartOf(LocalDate date) => new(date.Year, (((date.Month - 1) / 3) * 3) + 1, 1);

    private static LocalDate ParseQuarter(string label) =>
        new(int.Parse(label[..4], CultureInfo.InvariantCulture), ((int.Parse(label[6..], CultureInfo.InvariantCulture) - 1) * 3) + 1, 1);

    protected override void Compact(AccountCareState state, WorkflowRun run)
    {
        var keepFrom = run.Now.AddDays(-run.Options.AccountCare.FiredRetentionDays);
        foreach (var id in state.Fired.Where(f => f.Value.At < keepFrom).Select(f => f.Key).ToList())
        {
            state.Fired.Remove(id);
        }

        var today = DateOnly.FromDateTime(run.Now.UtcDateTime);
        state.Contracts.RemoveAll(c => c.EndsOn.AddDays(31) < today);
        foreach (var stale in state.DeliveryDeadlines.Where(d => d.Value.DueOn.AddYears(1) < today).Select(d => d.Key).ToList())
        {
            state.DeliveryDeadlines.Remove(stale); // Never completed a year after its deadline: no prompt will follow it.
        }

        state.Notes.Clear();
    }

    protected override string? Finished(AccountCareState state, WorkflowRun run) => null;
}
