// The seed rules of issue 14 item 7 in account care (decision rules 3; every planning change here is gated on
// run.Options.SeedRules, so executions recorded before replay unchanged). Invariants: a handover is remembered only when
// kam.account.upserted names a different KAM than the instance saw (the first KAM is none); at most one cross-sell prompt
// is pending per account, cleared when it fires; no contact's name enters history (the briefing's activity reads them).
using System.Globalization;
using KamFlows.Domain.Events.Data;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using NodaTime;
using static KamFlows.Workflows.Common.TemplateFields;

namespace KamFlows.Workflows.AccountCare;

/// <summary>Seed 001: a new KAM studies the account first, new clients get a closer cadence, after a contract the client's other branches.</summary>
public sealed partial class AccountCare
{
    internal const string Handover = "handover";

    /// <summary>A briefing not sent within this time of its handover (a long outage) is not planned any more.</summary>
    private static readonly TimeSpan HandoverBriefingWindow = TimeSpan.FromDays(30);

    private const int MaxCrossSellTriggers = 10;

    /// <summary>A different KAM than the one seen before takes the account over; the very first KAM is no handover.</summary>
    private static void NoteKam(AccountCareState state, AccountUpserted d, DateTimeOffset at)
    {
        var email = d.Kam.Email.Value;
        if (state.KamEmail is { } previous && !string.Equals(previous, email, StringComparison.OrdinalIgnoreCase))
        {
            state.LastHandover = new KamHandover((state.LastHandover?.Number ?? 0) + 1, at, previous, state.KamName, email);
        }

        state.KamEmail = email;
        state.KamName = d.Kam.Name;
        if (d.ClientSince is { } since)
        {
            state.ClientSince = since.ToDateOnly();
        }
    }

    private static void CloseComplaint(AccountCareState state, string complaintId, DateTimeOffset at)
    {
        var wasOpen = state.OpenComplaints.Contains(complaintId);
        Track(state.OpenComplaints, complaintId, open: false);
        if (wasOpen && state.OpenComplaints.Count == 0)
        {
            state.ComplaintsClearedAt = at; // A held cross-sell prompt may go now.
        }
    }

    /// <summary>Joins the pending cross-sell prompt (one at a time per account); older executions keep none.</summary>
    private static void AddCrossSellTrigger(AccountCareState state, CrossSellTrigger trigger, WorkflowRun run)
    {
        if (!run.Options.SeedRules || state.CrossSellAfter.Exists(t => t.Kind == trigger.Kind && t.Id == trigger.Id)
            || state.CrossSellAfter.Count >= MaxCrossSellTriggers)
        {
            return;
        }

        state.CrossSellAfter.Add(trigger);
    }

    /// <summary>The handover briefing and the cross-sell prompt (decision rules 3).</summary>
    private static IEnumerable<PlanItem> SeedRuleItems(AccountCareState state, WorkflowRun run, Ports.AccountProfile profile, RecipientCalendar kam)
    {
        var options = run.Options.AccountCare;
        if (state.LastHandover is { } handover && run.Now - handover.At < HandoverBriefingWindow)
        {
            // The next business morning of the new KAM: time to study the account before the first contact.
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.AccountHandoverBriefing, handover.Number.ToString(CultureInfo.InvariantCulture)),
                Kind = NotificationKind.AccountHandoverBriefing,
                Internal = Handover,
                DueAt = kam.OnOrAfter(kam.DateOf(handover.At).PlusDays(1)),
                Title = $"Study {profile.Name} (history, decision makers, open items) before taking it over from {handover.PreviousKamName ?? handover.PreviousKamEmail}",
            };
        }

        if (state.CrossSellAfter.Count > 0 && state.OpenComplaints.Count == 0)
        {
            // One prompt for everything that arrived before it is sent, a settling period after the first; held while a complaint is open.
            var first = state.CrossSellAfter[0];
            var settled = kam.BusinessDaysAfter(first.At, first.Kind == CrossSellKinds.Delivery ? options.CrossSellAfterDeliveryBusinessDays : options.CrossSellAfterBusinessDays);
            var afterComplaints = state.ComplaintsClearedAt is { } cleared ? kam.OnOrAfter(kam.DateOf(cleared).PlusDays(1)) : settled;
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.CrossSellPrompt, first.Kind + "-" + first.Id),
                Kind = NotificationKind.CrossSellPrompt,
                DueAt = afterComplaints > settled ? afterComplaints : settled,
                Title = $"Offer {profile.Name} other branches, divisions and related products after {string.Join(", ", state.CrossSellAfter.Select(t => t.Kind + " " + t.Id))}",
                Fields = Of(("after", TemplateValue.OfTable(state.CrossSellAfter.Select(t => (IReadOnlyDictionary<string, TemplateValue>)Of(
                    ("kind", Text(t.Kind)),
                    ("subject", Text(t.Id)),
                    ("delivery_description", Text(t.Description ?? string.Empty)),
                    ("on", Date(kam.DateOf(t.At)))))))),
            };
        }
    }

    /// <summary>
    /// Until when the account is new: NewAccountMonths from the CRM's client_since, else from its first contract's start
    /// unless revenue was reported for a period before that start (a client who already bought from us: the contract is a
    /// renewal); null when nothing says it is new (an account KamFlows merely started following is not a new client) or the rule is off.
    /// </summary>
    private static LocalDate? NewAccountUntil(AccountCareState state, AccountCareOptions options) =>
        options.NewAccountMonths <= 0 || (state.ClientSince ?? FirstContractOfANewClient(state)) is not { } since ? null : since.ToLocalDate().PlusMonths(options.NewAccountMonths);

    private static DateOnly? FirstContractOfANewClient(AccountCareState state) =>
        state.FirstContractStartsOn is { } first && !state.Revenue.Any(r => r.PeriodStart < first && r.Amount > 0m) ? first : null;

    protected override void OnFired(AccountCareState state, PlanItem item, FiredAction fired, WorkflowRun run)
    {
        base.OnFired(state, item, fired, run);
        if (item.Kind == NotificationKind.CrossSellPrompt)
        {
            state.CrossSellAfter.Clear(); // The prompt named them all; the next contract starts a new one.
        }
    }

    /// <summary>The new KAM's briefing: the activity reads history, DMU and upcoming actions, so no contact's name enters history.</summary>
    private static async Task<string> BriefAsync(AccountCareState state, PlanItem item, DateTimeOffset sendAt, WorkflowRun run)
    {
        var handover = state.LastHandover!;
        var kam = run.Kam;
        var today = kam.DateOf(sendAt).ToDateOnly();
        var outcome = await CallAsync(state, run, ActivityNames.BriefHandover, new HandoverBriefingRequest
        {
            AccountId = state.AccountId!,
            SourceKey = state.Key,
            NotificationId = item.Id,
            SendAt = kam.ToLocal(sendAt),
            HandoverAt = handover.At,
            PreviousKamEmail = handover.PreviousKamEmail,
            PreviousKamName = handover.PreviousKamName,
            HistoryEntries = run.Options.AccountCare.HandoverHistoryEntries,
            OpenOpportunities = [.. state.OpenOpportunities],
            OpenComplaints = [.. state.OpenComplaints],
            Contracts = [.. state.Contracts.Where(c => c.EndsOn >= today).OrderBy(c => c.EndsOn).Select(c => new HandoverContract(c.ContractId, c.EndsOn))],
        }, (string?)null).ConfigureAwait(true);
        return outcome ?? FiredOutcomes.Failed;
    }
}
