namespace KamFlows.Workflows.AccountCare;

/// <summary>Input of the birthday sweep: what it needs to plan, never a birthday (those stay in the erasable personal-data store).</summary>
public sealed record BirthdaySweepRequest(
    string AccountId,
    string SourceKey,
    DateTimeOffset Now,
    int LookaheadDays,
    int ReminderBusinessDaysBefore,
    string ReminderTime,
    IReadOnlyList<string> ErasedContactIds);

/// <summary>What the sweep did, in numbers only.</summary>
public sealed record BirthdaySweepOutcome(int Planned, int Enqueued, int Withdrawn);

/// <summary>Input of the quarterly review: the quarter, the account's numbers the workflow knows, thresholds and send times.</summary>
public sealed record QuarterlyReviewRequest
{
    public required string AccountId { get; init; }

    public required string SourceKey { get; init; }

    /// <summary>The reviewed quarter, e.g. <c>2026-Q1</c>.</summary>
    public required string Quarter { get; init; }

    public required DateOnly PeriodStart { get; init; }

    public required DateOnly PeriodEnd { get; init; }

    public required DateTimeOffset KamSendAt { get; init; }

    public required DateTimeOffset HeadSendAt { get; init; }

    /// <summary>Revenue of the quarter from the account's own kam.revenue.reported events (used when the portfolio read has none).</summary>
    public decimal OwnRevenue { get; init; }

    public string Currency { get; init; } = "EUR";

    public int OpenOpportunities { get; init; }

    public int OpenComplaints { get; init; }

    public decimal LowMarginPercent { get; init; }

    public decimal SingleAccountWarningPercent { get; init; }

    public decimal TopTwoWarningPercent { get; init; }

    public decimal KeyAccountsWarningPercent { get; init; }

    public TimeSpan InviteDuration { get; init; }

    public string KamTimeZone { get; init; } = "UTC";

    /// <summary>Whether the account's own kam.revenue.reported events cover the quarter (else its revenue is unknown).</summary>
    public bool OwnRevenueReported { get; init; }

    /// <summary>The wait for revenue reports is over: the concentration check runs with what was reported and names who has not.</summary>
    public bool WaitedForReports { get; init; }

    /// <summary>Only the concentration check (it waited for other accounts); the KAM's review was sent already.</summary>
    public bool ConcentrationOnly { get; init; }
}

/// <summary>What the review sent, in numbers and codes only.</summary>
/// <param name="Outcome">What happened to the review reminder (enqueued, duplicate …).</param>
/// <param name="RevenueSharePercent">Null when unknown (not reported, or a currency without a rate).</param>
/// <param name="Warnings">Codes of the concentration warnings sent to the head.</param>
/// <param name="ValueBondRisk">Whether the value-bond risk flag was raised.</param>
/// <param name="ConcentrationChecked">False when other accounts had not reported yet and the wait was not over.</param>
public sealed record QuarterlyReviewOutcome(string Outcome, decimal? RevenueSharePercent, IReadOnlyList<string> Warnings, bool ValueBondRisk, bool ConcentrationChecked = true);

/// <summary>Codes of what a cross-sell prompt follows (template fields and plan ids).</summary>
public static class CrossSellKinds
{
    public const string Contract = "contract";
    public const string Delivery = "delivery";
}

/// <summary>A contract still running, for the new KAM's briefing.</summary>
public sealed record HandoverContract(string ContractId, DateOnly EndsOn);

/// <summary>Input of the handover briefing: ids and dates the workflow knows, never a contact's name (the activity reads the DMU).</summary>
public sealed record HandoverBriefingRequest
{
    public required string AccountId { get; init; }

    public required string SourceKey { get; init; }

    public required string NotificationId { get; init; }

    /// <summary>The new KAM's local send time.</summary>
    public required DateTimeOffset SendAt { get; init; }

    public required DateTimeOffset HandoverAt { get; init; }

    public required string PreviousKamEmail { get; init; }

    public string? PreviousKamName { get; init; }

    /// <summary>At most this many timeline entries before the handover.</summary>
    public int HistoryEntries { get; init; } = 15;

    public IReadOnlyList<string> OpenOpportunities { get; init; } = [];

    public IReadOnlyList<string> OpenComplaints { get; init; } = [];

    public IReadOnlyList<HandoverContract> Contracts { get; init; } = [];

    /// <summary>Upcoming actions of every workflow of the account in this many days after sending are listed.</summary>
    public int UpcomingDays { get; init; } = 90;
}
