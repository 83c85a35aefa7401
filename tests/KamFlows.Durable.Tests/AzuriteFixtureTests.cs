using Azure.Data.Tables;
using KamFlows.Testing;

namespace KamFlows.Durable.Tests;

public sealed class AzuriteFixtureTests
{
    [Fact]
    public async Task SharedAzurite_StartsOnce_AndServesTables()
    {
        var cs = await SharedAzurite.ConnectionStringAsync();
        var table = new TableClient(cs, Names.TaskHub("fx"));
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 42 });
        var e = await table.GetEntityAsync<TableEntity>("p", "r");
        Assert.Equal(42, e.Value.GetInt32("V"));
        Assert.Equal(cs, await SharedAzurite.ConnectionStringAsync());
    }
}
