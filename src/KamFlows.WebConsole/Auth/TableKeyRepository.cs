// ASP.NET Core Data Protection keys (they sign the local sign-in cookie and the anti-forgery tokens) kept in
// {hub}ConsoleKeys, so every instance of the Functions app, and a restarted local host, reads the same key ring: a form
// rendered by one instance is accepted by another. Invariants: a key is written once under its own name and never
// changed (the key manager adds new keys and lets old ones expire); reads return every key.
using System.Xml.Linq;
using Azure.Data.Tables;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace KamFlows.WebConsole.Auth;

public sealed class TableKeyRepository(TableClient table) : IXmlRepository
{
    public const string TableName = "ConsoleKeys";
    private const string Partition = "keys";
    private readonly Lazy<bool> _created = new(() =>
    {
        table.CreateIfNotExists();
        return true;
    });

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        _ = _created.Value;
        return table.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"))
            .Select(row => XElement.Parse(row.GetString("Xml") ?? "<empty/>")).Where(e => e.Name != "empty").ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        _ = _created.Value;
        var name = string.IsNullOrWhiteSpace(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName;
        table.UpsertEntity(new TableEntity(Partition, name) { ["Xml"] = element.ToString(SaveOptions.DisableFormatting) }, TableUpdateMode.Replace);
    }
}
