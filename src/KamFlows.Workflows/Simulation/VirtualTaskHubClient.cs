// The Durable Task client over the virtual task hub, so the simulator and the workflow tests deliver events through
// the very code intake uses (WorkflowRouting.DeliverAsync). Calls take effect at the hub's current virtual moment;
// the hub runs the resulting episodes on its next RunUntilIdleAsync/AdvanceToAsync.
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace KamFlows.Workflows.Simulation;

/// <summary>A <see cref="DurableTaskClient"/> for a <see cref="VirtualTaskHub"/>: start, raise, read instances.</summary>
public sealed class VirtualTaskHubClient(VirtualTaskHub hub) : DurableTaskClient("virtual")
{
    private const string NotOnVirtualTime = "The virtual task hub only starts instances, raises events and reads instances; this call needs a real task hub.";

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null,
        CancellationToken cancellation = default)
    {
        var id = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        hub.Schedule(orchestratorName.Name, id, Microsoft.DurableTask.Converters.JsonDataConverter.Default.Serialize(input), options?.Version?.Version ?? string.Empty);
        return Task.FromResult(id);
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        hub.RaiseEvent(instanceId, eventName, Microsoft.DurableTask.Converters.JsonDataConverter.Default.Serialize(eventPayload));
        return Task.CompletedTask;
    }

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Task.FromResult(hub.GetInstance(instanceId));

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) =>
        Pageable.Create((continuation, pageSize, ct) =>
        {
            var all = hub.InstanceIds.Order(StringComparer.Ordinal).Select(id => hub.GetInstance(id)!)
                .Where(m => filter?.InstanceIdPrefix is not { } prefix || m.InstanceId.StartsWith(prefix, StringComparison.Ordinal))
                .Where(m => filter?.Statuses is not { } statuses || statuses.Contains(m.RuntimeStatus))
                .ToList();
            return Task.FromResult(new Page<OrchestrationMetadata>(all, null));
        });

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        throw new NotSupportedException(NotOnVirtualTime);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        throw new NotSupportedException(NotOnVirtualTime);

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException(NotOnVirtualTime);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException(NotOnVirtualTime);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
