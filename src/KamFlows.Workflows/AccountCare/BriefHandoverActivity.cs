using KamFlows.Domain.Events;
using Microsoft.DurableTask;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.AccountCare;

/// <summary>
/// The briefing of a KAM who takes an account over (seed 001: a new KAM first studies the account's history and its
/// decision makers): the account's latest timeline entries, the DMU (name, role, attitude, influence), open
/// opportunities and complaints, running contracts and upcoming actions of every workflow of the account, and who had
/// the account. Reads names here, so none enters workflow history; returns the outcome code only.
/// </summary>
public sealed class BriefHandoverActivity(IAccountReader accounts, INotificationOutbox outbox, IUpcomingActions upcoming)
    : TaskActivity<HandoverBriefingRequest, string>
{
    /// <summary>Timeline kinds that say nothing about the relationship (the DMU section lists the people; digests are per KAM).</summary>
    private static readonly HashSet<string> NotHistory = new(StringComparer.Ordinal)
    {
        CanonicalEventTypes.AccountUpserted, CanonicalEventTypes.ContactUpserted, CanonicalEventTypes.ContactErased,
        nameof(NotificationKind.DailyAgenda), nameof(NotificationKind.WeeklyReport), nameof(NotificationKind.AccountHandoverBriefing),
    };

    private const int MaxUpcoming = 15;

    public override async Task<string> RunAsync(TaskActivityContext context, HandoverBriefingRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = CancellationToken.None;
        var profile = await accounts.GetProfileAsync(input.AccountId, ct).ConfigureAwait(false);
        if (profile is null)
        {
            return FiredOutcomes.NoProfile;
        }

        var kam = RecipientCalendar.For(profile.Kam, new TimeOnly(9, 0));
        var history = (await accounts.GetRecentHistoryAsync(input.AccountId, input.HandoverAt, input.HistoryEntries * 3, ct).ConfigureAwait(false))
            .Where(h => !NotHistory.Contains(h.Kind))
            .OrderByDescending(h => h.Time)
            .Take(input.HistoryEntries)
            .Select(h => TemplateFields.Of(("on", TemplateFields.Date(kam.DateOf(h.Time))), ("event", TemplateValue.OfText(h.Kind)), ("subject", TemplateValue.OfText(h.Subject))));
        var dmu = (await accounts.GetContactsAsync(input.AccountId, ct).ConfigureAwait(false))
            .Where(c => !c.Erased)
            .OrderBy(c => Influence(c.Influence))
            .ThenBy(c => c.ContactId, StringComparer.Ordinal)
            .Select(c => TemplateFields.Of(("name", TemplateValue.OfText(c.Name)), ("role", TemplateValue.OfText(c.Role)),
                ("attitude", TemplateValue.OfText(c.Attitude)), ("influence", TemplateValue.OfText(c.Influence))));
        var planned = (await upcoming.ForAccountAsync(input.AccountId, input.SendAt, input.SendAt.AddDays(input.UpcomingDays), ct).ConfigureAwait(false))
            .Where(p => p.Action.DueAt > input.SendAt && p.Action.Kind != nameof(NotificationKind.AccountHandoverBriefing))
            .OrderBy(p => p.Action.DueAt)
            .ThenBy(p => p.Action.Kind, StringComparer.Ordinal)
            .Take(MaxUpcoming)
            .Select(p => TemplateFields.Of(("kind", TemplateValue.OfText(p.Action.Kind)), ("due_on", TemplateFields.Date(kam.DateOf(p.Action.DueAt)))));

        var request = new NotificationRequest
        {
            NotificationId = input.NotificationId,
            Kind = NotificationKind.AccountHandoverBriefing,
            Recipient = new NotificationRecipient(profile.Kam.Email, profile.Kam.Name, profile.Kam.Locale, profile.Kam.TimeZone, RecipientRole.Kam),
            SendAt = input.SendAt,
            AccountId = input.AccountId,
            SourceKey = input.SourceKey,
            Essential = NotificationCatalog.For(NotificationKind.AccountHandoverBriefing).Essential,
            Fields = new Dictionary<string, TemplateValue>(StringComparer.Ordinal)
            {
                ["account_name"] = TemplateValue.OfText(profile.Name),
                ["recipient_name"] = TemplateValue.OfText(profile.Kam.Name ?? profile.Kam.Email),
                ["previous_kam_name"] = TemplateValue.OfText(input.PreviousKamName ?? input.PreviousKamEmail),
                ["handover_on"] = TemplateFields.Date(kam.DateOf(input.HandoverAt)),
                ["history"] = TemplateValue.OfTable(history),
                ["dmu"] = TemplateValue.OfTable(dmu),
                ["open_opportunities"] = TemplateValue.OfList(input.OpenOpportunities),
                ["open_complaints"] = TemplateValue.OfList(input.OpenComplaints),
                ["contracts"] = TemplateValue.OfTable(input.Contracts.Select(c => TemplateFields.Of(("contract_id", TemplateValue.OfText(c.ContractId)), ("ends_on", TemplateValue.OfDate(c.EndsOn))))),
                ["upcoming"] = TemplateValue.OfTable(planned),
            },
        };
        return await outbox.EnqueueAsync(NotificationCatalog.RequireComplete(request), ct).ConfigureAwait(false) ? FiredOutcomes.Enqueued : FiredOutcomes.Duplicate;
    }

    private static int Influence(string influence) => influence switch
    {
        "high" => 0,
        "medium" => 1,
        _ => 2,
    };
}
