using System.Text.Json.Serialization;
using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.AccountCare;

/// <summary>The communication scheme of a key account (section <c>KamFlows:Workflows:AccountCare</c>); DOMAIN.md "After the contract", "Key accounts", "DMU".</summary>
public sealed class AccountCareOptions
{
    public static readonly IReadOnlyList<int> DefaultContractRenewalDaysBefore = [120, 60, 30];

    /// <summary>A DMU member's birthday is reminded this many business days before (0: on the day, or the business day before).</summary>
    public int BirthdayReminderBusinessDaysBefore { get; set; } = 1;

    /// <summary>Each sweep enqueues the birthday reminders of the next this many days (more than the sweep interval).</summary>
    public int BirthdayLookaheadDays { get; set; } = 14;

    /// <summary>Birthdays are swept every this many days (and after every contact change).</summary>
    public int BirthdaySweepEveryDays { get; set; } = 7;

    /// <summary>Renewal reminders this many days before a contract ends (default 120, 60, 30).</summary>
    public int[]? ContractRenewalDaysBefore { get; set; }

    [JsonIgnore]
    public IReadOnlyList<int> ContractRenewalDaysBeforeOrDefault => ContractRenewalDaysBefore ?? DefaultContractRenewalDaysBefore;

    /// <summary>No meeting or other event with the account for this many days: the relationship is dormant.</summary>
    public int DormantAfterDays { get; set; } = 60;

    /// <summary>Quarterly business (ROI) review with the account's numbers, once the quarter's revenue is reported.</summary>
    public bool QuarterlyReviews { get; set; } = true;

    /// <summary>
    /// The review and the concentration check wait for the quarter's revenue reports at most this many days after the
    /// quarter ends; then they run with what was reported, saying the revenue is unknown and naming the accounts that have not reported.
    /// </summary>
    public int RevenueReportWaitDays { get; set; } = 20;

    /// <summary>A quarterly review found later than this (outage, account registered mid-quarter) is skipped until the next quarter.</summary>
    public int QuarterlyReviewGraceDays { get; set; } = 30;

    /// <summary>Accounts without an information-and-control bond are nudged to send an analysis every this many days (0: never).</summary>
    public int InformationBondNudgeEveryDays { get; set; } = 30;

    /// <summary>Accounts held mainly by value bonds are flagged when their margin is below this percent.</summary>
    public decimal LowMarginPercent { get; set; } = 10m;

    /// <summary>Concentration warning to the head: one account brings at least this percent of revenue.</summary>
    public decimal SingleAccountWarningPercent { get; set; } = 25m;

    /// <summary>Concentration warning: the two largest accounts bring at least this percent.</summary>
    public decimal TopTwoWarningPercent { get; set; } = 50m;

    /// <summary>Concentration warning: key accounts bring more than this percent (mono-dependence, seed 001: "exceeds").</summary>
    public decimal KeyAccountsWarningPercent { get; set; } = 75m;

    /// <summary>What was sent is remembered this many days (older entries are dropped when the instance continues as new).</summary>
    public int FiredRetentionDays { get; set; } = 400;

    /// <summary>
    /// An account is new (seed 001: new clients need even more attention) for this many months from its first contract's
    /// start, else from when KamFlows started following it (0: no closer cadence).
    /// </summary>
    public int NewAccountMonths { get; set; } = 6;

    /// <summary>While the account is new, the relationship is dormant after this many days without a meeting or event.</summary>
    public int NewAccountDormantAfterDays { get; set; } = 14;

    /// <summary>After <c>kam.contract.signed</c>, the KAM is prompted to offer the client's other branches and divisions after this many business days.</summary>
    public int CrossSellAfterBusinessDays { get; set; } = 10;

    /// <summary>After a successful <c>kam.delivery.completed</c> (on time, expectations met): the same prompt after this many business days.</summary>
    public int CrossSellAfterDeliveryBusinessDays { get; set; } = 10;

    /// <summary>A new KAM's briefing lists at most this many of the account's latest timeline entries.</summary>
    public int HandoverHistoryEntries { get; set; } = 15;

    internal void Validate(OptionErrors e)
    {
        e.Between(nameof(NewAccountMonths), NewAccountMonths, 0, 36);
        e.AtLeast(nameof(NewAccountDormantAfterDays), NewAccountDormantAfterDays, 1);
        if (NewAccountDormantAfterDays > DormantAfterDays)
        {
            e.Add(nameof(NewAccountDormantAfterDays), $"must not be longer than DormantAfterDays ({DormantAfterDays}): new accounts get a closer cadence");
        }

        e.Between(nameof(CrossSellAfterBusinessDays), CrossSellAfterBusinessDays, 1, 120);
        e.Between(nameof(CrossSellAfterDeliveryBusinessDays), CrossSellAfterDeliveryBusinessDays, 1, 120);
        e.Between(nameof(HandoverHistoryEntries), HandoverHistoryEntries, 1, 100);
        e.AtLeast(nameof(BirthdayReminderBusinessDaysBefore), BirthdayReminderBusinessDaysBefore, 0);
        e.AtLeast(nameof(BirthdaySweepEveryDays), BirthdaySweepEveryDays, 1);
        if (BirthdayLookaheadDays <= BirthdaySweepEveryDays)
        {
            e.Add(nameof(BirthdayLookaheadDays), $"must be longer than BirthdaySweepEveryDays ({BirthdaySweepEveryDays}), or birthdays between sweeps would be missed");
        }

        e.AllAtLeast(nameof(ContractRenewalDaysBefore), ContractRenewalDaysBefore, 1);
        e.AtLeast(nameof(DormantAfterDays), DormantAfterDays, 1);
        e.AtLeast(nameof(QuarterlyReviewGraceDays), QuarterlyReviewGraceDays, 1);
        e.Between(nameof(RevenueReportWaitDays), RevenueReportWaitDays, 0, 60);
        e.AtLeast(nameof(InformationBondNudgeEveryDays), InformationBondNudgeEveryDays, 0);
        e.Between(nameof(LowMarginPercent), LowMarginPercent, 0m, 100m);
        e.Between(nameof(SingleAccountWarningPercent), SingleAccountWarningPercent, 1m, 100m);
        e.Between(nameof(TopTwoWarningPercent), TopTwoWarningPercent, 1m, 100m);
        e.Between(nameof(KeyAccountsWarningPercent), KeyAccountsWarningPercent, 1m, 100m);
        e.AtLeast(nameof(FiredRetentionDays), FiredRetentionDays, 120);
    }
}
