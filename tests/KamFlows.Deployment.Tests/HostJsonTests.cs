using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KamFlows.Deployment.Tests;

/// <summary>
/// src/KamFlows.Functions/host.json against the infrastructure it runs on: the durable task hub on Azure Storage through
/// the identity-based AzureWebJobsStorage connection, and no setting referenced that the template does not set.
/// </summary>
public sealed partial class HostJsonTests
{
    private static JsonObject HostJson() =>
        JsonNode.Parse(File.ReadAllText(Repository.PathOf("src/KamFlows.Functions/host.json")))!.AsObject();

    [Fact]
    public void HostJson_DurableTask_IsAzureStorageThroughAzureWebJobsStorageWithFourPartitions()
    {
        var durable = HostJson()["extensions"]?["durableTask"] ?? throw new Xunit.Sdk.XunitException("host.json has no extensions.durableTask.");
        var provider = durable["storageProvider"]!;

        Assert.Equal("%KamFlows__Storage__TaskHub%", (string?)durable["hubName"]);
        Assert.Equal("AzureStorage", (string?)provider["type"]);
        Assert.Equal("AzureWebJobsStorage", (string?)provider["connectionName"]);
        Assert.Equal(4, (int?)provider["partitionCount"]);
        Assert.False((bool?)durable["extendedSessionsEnabled"] ?? false);
        Assert.Null(HostJson()["customHandler"]);
    }

    [Fact]
    public void HostJson_StorageConnection_IsTheIdentityBasedConnectionTheTemplateSets()
    {
        var connection = (string)HostJson()["extensions"]!["durableTask"]!["storageProvider"]!["connectionName"]!;
        var settings = CompiledTemplate.AppSettings();

        // A prefix with accountName + credential + clientId, never a connection-string setting of that name.
        Assert.False(settings.ContainsKey(connection), $"{connection} is set as a connection string.");
        Assert.Equal("managedidentity", settings[$"{connection}__credential"]);
        Assert.True(settings.ContainsKey($"{connection}__accountName"), $"{connection}__accountName is not set.");
        Assert.True(settings.ContainsKey($"{connection}__clientId"), $"{connection}__clientId is not set.");
    }

    [Fact]
    public void HostJson_SettingReferences_AreAllSetByTheTemplate()
    {
        var references = SettingReference().Matches(HostJson().ToJsonString()).Select(m => m.Groups[1].Value).Distinct().ToList();
        var settings = CompiledTemplate.AppSettings();

        Assert.NotEmpty(references);
        Assert.All(references, name => Assert.True(settings.ContainsKey(name), $"host.json reads %{name}%, which the Function App does not set."));
    }

    [GeneratedRegex("%([A-Za-z0-9_]+)%")]
    private static partial Regex SettingReference();
}
