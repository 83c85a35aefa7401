using KamFlows.Infrastructure.Notifications.Digests;
using Microsoft.Extensions.Logging;

namespace KamFlows.Infrastructure.Accounts;

/// <summary>
/// The open pipeline of a KAM for the head's weekly report: every opportunity of the KAM's accounts that is neither won
/// nor lost and has an amount, converted to the portfolio's reporting currency. An amount in a currency without a
/// configured rate is left out and logged, never summed unconverted.
/// </summary>
public sealed partial class AccountPipelineFigures(AccountReader reader, PortfolioSettings settings, ILogger<AccountPipelineFigures> logger) : IPipelineFigures
{
    private static readonly HashSet<string> Closed = new(["won", "lost"], StringComparer.Ordinal);

    public async Task<IReadOnlyList<PipelineEntry>> OpenPipelineAsync(string kamEmail, CancellationToken cancellationToken)
    {
        var entries = new List<PipelineEntry>();
        foreach (var account in await reader.ListAccountsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!string.Equals(account.Kam.Email.Value, kamEmail, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var o in await reader.GetObjectsAsync(account.Id, "opportunity", cancellationToken).ConfigureAwait(false))
            {
                var stage = o.Fields.GetValueOrDefault("Stage") as string;
                if (stage is null || Closed.Contains(stage) || o.Fields.GetValueOrDefault("Amount") is not string text
                    || AccountRows.Amount(text) is not { } amount || o.Fields.GetValueOrDefault("Currency") is not string currency)
                {
                    continue;
                }

                if (Convert(amount, currency) is { } converted)
                {
                    entries.Add(new PipelineEntry(account.Id, o.Id, stage, converted, settings.ReportingCurrency));
                }
                else
                {
                    LogNoRate(logger, account.Id, o.Id, currency, settings.ReportingCurrency);
                }
            }
        }

        return entries;
    }

    private decimal? Convert(decimal amount, string currency) =>
        string.Equals(currency, settings.ReportingCurrency, StringComparison.Ordinal) ? amount
        : settings.Rates.TryGetValue(currency, out var rate) ? decimal.Round(amount * rate, 2) : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Opportunity {OpportunityId} of {AccountId} is in {Currency} and KamFlows:Portfolio:Rates has no rate to {Reporting}: left out of the pipeline")]
    private static partial void LogNoRate(ILogger logger, string accountId, string opportunityId, string currency, string reporting);
}
