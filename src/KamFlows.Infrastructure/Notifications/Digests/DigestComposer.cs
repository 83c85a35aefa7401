using System.Globalization;
using KamFlows.Domain.Events;
using KamFlows.Domain.Portfolio;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Infrastructure.Notifications.Templates;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;
using NodaTime;

namespace KamFlows.Infrastructure.Notifications.Digests;

/// <summary>One KAM's planned actions, as the workflows keep them (an action still planned with a past due time is an open, overdue task).</summary>
public sealed record KamWork(EmailRecipient Kam, IReadOnlyList<(string AccountId, string SourceKey, PlannedAction Action)> Actions, IReadOnlyList<PipelineEntry>? Pipeline);

/// <summary>
/// Builds the fields of the daily agenda and the weekly report (pure: same inputs, same fields). Returns null for an
/// empty digest, which is then not sent.
/// </summary>
public sealed class DigestComposer
{
    private static readonly HashSet<string> NotTasks = new(StringComparer.Ordinal)
    {
        nameof(NotificationKind.ContactBirthday), nameof(NotificationKind.DailyAgenda), nameof(NotificationKind.WeeklyReport),
    };

    private static readonly HashSet<string> Expiry = new(StringComparer.Ordinal)
    {
        nameof(NotificationKind.ProposalExpiryReminder), nameof(NotificationKind.ProposalExpired),
    };

    private static readonly HashSet<string> Stall = new(StringComparer.Ordinal)
    {
        nameof(NotificationKind.DealStalled), nameof(NotificationKind.DealStalledEscalation),
    };

    private static readonly HashSet<string> ProposalFollowUp = new(StringComparer.Ordinal)
    {
        nameof(NotificationKind.ProposalCallToConfirmReceipt), nameof(NotificationKind.ProposalAskNextSteps), nameof(NotificationKind.ProposalMeetingNotAgreed),
    };

    private readonly TermBook _terms;

    public DigestComposer(TermBook terms) => _terms = terms;

