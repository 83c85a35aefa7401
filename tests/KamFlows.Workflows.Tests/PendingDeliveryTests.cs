using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace KamFlows.Workflows.Tests;

/// <summary>
/// Signal-with-start never raises to an instance whose start is not processed yet (DurableTask.AzureStorage would drop
/// the event): it waits while the instance is Pending, and gives up with a TimeoutException so intake retries later.
/// </summary>
public sealed class PendingDeliveryTests
{
    private static readonly WorkflowDeliveryRoute Route = new("proposal:P-1", WorkflowCatalog.ProposalFollowUp, StartsIfAbsent: true);

    [Fact]
    public async Task PendingInstance_IsWaitedFor_ThenTheEventIsRaised()
    {
        var client = new ScriptedClient(OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running);

        var outcome = await WorkflowRouting.DeliverAsync(client, Route, "{}", TimeSpan.FromMinutes(1));

        Assert.Equal(WorkflowDeliveryOutcome.Raised, outcome);
        Assert.Equal(3, client.Reads);
        Assert.Equal(1, client.Raised);
        Assert.Equal(0, client.Started);
    }

    [Fact]
    public async Task InstanceStillPendingAtTheDeadline_Throws_AndRaisesNothing()
    {
        var client = new ScriptedClient(OrchestrationRuntimeStatus.Pending);

        await Assert.ThrowsAsync<TimeoutException>(() => WorkflowRouting.DeliverAsync(client, Route, "{}", TimeSpan.Zero));

        Assert.Equal(0, client.Raised);
        Assert.Equal(0, client.Started);
    }

    /// <summary>Answers GetInstance with the given statuses in turn (the last one repeats) and counts what it is asked to do.</summary>
    private sealed class ScriptedClient(params OrchestrationRuntimeStatus[] statuses) : DurableTaskClient("scripted")
    {
        public int Reads { get; private set; }

        public int Raised { get; private set; }

        public int Started { get; private set; }

        public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        {
            var status = statuses[Math.Min(Reads++, statuses.Length - 1)];
            return Task.FromResult<OrchestrationMetadata?>(new OrchestrationMetadata(WorkflowCatalog.ProposalFollowUp, instanceId) { RuntimeStatus = status });
        }

        public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
        {
            Raised++;
            return Task.CompletedTask;
        }

        public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null,
            CancellationToken cancellation = default)
        {
            Started++;
            return Task.FromResult(options?.InstanceId ?? "new");
        }

        public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => throw new NotSupportedException();

        public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            throw new NotSupportedException();

        public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            throw new NotSupportedException();

        public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
