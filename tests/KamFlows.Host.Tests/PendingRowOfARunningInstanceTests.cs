using System.Net;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;

namespace KamFlows.Host.Tests;

/// <summary>
/// A host killed inside DurableTask.AzureStorage's start (start message queued, instance row not yet written) and the
/// start repeated after the restart can leave the row Pending under an instance that already runs (seen by the kill
/// test). Intake must still deliver to it instead of waiting for a start that has happened.
/// </summary>
public sealed class PendingRowOfARunningInstanceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public async Task InstanceRowLeftPending_WhileTheInstanceRuns_EveryNextEventIsStillDelivered()
    {
        await using var host = await KamFlowsTestHost.StartAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(TestEvents.Account("pending-1", "ACME", T0, "Acme"))).StatusCode);
        await host.WaitForReceivedAsync("account:ACME", 1);

        // The state the crash leaves: the row says Pending, the instance has run (its custom status is set).
        await host.Table("Instances").UpdateEntityAsync(new TableEntity("account:ACME", string.Empty) { ["RuntimeStatus"] = "Pending" }, Azure.ETag.All, TableUpdateMode.Merge);
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await host.Workflows.GetInstanceAsync("account:ACME"))!.RuntimeStatus);

        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(TestEvents.Account("pending-2", "ACME", T0.AddMinutes(1), "Acme Oy"))).StatusCode);

        Assert.Equal(["pending-1", "pending-2"], await host.WaitForReceivedAsync("account:ACME", 2));

        // The provider writes the row's status only when the orchestration's own status changes, so it stays Pending: the
        // next event gets through all the same, and the management API's raise does too.
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(TestEvents.Account("pending-3", "ACME", T0.AddMinutes(2), "Acme Oyj"))).StatusCode);
        Assert.Equal(["pending-1", "pending-2", "pending-3"], await host.WaitForReceivedAsync("account:ACME", 3));
        await host.Workflows.RaiseEventAsync("account:ACME", KamFlows.Workflows.WorkflowCatalog.CanonicalEventName, TestEvents.Account("pending-4", "ACME", T0.AddMinutes(3), "Acme Oyj"));
        Assert.Equal("pending-4", (await host.WaitForReceivedAsync("account:ACME", 4))[3]);
    }
}
