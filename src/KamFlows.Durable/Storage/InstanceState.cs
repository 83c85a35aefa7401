using KamFlows.Durable.History;

namespace KamFlows.Durable.Storage;

/// <summary>An instance's partition as loaded: instance row, current execution's history, inbox, leftovers.</summary>
internal sealed class InstanceState
{
    public required string InstanceId { get; init; }
    public required string PartitionKey { get; init; }
    public required InstanceRecord Record { get; set; }

    /// <summary>History rows of the current execution, in step order.</summary>
    public List<HistoryChunk> Chunks { get; init; } = [];

    /// <summary>History rows of earlier executions, deleted a few at a time by later steps.</summary>
    public List<string> StaleRowKeys { get; init; } = [];

    /// <summary>Messages not yet applied, in arrival order.</summary>
    public List<InboxMessage> Inbox { get; init; } = [];

    /// <summary>The input, resolved from its blob if needed, while the instance has not started.</summary>
    public string? PendingInput { get; set; }

    /// <summary>False after a commit whose response carried no ETag: reload before the next commit.</summary>
    public bool ETagKnown { get; set; } = true;

    public IEnumerable<HistoryEvent> Events => Chunks.SelectMany(c => c.Events);

    /// <summary>Task ids scheduled (activities) in the current execution that have no result yet, with their events.</summary>
    public Dictionary<int, HistoryEvent> OpenActivities()
    {
        var open = new Dictionary<int, HistoryEvent>();
        foreach (var e in Events)
        {
            if (e.Kind == HistoryEventKind.TaskScheduled)
            {
                open[e.TaskId!.Value] = e;
            }
            else if (e.Kind is HistoryEventKind.TaskCompleted or HistoryEventKind.TaskFailed)
            {
                open.Remove(e.TaskId!.Value);
            }
        }

        return open;
    }

    /// <summary>Timers created in the current execution that have not fired, with their events.</summary>
    public Dictionary<int, HistoryEvent> OpenTimers()
    {
        var open = new Dictionary<int, HistoryEvent>();
        foreach (var e in Events)
        {
            if (e.Kind == HistoryEventKind.TimerCreated)
            {
                open[e.TaskId!.Value] = e;
            }
            else if (e.Kind == HistoryEventKind.TimerFired)
            {
                open.Remove(e.TaskId!.Value);
            }
        }

        return open;
    }

    /// <summary>Sub-orchestrations created in the current execution without a result yet.</summary>
    public Dictionary<int, HistoryEvent> OpenChildren()
    {
        var open = new Dictionary<int, HistoryEvent>();
        foreach (var e in Events)
        {
            if (e.Kind == HistoryEventKind.SubOrchestrationCreated)
            {
                open[e.TaskId!.Value] = e;
            }
            else if (e.Kind is HistoryEventKind.SubOrchestrationCompleted or HistoryEventKind.SubOrchestrationFailed)
            {
                open.Remove(e.TaskId!.Value);
            }
        }

        return open;
    }
}
