using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DurableTask.Core.History;
using Microsoft.DurableTask.Client;

namespace KamFlows.Host.Tests;

/// <summary>Where intake meets the email layer and the workflows, through the real host.</summary>
public sealed class IntegrationSeamTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public async Task AccountUpserted_RegistersItsKamAndHeadForDigests()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await host.Management.GetAsync("/api/email/recipients/anna@kamflows.example")).StatusCode);

        await host.PostEventsAsync(TestEvents.Account("acc-1", "ACME", T0, "Acme Oy"));
        await host.WaitForIntakeDrainedAsync();

        var kam = await host.Management.GetFromJsonAsync<JsonElement>("/api/email/recipients/anna@kamflows.example");
        Assert.Equal("Europe/Helsinki", kam.GetProperty("timeZone").GetString());
        var head = await host.Management.GetAsync("/api/email/recipients/head@kamflows.example");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task StartingEvent_ForAFinishedInstance_StartsItAgain()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        await host.PostEventsAsync(TestEvents.ProposalSent("p-1", "ACME", "P-1", T0));
        await host.WaitForReceivedAsync("proposal:P-1", 1);
        await host.Workflows.TerminateInstanceAsync("proposal:P-1", "finished");
        await host.Workflows.WaitForInstanceCompletionAsync("proposal:P-1");
        var first = await ExecutionIdAsync(host, "proposal:P-1");

        // A re-sent proposal (a new version) must not vanish into a finished instance.
        await host.PostEventsAsync(TestEvents.ProposalSent("p-2", "ACME", "P-1", T0.AddDays(3)));
        await host.WaitForIntakeDrainedAsync();
        Assert.Equal(["p-2"], await host.WaitForReceivedAsync("proposal:P-1", 1));
        Assert.NotEqual(first, await ExecutionIdAsync(host, "proposal:P-1"));
        Assert.False((await host.Workflows.GetInstanceAsync("proposal:P-1"))!.IsCompleted);
    }

    private static async Task<string> ExecutionIdAsync(KamFlowsTestHost host, string instanceId) =>
        (await host.Workflows.GetOrchestrationHistoryAsync(instanceId)).OfType<ExecutionStartedEvent>().First().OrchestrationInstance.ExecutionId;
}
