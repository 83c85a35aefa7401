using System.Net;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
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
        await KamFlows.Testing.Eventually.WaitUntilAsync(async () =>
            (proposal = await host.Workflows.GetInstanceAsync("proposal:P-1", getInputsAndOutputs: true)) is { RuntimeStatus: OrchestrationRuntimeStatus.Running }
            && proposal.ReadCustomStatusAs<Workflows.Common.WorkflowStatus>() is { Phase: "waiting" }); // The real workflow (the recorder's status is a list).
        Assert.Equal(Workflows.WorkflowCatalog.ProposalFollowUp, proposal!.Name);
        var account = await host.Workflows.GetInstanceAsync("account:ACME");
        Assert.NotNull(account);
        Assert.NotEqual(OrchestrationRuntimeStatus.Failed, account.RuntimeStatus);
        var intake = host.Table("Intake");
        var shard = IntakeShards.PartitionKey(IntakeShards.For("ACME"));
        Assert.Equal("processed", (await intake.GetEntityAsync<TableEntity>(shard, "e|p")).Value.GetString("Status"));
    }

    [Fact]
    public async Task UpcomingForPerson_ListsTheKamsPlannedActionsAcrossAccounts_ButNotTheHeads()
    {
        await using var host = await KamFlowsTestHost.StartAsync(recordWorkflows: false);
        var now = DateTimeOffset.UtcNow;
        await host.PostEventsAsync(TestEvents.Account("a", "ACME", now, "Acme Oy"));
        await host.PostEventsAsync(TestEvents.Account("b", "GLOBEX", now, "Globex Oy"));
        await host.PostEventsAsync(TestEvents.ProposalSent("p1", "ACME", "P-1", now));
        await host.PostEventsAsync(TestEvents.ProposalSent("p2", "GLOBEX", "P-2", now));
        await host.WaitForIntakeDrainedAsync();

        System.Text.Json.JsonElement body = default;
        await KamFlows.Testing.Eventually.WaitUntilAsync(async () =>
        {
            body = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(host.Management, "/api/people/anna@kamflows.example/upcoming?days=60");
            var sources = body.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("sourceKey").GetString()).ToHashSet();
            return body.GetProperty("accounts").GetArrayLength() == 2 && sources.Contains("proposal:P-1") && sources.Contains("proposal:P-2");
        }); // The plan is projected as each workflow takes its first step, so the two proposals may appear one after the other.
        var actions = body.GetProperty("actions").EnumerateArray().ToList();
        Assert.Contains(actions, a => a.GetProperty("sourceKey").GetString() == "proposal:P-1" && a.GetProperty("kind").GetString() == "ProposalCallToConfirmReceipt");
        Assert.Contains(actions, a => a.GetProperty("sourceKey").GetString() == "proposal:P-2");
        Assert.All(actions, a => Assert.Equal("anna@kamflows.example", a.GetProperty("recipientEmail").GetString()));

        Assert.Equal(HttpStatusCode.BadRequest, (await host.Management.GetAsync("/api/people/anna@kamflows.example/upcoming?days=0")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.GetAsync("/api/people/anna@kamflows.example/upcoming")).StatusCode);
    }
}