    /// <summary>
    /// The agenda for the local date of <paramref name="at"/>: overdue (due before today), today, the next 7 days,
    /// proposals expiring within 7 days, birthdays in this ISO week. Each action appears in one section.
    /// </summary>
    /// <remarks><c>missed</c>: items recorded as missed while catching up, reported once in this digest (<see cref="MissedActionStore"/>); <c>accountLink</c>: an account's page (its timeline) for their summary.</remarks>
    public static Dictionary<string, TemplateValue>? DailyAgenda(EmailRecipient kam, DateTimeOffset at, IReadOnlyList<(string AccountId, string SourceKey, PlannedAction Action)> actions,
        IReadOnlyList<MissedActionRow>? missed = null, Func<string, string>? accountLink = null)
    {
        ArgumentNullException.ThrowIfNull(kam);
        ArgumentNullException.ThrowIfNull(actions);
        var calendar = kam.Calendar();
        var today = calendar.DateOf(Instant.FromDateTimeOffset(at));
        var weekStart = today.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday));
        var weekEnd = weekStart.PlusDays(6);
        var horizon = today.PlusDays(7);
        List<IReadOnlyDictionary<string, TemplateValue>> overdue = [], todayRows = [], next = [], expiring = [], birthdays = [];
        foreach (var (accountId, sourceKey, action) in actions.OrderBy(a => a.Action.DueAt).ThenBy(a => a.Action.Title, StringComparer.Ordinal))
        {
            var date = calendar.DateOf(Instant.FromDateTimeOffset(action.DueAt));
            var row = Row(action, accountId, sourceKey);
            if (action.Kind == nameof(NotificationKind.ContactBirthday))
            {
                if (date >= weekStart && date <= weekEnd)
                {
                    birthdays.Add(row);
                }
            }
            else if (Expiry.Contains(action.Kind))
            {
                if (date >= today && date <= horizon)
                {
                    expiring.Add(row);
                }
            }
            else if (!NotTasks.Contains(action.Kind))
            {
                (date < today ? overdue : date == today ? todayRows : date <= horizon ? next : null)?.Add(row);
            }
        }

        missed ??= [];
        if (overdue.Count + todayRows.Count + next.Count + expiring.Count + birthdays.Count + missed.Count == 0)
        {
            return null;
        }

        return new Dictionary<string, TemplateValue>(CaughtUp(missed, accountLink), StringComparer.Ordinal)
        {
            ["account_name"] = TemplateValue.OfText(string.Join(", ", actions.Select(a => a.AccountId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))),
            ["recipient_name"] = TemplateValue.OfText(kam.Name ?? kam.Email),
            ["date"] = TemplateValue.OfDate(today.ToDateOnly()),
            ["today"] = TemplateValue.OfTable(todayRows),
            ["overdue"] = TemplateValue.OfTable(overdue),
            ["next_days"] = TemplateValue.OfTable(next),
            ["expiring_proposals"] = TemplateValue.OfTable(expiring),
            ["birthdays"] = TemplateValue.OfTable(birthdays),
        };
    }

    /// <summary>
    /// The head's report for the ISO week of <paramref name="at"/>: per KAM open overdue tasks, stalled deals and
    /// proposals without follow-up (from the plans), pipeline (when figures are available), pipeline by stage, and
    /// concentration warnings; the dormant key accounts when <paramref name="dormant"/> was checked ("none" is then said too,
    /// unchecked the section is left out). Null when the head has no KAMs, no pipeline, no warnings and no dormant account.
    /// </summary>
    public Dictionary<string, TemplateValue>? WeeklyReport(EmailRecipient head, DateTimeOffset at, IReadOnlyList<KamWork> kams, PortfolioReport? portfolio, Func<string, string> accountName,
        IReadOnlyList<MissedActionRow>? missed = null, Func<string, string>? accountLink = null, (IReadOnlyList<DormantAccount> Accounts, int AfterDays)? dormant = null)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(kams);
        ArgumentNullException.ThrowIfNull(accountName);
        var format = new LocaleFormat(head.Locale, head.TimeZone);
        var rows = new List<IReadOnlyDictionary<string, TemplateValue>>();
        var stages = new SortedDictionary<string, (int Count, decimal Amount, string Currency)>(StringComparer.Ordinal);
        foreach (var kam in kams.OrderBy(k => k.Kam.Name ?? k.Kam.Email, StringComparer.Ordinal))
        {
            var open = kam.Actions.Where(a => a.Action.DueAt < at && !NotTasks.Contains(a.Action.Kind)).ToList();
            var pipeline = kam.Pipeline;
            rows.Add(new Dictionary<string, TemplateValue>(StringComparer.Ordinal)
            {
                ["kam_name"] = TemplateValue.OfText(kam.Kam.Name ?? kam.Kam.Email),
                ["overdue_tasks"] = TemplateValue.OfNumber(open.Count(a => !Expiry.Contains(a.Action.Kind))),
                ["stalled_deals"] = TemplateValue.OfNumber(open.Where(a => Stall.Contains(a.Action.Kind)).Select(a => a.SourceKey).Distinct(StringComparer.Ordinal).Count()),
                ["proposals_without_follow_up"] = TemplateValue.OfNumber(open.Where(a => ProposalFollowUp.Contains(a.Action.Kind)).Select(a => a.SourceKey).Distinct(StringComparer.Ordinal).Count()),
                ["pipeline"] = pipeline is null || pipeline.Count == 0
                    ? TemplateValue.OfText("—")
                    : TemplateValue.OfMoney(pipeline.Sum(p => p.Amount), pipeline[0].Currency),
            });
            foreach (var p in pipeline ?? [])
            {
                var s = stages.TryGetValue(p.Stage, out var found) ? found : (Count: 0, Amount: 0m, Currency: p.Currency);
                stages[p.Stage] = (s.Count + 1, s.Amount + p.Amount, s.Currency);
            }
        }

        var warnings = portfolio?.Warnings.Select(w => Warning(w, format, accountName)).ToList() ?? [];
        missed ??= [];
        var dormantAccounts = dormant?.Accounts ?? [];
        if (rows.Count == 0 && stages.Count == 0 && warnings.Count == 0 && missed.Count == 0 && dormantAccounts.Count == 0)
        {
            return null;
        }

        var week = SendTiming.IsoWeek(at, head.Calendar());
        return new Dictionary<string, TemplateValue>(CaughtUp(missed, accountLink), StringComparer.Ordinal)
        {
            ["account_name"] = TemplateValue.OfText(string.Join(", ", kams.SelectMany(k => k.Actions.Select(a => a.AccountId)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))),
            ["recipient_name"] = TemplateValue.OfText(head.Name ?? head.Email),
            ["week"] = TemplateValue.OfText(week),
            ["kams"] = TemplateValue.OfTable(rows),
            ["pipeline_by_stage"] = TemplateValue.OfTable(stages.Select(kv => (IReadOnlyDictionary<string, TemplateValue>)new Dictionary<string, TemplateValue>(StringComparer.Ordinal)
            {
                ["stage"] = TemplateValue.OfText(kv.Key),
                ["count"] = TemplateValue.OfNumber(kv.Value.Count),
                ["amount"] = TemplateValue.OfMoney(kv.Value.Amount, kv.Value.Currency),
            })),
            ["warnings"] = TemplateValue.OfList(warnings),
            ["dormant_after_days"] = dormant is { } checkedDormant ? TemplateValue.OfNumber(checkedDormant.AfterDays) : TemplateValue.OfUnknown(TemplateValueKind.Number),
            ["dormant_accounts"] = TemplateValue.OfTable(dormantAccounts.Select(d => (IReadOnlyDictionary<string, TemplateValue>)new Dictionary<string, TemplateValue>(StringComparer.Ordinal)
            {
                ["account_name"] = TemplateValue.OfText(d.AccountName),
                ["kam_name"] = TemplateValue.OfText(d.KamName),
                ["last_contact_on"] = d.LastContactOn is { } on ? TemplateValue.OfDate(on) : TemplateValue.OfUnknown(TemplateValueKind.Date),
                ["since_on"] = TemplateValue.OfDate(d.SinceOn),
                ["days_since"] = TemplateValue.OfNumber(d.DaysSince),
                ["link"] = TemplateValue.OfText(accountLink?.Invoke(d.AccountId) ?? string.Empty),
            })),
        };
    }

    private string Warning(ConcentrationWarning w, LocaleFormat format, Func<string, string> accountName)
    {
        var key = w.Kind switch
        {
            ConcentrationWarningKind.SingleAccountDominates => "warning_single_account",
            ConcentrationWarningKind.TopTwoDominate => "warning_top_two",
            ConcentrationWarningKind.MonoDependence => "warning_mono_dependence",
            _ => "warning_key_account_share_atypical",
        };
        var accounts = string.Join(", ", w.AccountIds.Select(accountName));
        return _terms.Phrase(format.Language, key, accounts, format.Percent(w.Share), format.Percent(w.Threshold));
    }

    /// <summary>
    /// "While KamFlows caught up: N reminders were past due and not sent", per account with a link: the fields
    /// <c>caught_up_count</c> and <c>caught_up_accounts</c> (<c>account_name</c>, <c>count</c>, <c>link</c>) of both digests.
    /// </summary>
    public static Dictionary<string, TemplateValue> CaughtUp(IReadOnlyList<MissedActionRow> missed, Func<string, string>? accountLink)
    {
        ArgumentNullException.ThrowIfNull(missed);
        var accounts = missed.GroupBy(m => m.AccountId, StringComparer.Ordinal)
            .OrderBy(g => g.First().AccountName, StringComparer.Ordinal).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (IReadOnlyDictionary<string, TemplateValue>)new Dictionary<string, TemplateValue>(StringComparer.Ordinal)
            {
                ["account_name"] = TemplateValue.OfText(g.First().AccountName is { Length: > 0 } name ? name : g.Key),
                ["count"] = TemplateValue.OfNumber(g.Count()),
                ["link"] = TemplateValue.OfText(accountLink?.Invoke(g.Key) ?? string.Empty),
            });
        return new Dictionary<string, TemplateValue>(StringComparer.Ordinal)
        {
            ["caught_up_count"] = TemplateValue.OfNumber(missed.Count),
            ["caught_up_accounts"] = TemplateValue.OfTable([.. accounts]),
        };
    }

    /// <summary>
    /// An agenda row: the workflow's (English) title, and what non-English templates show instead: the kind (worded by
    /// the term list), the account and the object it concerns (the id in the workflow's key, e.g. P-1001).
    /// </summary>
    private static Dictionary<string, TemplateValue> Row(PlannedAction action, string accountId, string sourceKey) => new(StringComparer.Ordinal)
    {
        ["title"] = TemplateValue.OfText(action.Title),
        ["at"] = TemplateValue.OfInstant(action.DueAt),
        ["kind"] = TemplateValue.OfText(action.Kind),
        ["account"] = TemplateValue.OfText(accountId),
        ["subject"] = TemplateValue.OfText(BusinessKey.TryParse(sourceKey, out var key) && key.Kind != WorkflowKind.Account ? key.Id : string.Empty),
    };

    /// <summary>Deterministic outbox ids: one agenda per KAM and local date, one report per head and ISO week.</summary>
    public static string AgendaId(string email, DateOnly date) =>
        "digest:agenda|" + UnsubscribeLinks.Normalize(email) + "|" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string ReportId(string email, string isoWeek) => "digest:report|" + UnsubscribeLinks.Normalize(email) + "|" + isoWeek;
}
