namespace KamFlows.Durable;

/// <summary>Where an orchestration instance stands. Names are persisted.</summary>
public enum OrchestrationRuntimeStatus
{
    /// <summary>Scheduled, not started yet.</summary>
    Pending,

    /// <summary>Started and not finished (waiting counts as running).</summary>
    Running,

    /// <summary>Finished with an output.</summary>
    Completed,

    /// <summary>Finished with an error.</summary>
    Failed,

    /// <summary>Stopped by a client.</summary>
    Terminated,

    /// <summary>Paused by a client; events are kept until it is resumed.</summary>
    Suspended,
}
