using KamFlows.Workflows.Common;
using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Simulation;

/// <summary>Missed items of a simulation, in memory, by id (events arrive on time in a simulation, so normally none).</summary>
public sealed class SimulatedMissedActions : IMissedActions
{
    private readonly Dictionary<string, (MissedActionsRecord Record, MissedAction Item)> _items = new(StringComparer.Ordinal);

    public IReadOnlyList<(MissedActionsRecord Record, MissedAction Item)> Items => [.. _items.Values.OrderBy(i => i.Item.DueAt).ThenBy(i => i.Item.Id, StringComparer.Ordinal)];

    public Task<int> RecordAsync(MissedActionsRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Task.FromResult(record.Items.Count(i => _items.TryAdd(i.Id, (record, i))));
    }
}
