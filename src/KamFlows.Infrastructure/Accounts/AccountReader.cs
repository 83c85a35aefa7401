using System.Globalization;
using Azure.Data.Tables;
using KamFlows.Domain.Accounts;
using KamFlows.Domain.Contacts;
using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
using KamFlows.Domain.Portfolio;
using KamFlows.Workflows.Ports;

namespace KamFlows.Infrastructure.Accounts;

/// <summary>A key account and when its client was last in contact (<see cref="AccountContact"/>); <see cref="FirstEventAt"/> stands in when no contact is known.</summary>
public sealed record KeyAccountContact(Account Account, DateTimeOffset? LastContactAt, DateTimeOffset? FirstEventAt);

/// <summary>One business object of an account as stored (proposal, tender ...): its kind, id and columns.</summary>
public sealed record AccountObject(string Kind, string Id, IReadOnlyDictionary<string, object?> Fields);

/// <summary>
/// Reads the account store: the workflows' <see cref="IAccountReader"/> port and the management API's views. The
/// portfolio settings give the reporting currency and rates the quarterly review converts revenue with.
/// </summary>
public sealed class AccountReader(AccountStore store, PortfolioSettings? portfolio = null, Timeline.TimelineStore? timeline = null) : IAccountReader
{
    /// <summary>A new KAM's briefing looks this far back in the account's timeline.</summary>
    private static readonly TimeSpan HistoryWindow = TimeSpan.FromDays(365);

    public async Task<IReadOnlyList<AccountHistoryEntry>> GetRecentHistoryAsync(string accountId, DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        if (timeline is null)
        {
            return [];
        }

        // What was missed never happened: the briefing lists what the client and the KAM actually saw.
        var entries = await timeline.ReadLatestAsync(accountId, before, HistoryWindow, max, e => e.Origin != Timeline.TimelineOrigin.Missed, cancellationToken).ConfigureAwait(false);
        return [.. entries.Select(e => new AccountHistoryEntry(e.Time, e.Kind, HistorySubject(e.SourceKey)))];
    }

    /// <summary>The object an entry is about (a proposal, tender, deal ...): the id of its workflow key; empty for the account's own.</summary>
    private static string HistorySubject(string? sourceKey) =>
        BusinessKey.TryParse(sourceKey, out var key) && key.Kind != WorkflowKind.Account ? key.Id : string.Empty;

    private static readonly HashSet<string> InternalColumns = new(StringComparer.Ordinal) { "PartitionKey", "RowKey", "Timestamp", "odata.etag", "Event" };

    public Task<CurrencyRates?> GetCurrencyRatesAsync(CancellationToken cancellationToken) =>
        Task.FromResult(portfolio is null ? null : new CurrencyRates(portfolio.ReportingCurrency, new Dictionary<string, decimal>(portfolio.Rates, StringComparer.Ordinal)));

    public async Task<AccountProfile?> GetProfileAsync(string accountId, CancellationToken cancellationToken)
    {
        var account = await GetAccountAsync(accountId, cancellationToken).ConfigureAwait(false);
        return account is null ? null : ProfileMapping.ToProfile(account);
    }

    /// <summary>The account from its latest kam.account.upserted, or null when none arrived yet.</summary>
    public async Task<Account?> GetAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        await store.EnsureCreatedAsync().ConfigureAwait(false);
        var row = await store.Accounts.GetEntityIfExistsAsync<TableEntity>(accountId, AccountRows.Account, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && ParseData<AccountUpserted>(row.Value!) is { } data ? data.ToAccount() : null;
    }

    public async Task<IReadOnlyList<ContactProfile>> GetContactsAsync(string accountId, CancellationToken cancellationToken)
    {
        var contacts = new List<ContactProfile>();
        foreach (var row in await ReadKindAsync(accountId, AccountRows.Contact, cancellationToken).ConfigureAwait(false))
        {
            if (ParseData<ContactUpserted>(row) is { } d)
            {
                contacts.Add(ProfileMapping.ToProfile(d, row.GetBoolean("Erased") == true));
            }
        }

        return contacts;
    }

    public async Task<ContactPersonalFacts?> GetPersonalFactsAsync(string accountId, string contactId, CancellationToken cancellationToken)
    {
        await store.EnsureCreatedAsync().ConfigureAwait(false);
        var contact = await store.Accounts.GetEntityIfExistsAsync<TableEntity>(accountId, AccountRows.Key(AccountRows.Contact, contactId), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!contact.HasValue || contact.Value!.GetBoolean("Erased") == true)
        {
            return null;
        }

        var personal = await store.PersonalData.GetEntityIfExistsAsync<TableEntity>(accountId, contactId, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!personal.HasValue)
        {
            return null;
        }

        var row = personal.Value!;
        return ProfileMapping.ToFacts(contactId, Birthday.TryParse(row.GetString("Birthday"), out var b) ? b : null, PersonalDataColumns.Hobbies(row));
    }

