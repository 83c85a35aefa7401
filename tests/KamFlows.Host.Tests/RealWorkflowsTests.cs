using System.Net;
using Azure.Data.Tables;
using KamFlows.Durable;
using KamFlows.Infrastructure.Intake;

namespace KamFlows.Host.Tests;

/// <summary>With the workflows the host really registers (no stand-ins): intake's events start and reach them.</summary>
public sealed class RealWorkflowsTests
{
    [Fact]
    public async Task ProposalSent_WithTheRealWorkflows_StartsAProposalFollowUpThatKeepsRunning()
    {
        await using var host = await KamFlowsTestHost.StartAsync(recordWorkflows: false);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(TestEvents.Account("a", "ACME", now, "Acme Oy"))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(TestEvents.ProposalSent("p", "ACME", "P-1", now))).StatusCode);
        await host.WaitForIntakeDrainedAsync();

        OrchestrationMetadata? proposal = null;
        await Testing.DurableTestHost.WaitUntilAsync(async () =>
            (proposal = await host.Workflows.GetInstanceAsync("proposal:P-1", getInputsAndOutputs: true)) is { RuntimeStatus: OrchestrationRuntimeStatus.Running });
        Assert.Equal(Workflows.WorkflowCatalog.ProposalFollowUp, proposal!.Name);
        Assert.NotEqual(EventRecorder.Version, proposal.Version);
        var account = await host.Workflows.GetInstanceAsync("account:ACME");
        Assert.NotNull(account);
        Assert.NotEqual(OrchestrationRuntimeStatus.Failed, account.RuntimeStatus);
        var intake = host.Table("Intake");
        var shard = IntakeShards.PartitionKey(IntakeShards.For("ACME"));
        Assert.Equal("processed", (await intake.GetEntityAsync<TableEntity>(shard, "e|p")).Value.GetString("Status"));
    }
}
