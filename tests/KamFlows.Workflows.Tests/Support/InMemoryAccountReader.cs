using System.Collections.Concurrent;
using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Tests.Support;

/// <summary>Account state as intake would keep it, in memory.</summary>
public sealed class InMemoryAccountReader : IAccountReader
{
    public ConcurrentDictionary<string, AccountProfile> Profiles { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, List<ContactProfile>> Contacts { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, ContactPersonalFacts> Facts { get; } = new(StringComparer.Ordinal);

    public List<ReportedRevenue> Revenue { get; } = [];

    /// <summary>Complaints as intake stores them; tests add and resolve them as the events would.</summary>
    public ConcurrentDictionary<string, ComplaintFacts> Complaints { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, decimal> Margins { get; } = new(StringComparer.Ordinal);

    /// <summary>The account timeline as intake keeps it (any account; tests add entries).</summary>
    public List<AccountHistoryEntry> History { get; } = [];

    public Task<IReadOnlyList<AccountHistoryEntry>> GetRecentHistoryAsync(string accountId, DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        lock (History)
        {
            return Task.FromResult<IReadOnlyList<AccountHistoryEntry>>([.. History.Where(h => h.Time < before).OrderByDescending(h => h.Time).Take(max)]);
        }
    }
    /// <summary>Proposals as intake stores them (by id).</summary>
    public ConcurrentDictionary<string, ProposalFacts> Proposals { get; } = new(StringComparer.Ordinal);

    /// <summary>Meetings logged as held (by id).</summary>
    public ConcurrentDictionary<string, HeldMeetingFacts> HeldMeetings { get; } = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<ProposalFacts>> GetProposalsAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProposalFacts>>([.. Proposals.Values.OrderBy(p => p.ProposalId, StringComparer.Ordinal)]);

    public Task<IReadOnlyList<HeldMeetingFacts>> GetHeldMeetingsAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<HeldMeetingFacts>>([.. HeldMeetings.Values.OrderBy(m => m.HeldAt)]);

    /// <summary>The configured reporting currency and rates (null: none configured).</summary>
    public CurrencyRates? Rates { get; set; }

    public Task<CurrencyRates?> GetCurrencyRatesAsync(CancellationToken cancellationToken) => Task.FromResult(Rates);

    private int _profileReads;

    public int ProfileReads => Volatile.Read(ref _profileReads);

    public Task<AccountProfile?> GetProfileAsync(string accountId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _profileReads);
        return Task.FromResult(Profiles.GetValueOrDefault(accountId));
    }

    public Task<IReadOnlyList<ContactProfile>> GetContactsAsync(string accountId, CancellationToken cancellationToken)
    {
        lock (Contacts)
        {
            return Task.FromResult<IReadOnlyList<ContactProfile>>([.. Contacts.GetValueOrDefault(accountId) ?? []]);
        }
    }

    public Task<ContactPersonalFacts?> GetPersonalFactsAsync(string accountId, string contactId, CancellationToken cancellationToken) =>
        Task.FromResult(Facts.GetValueOrDefault(contactId));

    public Task<IReadOnlyList<ComplaintFacts>> GetComplaintsAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ComplaintFacts>>([.. Complaints.Values.OrderBy(c => c.ComplaintId, StringComparer.Ordinal)]);

    public Task<IReadOnlyList<ReportedRevenue>> GetReportedRevenueAsync(DateOnly periodStart, DateOnly periodEnd, CancellationToken cancellationToken)
    {
        lock (Revenue)
        {
            return Task.FromResult<IReadOnlyList<ReportedRevenue>>([.. Revenue.Where(r => r.PeriodEnd >= periodStart && r.PeriodStart <= periodEnd)]);
        }
    }

    public Task<decimal?> GetMarginPercentAsync(string accountId, DateOnly periodStart, DateOnly periodEnd, CancellationToken cancellationToken) =>
        Task.FromResult(Margins.TryGetValue(accountId, out var m) ? m : (decimal?)null);

    public void AddContact(ContactProfile contact, DateOnly? birthday = null)
    {
        ArgumentNullException.ThrowIfNull(contact);
        lock (Contacts)
        {
            var list = Contacts.GetOrAdd(contact.AccountId, _ => []);
            list.RemoveAll(c => c.ContactId == contact.ContactId);
            list.Add(contact);
        }

        if (birthday is { } b)
        {
            Facts[contact.ContactId] = new ContactPersonalFacts(contact.ContactId, b, true, ["sailing"]);
        }
    }

    public void Erase(string accountId, string contactId)
    {
        lock (Contacts)
        {
            var list = Contacts.GetOrAdd(accountId, _ => []);
            var c = list.Single(x => x.ContactId == contactId);
            list.Remove(c);
            list.Add(c with { Erased = true, Email = null });
        }

        Facts.TryRemove(contactId, out _);
    }
}