    /// <summary>The decision-making unit without personal data.</summary>
    public async Task<DecisionMakingUnit> GetDecisionMakingUnitAsync(string accountId, CancellationToken cancellationToken)
    {
        var members = new List<Contact>();
        foreach (var row in await ReadKindAsync(accountId, AccountRows.Contact, cancellationToken).ConfigureAwait(false))
        {
            if (ParseData<ContactUpserted>(row) is { } d)
            {
                var contact = d.ToContact(row.GetBoolean("HasPersonalData") == true ? ContactPersonalData.IdForContact(d.ContactId) : null);
                members.Add(row.GetBoolean("Erased") == true ? contact.Erase() : contact);
            }
        }

        return new DecisionMakingUnit(accountId, members);
    }

    /// <summary>The account's complaints from their rows (kam.complaint.opened/resolved/closed); a closed one counts as resolved.</summary>
    public async Task<IReadOnlyList<ComplaintFacts>> GetComplaintsAsync(string accountId, CancellationToken cancellationToken)
    {
        var rows = await ReadKindAsync(accountId, AccountRows.Complaint, cancellationToken).ConfigureAwait(false);
        var complaints = new List<ComplaintFacts>();
        foreach (var row in rows)
        {
            var resolved = row.GetDateTimeOffset("ResolvedAt") ?? row.GetDateTimeOffset("ClosedAt");
            // Resolved before its opening arrived (events out of order): known to be resolved, so not open; opened then.
            if ((row.GetDateTimeOffset("OpenedAt") ?? resolved) is { } opened)
            {
                complaints.Add(new ComplaintFacts(row.RowKey[(AccountRows.Complaint.Length + 1)..], row.GetString("DeliveryId"), opened, resolved));
            }
        }

        return complaints;
    }

    /// <summary>The account's proposals that went to the client (a version was sent), with their status and validity.</summary>
    public async Task<IReadOnlyList<ProposalFacts>> GetProposalsAsync(string accountId, CancellationToken cancellationToken)
    {
        var rows = await ReadKindAsync(accountId, AccountRows.Proposal, cancellationToken).ConfigureAwait(false);
        return [.. rows.Where(r => r.GetInt32("Version") is not null) // A draft only: the client has not seen it.
            .Select(r => new ProposalFacts(r.RowKey[(AccountRows.Proposal.Length + 1)..], r.GetInt32("Version") ?? 1, r.GetString("Status") ?? "sent",
                DateOnly.TryParseExact(r.GetString("ValidUntil"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var until) ? until : null))];
    }

    /// <summary>The account's meetings logged as held.</summary>
    public async Task<IReadOnlyList<HeldMeetingFacts>> GetHeldMeetingsAsync(string accountId, CancellationToken cancellationToken)
    {
        var rows = await ReadKindAsync(accountId, AccountRows.Meeting, cancellationToken).ConfigureAwait(false);
        return [.. rows.Where(r => r.GetDateTimeOffset("HeldAt") is not null)
            .Select(r => new HeldMeetingFacts(r.RowKey[(AccountRows.Meeting.Length + 1)..], r.GetDateTimeOffset("HeldAt")!.Value, r.GetString("Summary"), r.GetString("NextStep")))];
    }

    /// <summary>Every stored object of one kind (proposal, tender, opportunity ...), by id.</summary>
    public async Task<IReadOnlyList<AccountObject>> GetObjectsAsync(string accountId, string kind, CancellationToken cancellationToken)
    {
        var rows = await ReadKindAsync(accountId, kind, cancellationToken).ConfigureAwait(false);
        return rows.Select(r => new AccountObject(kind, r.RowKey[(kind.Length + 1)..],
            r.Where(kv => !InternalColumns.Contains(kv.Key) && !kv.Key.EndsWith("Mark", StringComparison.Ordinal))
             .ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal))).ToList();
    }

