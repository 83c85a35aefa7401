using KamFlows.Workflows;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;

namespace KamFlows.Api.Tests;

public sealed class KamFlowsServicesTests
{
    [Fact]
    public void RegisterTasks_Default_IsTheWorkflowsAndTheHealthProbe()
    {
        var registry = KamFlowsServices.RegisterTasks(new DurableTaskRegistry());
        var workflows = WorkflowsRegistration.Register(new DurableTaskRegistry());

        var orchestrators = registry.GetOrchestrators().Select(o => o.Key.Name).ToList();
        Assert.Equal(workflows.GetOrchestrators().Select(o => o.Key.Name).Append("HealthProbe").Order(StringComparer.Ordinal), orchestrators.Order(StringComparer.Ordinal));
        Assert.Equal(workflows.GetActivities().Select(a => a.Key.Name).Append("HealthProbeEcho").Order(StringComparer.Ordinal),
            registry.GetActivities().Select(a => a.Key.Name).Order(StringComparer.Ordinal));
        Assert.Contains(WorkflowCatalog.ProposalFollowUp, orchestrators);
    }

    [Fact]
    public void RegisterTasks_WithStandIns_KeepsTheHealthProbe()
    {
        var registry = KamFlowsServices.RegisterTasks(new DurableTaskRegistry(), r => r.AddActivityFunc<string, string>("StandIn", (_, s) => s));

        Assert.Equal(["HealthProbeEcho", "StandIn"], registry.GetActivities().Select(a => a.Key.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["HealthProbe"], registry.GetOrchestrators().Select(o => o.Key.Name));
    }

    [Fact]
    public void ConfiguredStorage_ServiceUrisAndClientId_UseTheManagedIdentity()
    {
        var storage = KamFlowsServices.ConfiguredStorage(Configuration(new()
        {
            ["KamFlows:Storage:TableServiceUri"] = "https://stkamflows.table.core.windows.net/",
            ["KamFlows:Storage:QueueServiceUri"] = "https://stkamflows.queue.core.windows.net/",
            ["KamFlows:Storage:BlobServiceUri"] = "https://stkamflows.blob.core.windows.net/",
            ["KamFlows:Storage:ClientId"] = "00000000-0000-0000-0000-000000000001",
            ["KamFlows:Storage:TaskHub"] = "kamflowsprod",
        }));

        Assert.Null(storage.ConnectionString);
        Assert.Equal("kamflowsprod", storage.TaskHub);
        Assert.NotNull(storage.Credential);
        Assert.Contains("managed identity 00000000-0000-0000-0000-000000000001", storage.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfiguredStorage_Nothing_FailsNamingTheSettings()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => KamFlowsServices.ConfiguredStorage(Configuration([])));

        Assert.Contains("KamFlows:Storage:TableServiceUri", ex.Message, StringComparison.Ordinal);
        Assert.Contains("KamFlows:Storage:ConnectionString", ex.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
