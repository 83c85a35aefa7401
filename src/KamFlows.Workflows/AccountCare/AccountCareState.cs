using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.AccountCare;

/// <summary>What the account workflow keeps between events: contact recency, contracts, revenue, open deals and complaints. No personal data.</summary>
public sealed class AccountCareState : WorkflowState
{
    /// <summary>The last meeting or other event with the account.</summary>
    public DateTimeOffset? LastContactAt { get; set; }

    public List<ContractTerm> Contracts { get; set; } = [];

    public List<RevenueEntry> Revenue { get; set; } = [];

    public List<string> OpenOpportunities { get; set; } = [];

    public List<string> OpenComplaints { get; set; } = [];

    /// <summary>The date of the last quarterly review (the regular analysis sent to the client).</summary>
    public DateOnly? LastReviewOn { get; set; }

    /// <summary>Contact changes since the instance started (each asks for a birthday sweep).</summary>
    public int SweepRequests { get; set; }

    /// <summary>When the last contact change arrived: one sweep follows a burst of changes (a CRM sync), shortly after.</summary>
    public DateTimeOffset? SweepRequestedAt { get; set; }

    /// <summary>Contacts erased since the last sweep: their pending birthday reminders are withdrawn.</summary>
    public List<string> ErasedContacts { get; set; } = [];

    /// <summary>Quarters (e.g. 2026-Q1) whose concentration check waits for other accounts' revenue reports until the deadline.</summary>
    public List<string> PendingConcentrationChecks { get; set; } = [];

    /// <summary>The KAM the instance last saw on <c>kam.account.upserted</c> (a team member, not a client contact); null before the first.</summary>
    public string? KamEmail { get; set; }

    public string? KamName { get; set; }

    /// <summary>The latest change of KAM (the first KAM is none); its briefing goes to the new KAM.</summary>
    public KamHandover? LastHandover { get; set; }

    /// <summary>The start of the account's first contract KamFlows saw; without <see cref="ClientSince"/>, the account is new for NewAccountMonths from it.</summary>
    public DateOnly? FirstContractStartsOn { get; set; }

    /// <summary>Since when the client buys from us, as the CRM sent it (<c>client_since</c> on kam.account.upserted).</summary>
    public DateOnly? ClientSince { get; set; }

    /// <summary>What the one pending cross-sell prompt follows (contracts, successful deliveries), oldest first; empty when none is pending.</summary>
    public List<CrossSellTrigger> CrossSellAfter { get; set; } = [];

    /// <summary>When the last open complaint of the account was resolved or closed (a held cross-sell prompt waits for it).</summary>
    public DateTimeOffset? ComplaintsClearedAt { get; set; }

    /// <summary>Deadlines of deliveries scheduled and not completed yet, by delivery id: a delivery late against its deadline earns no cross-sell prompt.</summary>
    public Dictionary<string, DeliveryDeadline> DeliveryDeadlines { get; set; } = [];
}

/// <summary>A scheduled delivery's deadline in force, and whether an earlier one had passed when it was moved (then it is late whatever comes).</summary>
public sealed record DeliveryDeadline(DateOnly DueOn, bool Missed);

/// <summary>A change of KAM: when it arrived, who had the account (email and name as the CRM sent them) and the change's number.</summary>
public sealed record KamHandover(int Number, DateTimeOffset At, string PreviousKamEmail, string? PreviousKamName, string NewKamEmail);

/// <summary>A signed contract (<c>contract</c>) or a successful delivery (<c>delivery</c>) a cross-sell prompt follows.</summary>
public sealed record CrossSellTrigger(string Kind, string Id, DateTimeOffset At, string? Description);

public sealed record ContractTerm(string ContractId, DateOnly StartsOn, DateOnly EndsOn, decimal? Value, string? Currency);

/// <summary>Revenue the account reported; <see cref="ReportedAt"/> is when the report arrived (null in state kept before it was recorded).</summary>
public sealed record RevenueEntry(DateOnly PeriodStart, DateOnly PeriodEnd, decimal Amount, string Currency, DateTimeOffset? ReportedAt = null);
