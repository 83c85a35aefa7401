// The portfolio-wide figures the pages share (every account, the Pareto/ABC classification, open opportunities), read in
// ONE query over {hub}Accounts instead of one per figure, and kept for ConsoleOptions.PortfolioCacheSeconds. Invariants:
// a snapshot is immutable and replaced whole; one reader refreshes at a time (others wait for its result); access
// decisions never rest on a snapshot (an account page reads its account afresh); the classification is the same
// domain analysis PortfolioClassification runs, over the same period and rules.
using Azure.Data.Tables;
using KamFlows.Domain.Accounts;
using KamFlows.Domain.Common;
using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
using KamFlows.Domain.Portfolio;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Storage;
using KamFlows.WebConsole.Auth;
using Microsoft.Extensions.Options;

namespace KamFlows.WebConsole.Data;

public sealed record PortfolioSnapshot(
    DateTimeOffset TakenAt,
    IReadOnlyList<Account> Accounts,
    IReadOnlyDictionary<string, Account> ById,
    PortfolioClassificationResult Classification,
    IReadOnlyList<(string AccountId, AccountObject Opportunity)> Opportunities);

public sealed class PortfolioSnapshots(StorageClients storage, PortfolioClassification classification, PortfolioSettings settings, TimeProvider clock,
    IOptions<ConsoleOptions> options) : IDisposable
{
    private readonly TableClient _table = storage.Table(AccountStore.AccountsTable);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile PortfolioSnapshot? _current;

    public async Task<PortfolioSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh(_current) is { } current)
        {
            return current;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            return Fresh(_current) ?? (_current = await ReadAsync(cancellationToken));
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Forgets the snapshot: the next page reads storage again.</summary>
    public void Invalidate() => _current = null;

    public void Dispose() => _refresh.Dispose();

    private PortfolioSnapshot? Fresh(PortfolioSnapshot? snapshot) =>
        snapshot is not null && clock.GetUtcNow() - snapshot.TakenAt < TimeSpan.FromSeconds(options.Value.PortfolioCacheSeconds) ? snapshot : null;

    private async Task<PortfolioSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var takenAt = clock.GetUtcNow();
        var (revFrom, revTo) = AccountRows.Range(AccountRows.Revenue);
        var (oppFrom, oppTo) = AccountRows.Range(AccountRows.Opportunity);
        var filter = TableClient.CreateQueryFilter(
            $"RowKey eq {AccountRows.Account} or (RowKey ge {revFrom} and RowKey lt {revTo}) or (RowKey ge {oppFrom} and RowKey lt {oppTo})");
        var accounts = new List<Account>();
        var reports = new List<RevenueReport>();
        var opportunities = new List<(string, AccountObject)>();
        try
        {
            await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
            {
                if (row.RowKey == AccountRows.Account)
                {
                    if (row.GetString("Event") is { } json && CanonicalEventParser.Parse(json) is { IsValid: true } parsed && parsed.Event.Data is AccountUpserted d)
                    {
                        accounts.Add(d.ToAccount());
                    }
                }
                else if (row.RowKey.StartsWith(revFrom, StringComparison.Ordinal))
                {
                    var start = JsonText.Date.Parse(row.GetString("PeriodStart") ?? string.Empty);
                    var end = JsonText.Date.Parse(row.GetString("PeriodEnd") ?? string.Empty);
                    if (start.Success && end.Success && decimal.TryParse(row.GetString("Amount"), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var amount)
                        && CurrencyCode.TryParse(row.GetString("Currency"), out var currency))
                    {
                        reports.Add(new RevenueReport(row.PartitionKey, new ReportingPeriod(start.Value, end.Value), new Money(amount, currency)));
                    }
                }
                else
                {
                    opportunities.Add((row.PartitionKey, AccountObjects.ToObject(AccountRows.Opportunity, row)));
                }
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // No account has arrived yet: an empty portfolio.
        }

        // As PortfolioClassification: the configured period; reports straddling its edge are left out and listed.
        var period = classification.CurrentPeriod();
        var leftOut = reports.Where(r => !period.Contains(r.Period) && period.Overlaps(r.Period)).ToList();
        var input = new PortfolioInput(period, reports.Except(leftOut).ToList(), accounts.Where(a => a.IsKeyAccount).Select(a => a.Id).ToHashSet(StringComparer.Ordinal),
            CurrencyCode.Parse(settings.ReportingCurrency), settings.Rates.ToDictionary(kv => CurrencyCode.Parse(kv.Key), kv => kv.Value));
        var result = new PortfolioClassificationResult(new PortfolioAnalysis().Analyze(input), period, leftOut);
        return new PortfolioSnapshot(takenAt, accounts, accounts.ToDictionary(a => a.Id, StringComparer.Ordinal), result, opportunities);
    }
}
