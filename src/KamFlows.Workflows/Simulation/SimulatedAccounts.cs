using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Simulation;

/// <summary>
/// Account state for a simulation, kept in memory from the scenario's events the way intake keeps it in tables:
/// profiles from account.upserted, the DMU from contact.upserted (personal data apart, erased on contact.erased),
/// revenue (and its margin) from revenue.reported, complaints from complaint.*, proposals from proposal.sent/revised/accepted/rejected,
/// held meetings from meeting.logged. Later events win over earlier ones by their time.
/// </summary>
public sealed class SimulatedAccounts : IAccountReader
{
    private readonly Dictionary<string, AccountProfile> _profiles = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Account, string Contact), ContactProfile> _contacts = [];
    private readonly Dictionary<(string Account, string Contact), ContactPersonalFacts> _personal = [];
    private readonly Dictionary<(string Account, DateOnly Start, DateOnly End), (decimal Amount, string Currency, decimal? MarginPercent)> _revenue = [];
    private readonly Dictionary<(string Account, string Complaint), ComplaintFacts> _complaints = [];
    private readonly List<(string Account, AccountHistoryEntry Entry)> _history = [];
    private readonly Dictionary<(string Account, string Proposal), ProposalFacts> _proposals = [];
    private readonly Dictionary<(string Account, string Meeting), HeldMeetingFacts> _meetings = [];

    public void Apply(CanonicalEvent canonicalEvent)
    {
        ArgumentNullException.ThrowIfNull(canonicalEvent);
        // The account's timeline as intake writes it, received events only (what KamFlows sent is the simulation's output).
        var key = BusinessKey.For(canonicalEvent);
        _history.Add((canonicalEvent.Data.AccountId, new AccountHistoryEntry(canonicalEvent.Time.ToDateTimeOffset(), canonicalEvent.Type,
            key.Kind == WorkflowKind.Account ? string.Empty : key.Id)));
        switch (canonicalEvent.Data)
        {
            case AccountUpserted d:
                _profiles[d.AccountId] = ProfileMapping.ToProfile(d.ToAccount());
                break;
            case ContactUpserted d:
                var erased = _contacts.TryGetValue((d.AccountId, d.ContactId), out var known) && known.Erased;
                _contacts[(d.AccountId, d.ContactId)] = ProfileMapping.ToProfile(d, erased);
                if (!erased && d.PersonalData is { } p)
                {
                    _personal[(d.AccountId, d.ContactId)] = ProfileMapping.ToFacts(d.ContactId, p.Birthday, [.. p.Hobbies]);
                }

                break;
            case ContactErased d:
                _personal.Remove((d.AccountId, d.ContactId));
                if (_contacts.TryGetValue((d.AccountId, d.ContactId), out var contact))
                {
                    _contacts[(d.AccountId, d.ContactId)] = contact with { Name = "(erased)", Email = null, Erased = true };
                }

                break;
            case RevenueReported d:
                _revenue[(d.AccountId, new DateOnly(d.PeriodStart.Year, d.PeriodStart.Month, d.PeriodStart.Day), new DateOnly(d.PeriodEnd.Year, d.PeriodEnd.Month, d.PeriodEnd.Day))] =
                    (d.Revenue.Amount, d.Revenue.Currency.Code, d.MarginPercent);
                break;
            case ComplaintOpened d:
                var openedAt = canonicalEvent.Time.ToDateTimeOffset();
                _complaints[(d.AccountId, d.ComplaintId)] = _complaints.TryGetValue((d.AccountId, d.ComplaintId), out var early)
                    ? early with { OpenedAt = openedAt, DeliveryId = d.DeliveryId ?? early.DeliveryId }
                    : new ComplaintFacts(d.ComplaintId, d.DeliveryId, openedAt, null);
                break;
            case ComplaintResolved d:
                Resolve(d.AccountId, d.ComplaintId, d.DeliveryId, canonicalEvent.Time.ToDateTimeOffset());
                break;
            case ComplaintClosed d:
                Resolve(d.AccountId, d.ComplaintId, d.DeliveryId, canonicalEvent.Time.ToDateTimeOffset());
                break;
            case ProposalSent d:
                SetProposal(d.AccountId, d.ProposalId, d.Version, d.ValidUntil);
                break;
            case ProposalRevised d:
                SetProposal(d.AccountId, d.ProposalId, d.Version, d.ValidUntil);
                break;
            case ProposalAccepted d when _proposals.TryGetValue((d.AccountId, d.ProposalId), out var accepted):
                _proposals[(d.AccountId, d.ProposalId)] = accepted with { Status = "accepted" };
                break;
            case ProposalRejected d when _proposals.TryGetValue((d.AccountId, d.ProposalId), out var rejected):
                _proposals[(d.AccountId, d.ProposalId)] = rejected with { Status = "rejected" };
                break;
            case MeetingLogged d:
                _meetings[(d.AccountId, d.MeetingId)] = new HeldMeetingFacts(d.MeetingId, d.HeldAt.ToDateTimeOffset(), d.Summary, d.NextStep);
                break;
            default:
                break;
        }
    }

    private void SetProposal(string accountId, string proposalId, int version, NodaTime.LocalDate validUntil) =>
        _proposals[(accountId, proposalId)] = new ProposalFacts(proposalId, version,
            _proposals.TryGetValue((accountId, proposalId), out var known) && version == known.Version ? known.Status : "sent", validUntil.ToDateOnly());

    public Task<IReadOnlyList<ProposalFacts>> GetProposalsAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProposalFacts>>([.. _proposals.Where(kv => kv.Key.Account == accountId).Select(kv => kv.Value).OrderBy(p => p.ProposalId, StringComparer.Ordinal)]);

    public Task<IReadOnlyList<HeldMeetingFacts>> GetHeldMeetingsAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<HeldMeetingFacts>>([.. _meetings.Where(kv => kv.Key.Account == accountId).Select(kv => kv.Value).OrderBy(m => m.HeldAt)]);

    private void Resolve(string accountId, string complaintId, string? deliveryId, DateTimeOffset at) =>
        _complaints[(accountId, complaintId)] = _complaints.TryGetValue((accountId, complaintId), out var known)
            ? known with { ResolvedAt = known.ResolvedAt ?? at }
            : new ComplaintFacts(complaintId, deliveryId, at, at);

    public Task<IReadOnlyList<ComplaintFacts>> GetComplaintsAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ComplaintFacts>>([.. _complaints.Where(kv => kv.Key.Account == accountId).Select(kv => kv.Value).OrderBy(c => c.ComplaintId, StringComparer.Ordinal)]);

    public Task<IReadOnlyList<AccountHistoryEntry>> GetRecentHistoryAsync(string accountId, DateTimeOffset before, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AccountHistoryEntry>>([.. _history.Where(h => h.Account == accountId && h.Entry.Time < before)
            .Select(h => h.Entry).OrderByDescending(e => e.Time).Take(max)]);

    public Task<AccountProfile?> GetProfileAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult(_profiles.GetValueOrDefault(accountId));

    public Task<IReadOnlyList<ContactProfile>> GetContactsAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ContactProfile>>([.. _contacts.Where(kv => kv.Key.Account == accountId).Select(kv => kv.Value).OrderBy(c => c.ContactId, StringComparer.Ordinal)]);

    public Task<ContactPersonalFacts?> GetPersonalFactsAsync(string accountId, string contactId, CancellationToken cancellationToken) =>
        Task.FromResult(_personal.GetValueOrDefault((accountId, contactId)));

    public Task<IReadOnlyList<ReportedRevenue>> GetReportedRevenueAsync(DateOnly periodStart, DateOnly periodEnd, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReportedRevenue>>([.. _revenue
            .Where(kv => kv.Key.Start <= periodEnd && kv.Key.End >= periodStart)
            .Select(kv => new ReportedRevenue(kv.Key.Account, kv.Key.Start, kv.Key.End, kv.Value.Amount, kv.Value.Currency,
                _profiles.TryGetValue(kv.Key.Account, out var p) && p.IsKeyAccount))]);

    /// <summary>Revenue-weighted over the account's reports within the period that carry a margin, as the table store computes it.</summary>
    public Task<decimal?> GetMarginPercentAsync(string accountId, DateOnly periodStart, DateOnly periodEnd, CancellationToken cancellationToken) =>
        Task.FromResult(Domain.Portfolio.RevenueWeightedMargin.Of(_revenue
            .Where(kv => kv.Key.Account == accountId && kv.Key.Start >= periodStart && kv.Key.End <= periodEnd && kv.Value.MarginPercent is not null)
            .Select(kv => new Domain.Portfolio.MarginReport(kv.Value.Amount, kv.Value.Currency, kv.Value.MarginPercent!.Value))));
}
