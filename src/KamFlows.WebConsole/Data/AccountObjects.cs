// Reads of {hub}Accounts the console needs beyond AccountReader: one account's objects in one partition query, and the
// account holding a workflow's business object. Read-only; the account store's rows and their meaning stay its own.
using Azure.Data.Tables;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Storage;

namespace KamFlows.WebConsole.Data;

public sealed class AccountObjects(StorageClients storage)
{
    private static readonly HashSet<string> Internal = new(StringComparer.Ordinal) { "PartitionKey", "RowKey", "Timestamp", "odata.etag", "Event" };

    private readonly TableClient _table = storage.Table(AccountStore.AccountsTable);

    /// <summary>The account that holds the object (a workflow's business object), or null.</summary>
    public async Task<string?> AccountOfAsync(string kind, string id, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {AccountRows.Key(kind, id)}"), select: ["PartitionKey"], cancellationToken: cancellationToken))
            {
                return row.PartitionKey;
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        return null;
    }

    /// <summary>Every object of one account, grouped by kind, in one partition query.</summary>
    public async Task<IReadOnlyDictionary<string, List<AccountObject>>> OfAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        var byKind = new Dictionary<string, List<AccountObject>>(StringComparer.Ordinal);
        try
        {
            await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {accountId}"), cancellationToken: cancellationToken))
            {
                var bar = row.RowKey.IndexOf('|', StringComparison.Ordinal);
                if (bar > 0)
                {
                    var kind = row.RowKey[..bar];
                    (byKind.TryGetValue(kind, out var list) ? list : byKind[kind] = []).Add(ToObject(kind, row));
                }
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return byKind;
        }

        return byKind;
    }

    /// <summary>One stored row as an object of its kind: its columns without the table's own and the event marks.</summary>
    internal static AccountObject ToObject(string kind, TableEntity row) =>
        new(kind, row.RowKey[(kind.Length + 1)..], row.Where(kv => !Internal.Contains(kv.Key) && !kv.Key.EndsWith("Mark", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal));
}

public static class Fields
{
    public static string? Text(this AccountObject o, string name) => o?.Fields.GetValueOrDefault(name) is { } v ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    public static DateTimeOffset? Time(this AccountObject o, string name) => o?.Fields.GetValueOrDefault(name) switch
    {
        DateTimeOffset t => t,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        string s when DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) => t,
        _ => null,
    };

    public static decimal? Amount(this AccountObject o, string name) =>
        decimal.TryParse(o.Text(name), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;

    public static bool? Flag(this AccountObject o, string name) => o?.Fields.GetValueOrDefault(name) as bool?;
}
