namespace KamFlows.Workflows.Ports;

/// <summary>
/// A KAM or head as workflows need them: where to write and which business calendar to plan in. <see cref="Holidays"/>
/// are the CRM's; the national holidays of <see cref="Country"/> (else of the zone's country) are added to them.
/// </summary>
public sealed record TeamMemberProfile(
    string Email,
    string? Name,
    string Locale,
    string TimeZone,
    IReadOnlyList<string> WorkingDays,
    string Opens,
    string Closes,
    IReadOnlyList<DateOnly> Holidays,
    string? Country = null,
    string? Title = null);

/// <summary>The account facts workflows plan with (from the latest kam.account.upserted). No personal data.</summary>
public sealed record AccountProfile(
    string AccountId,
    string Name,
    string Currency,
    TeamMemberProfile Kam,
    TeamMemberProfile Head,
    decimal? PriceFloor,
    bool AllowsDirectReferenceRequests,
    bool IsKeyAccount,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> Bonds,
    string? Country = null);

/// <summary>A DMU member without personal data (that stays in its own erasable record); country, zone and language when the CRM sent them.</summary>
public sealed record ContactProfile(
    string ContactId,
    string AccountId,
    string Name,
    string? Email,
    string Role,
    string Influence,
    string Attitude,
    bool Erased,
    string? Country = null,
    string? TimeZone = null,
    string? Locale = null);

/// <summary>Personal data of one contact, read only by activities that need it right before sending; never returned to orchestrators.</summary>
public sealed record ContactPersonalFacts(string ContactId, DateOnly? Birthday, bool BirthdayHasYear, IReadOnlyList<string> Hobbies);

/// <summary>Reads the account state that intake keeps (implemented on Azure Tables in Infrastructure).</summary>
public interface IAccountReader
{
    Task<AccountProfile?> GetProfileAsync(string accountId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ContactProfile>> GetContactsAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>Null when the contact is unknown or erased.</summary>
    Task<ContactPersonalFacts?> GetPersonalFactsAsync(string accountId, string contactId, CancellationToken cancellationToken);

    /// <summary>Every complaint of the account, open or resolved (reference and referral requests wait while one is open).</summary>
    Task<IReadOnlyList<ComplaintFacts>> GetComplaintsAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>
    /// Revenue reported (<c>kam.revenue.reported</c>) by every account for periods that overlap [<paramref name="periodStart"/>,
    /// <paramref name="periodEnd"/>], each with whether its account is a key account. The quarterly review computes the
    /// account's share and the portfolio's concentration from it. Added after the first release: the default knows none.
    /// </summary>
    Task<IReadOnlyList<ReportedRevenue>> GetReportedRevenueAsync(DateOnly periodStart, DateOnly periodEnd, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReportedRevenue>>([]);

    /// <summary>
    /// The account's gross margin in percent over [<paramref name="periodStart"/>, <paramref name="periodEnd"/>]: revenue-weighted over its
    /// <c>kam.revenue.reported</c> reports within the period that carry <c>margin_percent</c> or <c>gross_margin</c>; null when none does.
    /// Value-bond accounts with a low margin are flagged.
    /// </summary>
    Task<decimal?> GetMarginPercentAsync(string accountId, DateOnly periodStart, DateOnly periodEnd, CancellationToken cancellationToken) =>
        Task.FromResult<decimal?>(null);

    /// <summary>
    /// The reporting currency and the configured rates (<c>KamFlows:Portfolio</c>) revenue in other currencies is converted
    /// with; null when none are configured (then the account's own currency is the reporting one and no rate is known).
    /// </summary>
    Task<CurrencyRates?> GetCurrencyRatesAsync(CancellationToken cancellationToken) => Task.FromResult<CurrencyRates?>(null);

    /// <summary>
    /// The account's timeline before <paramref name="before"/>, newest first, at most <paramref name="max"/> entries (events
    /// received and notifications sent; no personal data). A new KAM's briefing lists them. Added with the seed rules:
    /// the default knows none, and the briefing then says so.
    /// </summary>
    Task<IReadOnlyList<AccountHistoryEntry>> GetRecentHistoryAsync(string accountId, DateTimeOffset before, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AccountHistoryEntry>>([]);

    /// <summary>The account's proposals sent to the client (kam.proposal.sent/revised, accepted, rejected), for a meeting's preparation. Added with the meeting workflow: the default knows none.</summary>
    Task<IReadOnlyList<ProposalFacts>> GetProposalsAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProposalFacts>>([]);

    /// <summary>The account's meetings logged as held (kam.meeting.logged), for a meeting's preparation. Added with the meeting workflow: the default knows none.</summary>
    Task<IReadOnlyList<HeldMeetingFacts>> GetHeldMeetingsAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<HeldMeetingFacts>>([]);
}

/// <summary>One line of an account's history: when, what (a canonical event type or a notification kind) and what it was about (an id; may be empty).</summary>
public sealed record AccountHistoryEntry(DateTimeOffset Time, string Kind, string Subject);

/// <summary>One proposal of an account as intake stored it: its current version, status (<c>sent</c>, <c>acknowledged</c>, <c>accepted</c> ...) and validity.</summary>
public sealed record ProposalFacts(string ProposalId, int Version, string Status, DateOnly? ValidUntil)
{
    /// <summary>Open on <paramref name="date"/>: the client has not accepted or rejected it and it is still valid.</summary>
    public bool IsOpenOn(DateOnly date) => Status is not ("accepted" or "rejected") && (ValidUntil is not { } until || until >= date);
}

/// <summary>A meeting with the client logged as held: when, the CRM's summary and the next step agreed (no attendees).</summary>
public sealed record HeldMeetingFacts(string MeetingId, DateTimeOffset HeldAt, string? Summary, string? NextStep);

/// <summary>One complaint of an account as intake stored it (kam.complaint.*): open while neither resolved nor closed.</summary>
public sealed record ComplaintFacts(string ComplaintId, string? DeliveryId, DateTimeOffset OpenedAt, DateTimeOffset? ResolvedAt)
{
    public bool IsOpen => ResolvedAt is null;
}

/// <summary>Units of <see cref="ReportingCurrency"/> per one unit of each other currency (ISO 4217 codes).</summary>
public sealed record CurrencyRates(string ReportingCurrency, IReadOnlyDictionary<string, decimal> Rates);

/// <summary>One revenue report of one account (inclusive dates), as <c>kam.revenue.reported</c> gave it.</summary>
public sealed record ReportedRevenue(string AccountId, DateOnly PeriodStart, DateOnly PeriodEnd, decimal Amount, string Currency, bool IsKeyAccount);