    /// <summary>Every account with a kam.account.upserted, by id.</summary>
    public async Task<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken cancellationToken)
    {
        await store.EnsureCreatedAsync().ConfigureAwait(false);
        var accounts = new List<Account>();
        var filter = TableClient.CreateQueryFilter($"RowKey eq {AccountRows.Account}");
        await foreach (var row in store.Accounts.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (ParseData<AccountUpserted>(row) is { } d)
            {
                accounts.Add(d.ToAccount());
            }
        }

        return accounts;
    }

    /// <summary>Revenue reports of every account whose period overlaps the given one; accounts without kam.account.upserted count as ordinary clients.</summary>
    public async Task<IReadOnlyList<ReportedRevenue>> GetReportedRevenueAsync(DateOnly periodStart, DateOnly periodEnd, CancellationToken cancellationToken)
    {
        var keyAccounts = (await ListAccountsAsync(cancellationToken).ConfigureAwait(false)).Where(a => a.IsKeyAccount).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        var (from, to) = AccountRows.Range(AccountRows.Revenue);
        var filter = TableClient.CreateQueryFilter($"RowKey ge {from} and RowKey lt {to}");
        var reports = new List<ReportedRevenue>();
        await foreach (var row in store.Accounts.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (DateOnly.TryParseExact(row.GetString("PeriodStart"), "yyyy-MM-dd", out var start) && DateOnly.TryParseExact(row.GetString("PeriodEnd"), "yyyy-MM-dd", out var end)
                && AccountRows.Amount(row.GetString("Amount")) is { } amount && row.GetString("Currency") is { } currency
                && start <= periodEnd && end >= periodStart)
            {
                reports.Add(new ReportedRevenue(row.PartitionKey, start, end, amount, currency, keyAccounts.Contains(row.PartitionKey)));
            }
        }

        return reports;
    }

    /// <summary>
    /// The account's margin over [<paramref name="periodStart"/>, <paramref name="periodEnd"/>]: revenue-weighted over its revenue
    /// reports lying within the period that carry a margin (converted with the portfolio rates when they mix currencies); null when none does.
    /// </summary>
    public async Task<decimal?> GetMarginPercentAsync(string accountId, DateOnly periodStart, DateOnly periodEnd, CancellationToken cancellationToken)
    {
        var reports = new List<MarginReport>();
        foreach (var row in await ReadKindAsync(accountId, AccountRows.Revenue, cancellationToken).ConfigureAwait(false))
        {
            if (DateOnly.TryParseExact(row.GetString("PeriodStart"), "yyyy-MM-dd", out var start) && DateOnly.TryParseExact(row.GetString("PeriodEnd"), "yyyy-MM-dd", out var end)
                && start >= periodStart && end <= periodEnd
                && AccountRows.Amount(row.GetString("Amount")) is { } amount && row.GetString("Currency") is { } currency
                && AccountRows.Amount(row.GetString("MarginPercent")) is { } margin)
            {
                reports.Add(new MarginReport(amount, currency, margin));
            }
        }

        return RevenueWeightedMargin.Of(reports, portfolio?.ReportingCurrency, portfolio?.Rates);
    }

    /// <summary>
    /// Every key account with its last contact and first event as intake recorded them on the account row (one row per
    /// account, never the timelines). An account whose events were all applied before intake kept them is computed once
    /// from its timeline and meeting rows, and stored (<see cref="AccountContactBackfill"/>).
    /// </summary>
    public async Task<IReadOnlyList<KeyAccountContact>> ListKeyAccountContactsAsync(CancellationToken cancellationToken)
    {
        await store.EnsureCreatedAsync().ConfigureAwait(false);
        var accounts = new List<KeyAccountContact>();
        var filter = TableClient.CreateQueryFilter($"RowKey eq {AccountRows.Account} and IsKeyAccount eq {true}");
        await foreach (var row in store.Accounts.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (ParseData<AccountUpserted>(row) is { IsKeyAccount: true } d)
            {
                var (last, first) = AccountContactBackfill.Needed(row)
                    ? await AccountContactBackfill.RunAsync(store, row, cancellationToken).ConfigureAwait(false)
                    : (row.GetDateTimeOffset(AccountContact.LastContactAt), row.GetDateTimeOffset(AccountContact.FirstEventAt));
                accounts.Add(new KeyAccountContact(d.ToAccount(), last, first));
            }
        }

        return accounts;
    }

    private async Task<List<TableEntity>> ReadKindAsync(string accountId, string kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        await store.EnsureCreatedAsync().ConfigureAwait(false);
        var (from, to) = AccountRows.Range(kind);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {from} and RowKey lt {to}");
        var rows = new List<TableEntity>();
        await foreach (var row in store.Accounts.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static T? ParseData<T>(TableEntity row)
        where T : class, ICanonicalEventData =>
        row.GetString("Event") is { } json && CanonicalEventParser.Parse(json) is { IsValid: true } parsed ? parsed.Event.Data as T : null;
}
