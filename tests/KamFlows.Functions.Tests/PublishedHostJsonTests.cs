using System.Text.Json.Nodes;

namespace KamFlows.Functions.Tests;

/// <summary>What the Functions host reads before any function runs: host.json and worker.config.json of the package.</summary>
[Collection(PublishedAppGroup.Name)]
public sealed class PublishedHostJsonTests(PublishedFunctionsApp app)
{
    [Fact]
    public void HostJson_DurableTask_UsesTheTaskHubSettingAndAzureStorageThroughAzureWebJobsStorage()
    {
        var durable = DurableTask();
        var provider = durable["storageProvider"]!;

        // The same setting names the tables KamFlows itself keeps, so the app's tables and the task hub share one prefix.
        Assert.Equal("%KamFlows__Storage__TaskHub%", (string?)durable["hubName"]);
        Assert.Equal("AzureStorage", (string?)provider["type"]);
        // A prefix, not a connection string: AzureWebJobsStorage__accountName/__credential/__clientId (identity, no keys).
        Assert.Equal("AzureWebJobsStorage", (string?)provider["connectionName"]);
        Assert.Equal(4, (int?)provider["partitionCount"]);
        Assert.False((bool?)durable["extendedSessionsEnabled"] ?? false, "extended sessions stay off until measured useful");
    }

    [Fact]
    public void HostJson_Versioning_MatchesTheLocalTaskHubs()
    {
        var durable = DurableTask();
        var local = new KamFlows.TaskHub.TaskHubSettings();

        // New instances carry the same version in both hosts, and a worker leaves instances newer than itself alone.
        Assert.Equal(local.DefaultVersion, (string?)durable["defaultVersion"]);
        Assert.Equal(local.VersionMatchStrategy.ToString(), (string?)durable["versionMatchStrategy"]);
        Assert.Equal(local.VersionFailureStrategy.ToString(), (string?)durable["versionFailureStrategy"]);
    }

    [Fact]
    public void HostJson_QueuePolling_IsAtMostTenSecondsAsFlexConsumptionNeeds()
    {
        var interval = TimeSpan.Parse((string)DurableTask()["storageProvider"]!["maxQueuePollingInterval"]!, System.Globalization.CultureInfo.InvariantCulture);

        Assert.InRange(interval, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void HostJson_Runtime_IsTheIsolatedWorkerWithNoCustomHandlerOrBundle()
    {
        var host = app.Json("host.json").AsObject();

        Assert.Equal("2.0", (string?)host["version"]);
        Assert.False(host.ContainsKey("customHandler"), "host.json still starts a custom handler");
        // A .NET isolated app ships its extensions in .azurefunctions; a bundle would load a second, different set.
        Assert.False(host.ContainsKey("extensionBundle"), "host.json names an extension bundle");
        Assert.Equal("api", (string?)host["extensions"]!["http"]!["routePrefix"]);
    }

    [Fact]
    public void WorkerConfig_StartsKamFlowsFunctionsAsDotnetIsolated()
    {
        var description = app.Json("worker.config.json")["description"]!;

        Assert.Equal("dotnet-isolated", (string?)description["language"]);
        Assert.Equal("KamFlows.Functions.dll", (string?)description["defaultWorkerPath"]);
        Assert.True(app.Has("KamFlows.Functions.dll"), app.PublishOutput);
    }

    [Fact]
    public void Package_CrmMappings_ShipForEveryCrmSourceAndLoad()
    {
        var crms = KamFlows.Api.Webhooks.WebhookOptions.Sources.Where(s => s != "events").ToList();

        Assert.Equal(4, crms.Count);
        Assert.All(crms, crm =>
        {
            // infra/app/api.bicep sets KamFlows__Webhooks__Mappings__<crm> to these paths, relative to the app's folder.
            var path = Path.Combine(app.Folder, "mappings", crm + ".json");
            Assert.True(File.Exists(path), $"The package has no mappings/{crm}.json.");
            Assert.NotNull(KamFlows.Infrastructure.Intake.Mapping.CrmMapping.Load(path));
        });
    }

    private JsonNode DurableTask() =>
        app.Json("host.json")["extensions"]?["durableTask"] ?? throw new Xunit.Sdk.XunitException("host.json has no extensions.durableTask section.");
}
