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

/// <summary>Histories the Azure Storage provider keeps are what replay-check and the CI replay tests read.</summary>
public sealed class StorageHistoryReplayTests
{
    [Fact]
    public async Task HistoryFromTheAzureStorageProvider_SavesLoadsAndReplays_AndAChangedWorkflowFailsOnIt()
    {
        await using var host = await KamFlowsTestHost.StartAsync(recordWorkflows: false);
        var now = DateTimeOffset.UtcNow;
        await host.PostEventsAsync(TestEvents.Account("a", "ACME", now, "Acme Oy"));
        await host.PostEventsAsync(TestEvents.ProposalSent("p", "ACME", "P-1", now));
        await KamFlows.Testing.Eventually.WaitUntilAsync(async () =>
            (await host.Workflows.GetInstanceAsync("proposal:P-1", getInputsAndOutputs: true))?.ReadCustomStatusAs<Workflows.Common.WorkflowStatus>() is { Phase: "waiting" });

        var events = await host.Workflows.GetOrchestrationHistoryAsync("proposal:P-1");
        Assert.Contains(events, e => e is DurableTask.Core.History.TaskScheduledEvent { Name: Workflows.Common.ActivityNames.ReadWorkflowOptions });
        var file = Path.Combine(Path.GetTempPath(), $"kamflows-history-{Guid.NewGuid():N}.json");
        try
        {
            new Workflows.Replay.RecordedHistory { Orchestrator = Workflows.WorkflowCatalog.ProposalFollowUp, InstanceId = "proposal:P-1", Events = [.. events] }.Save(file);
            var loaded = Workflows.Replay.RecordedHistory.Load(file);
            Assert.Equal(events.Count, loaded.Events.Count);
            var current = Workflows.WorkflowsRegistration.Register(new Microsoft.DurableTask.DurableTaskRegistry());
            var check = Workflows.Replay.HistoryReplayChecker.Check(current, loaded);
            Assert.True(check.IsDeterministic, check.Problem);

            var changed = new Microsoft.DurableTask.DurableTaskRegistry().AddOrchestratorFunc<string, string>(Workflows.WorkflowCatalog.ProposalFollowUp, async (context, input) =>
            {
                await context.CallActivityAsync<object?>(Workflows.Common.ActivityNames.ReadAccountProfile, "ACME");
                return input;
            });
            var broken = Workflows.Replay.HistoryReplayChecker.Check(changed, loaded);
            Assert.False(broken.IsDeterministic);
            Assert.Contains(Workflows.Common.ActivityNames.ReadWorkflowOptions, broken.Problem, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>The health probe's round trip goes through a real durable timer on the task hub.</summary>
public sealed class HealthProbeTests
{
    [Fact]
    public async Task Probe_WithATimer_CompletesAfterTheTimer_NeverBefore()
    {
        await using var host = await KamFlowsTestHost.StartAsync(recordWorkflows: false);
        var response = await host.Management.PostAsync("/api/health/probe?timerSeconds=1", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(response.Content);
        var result = body.GetProperty("result");
        var waited = result.GetProperty("finished").GetDateTimeOffset() - result.GetProperty("started").GetDateTimeOffset();
        Assert.True(waited >= TimeSpan.FromSeconds(1), $"the 1 s timer fired after {waited}");
        Assert.StartsWith("ok:", result.GetProperty("echo").GetString(), StringComparison.Ordinal);
    }
}
