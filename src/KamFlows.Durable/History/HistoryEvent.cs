using System.Text.Json.Serialization;

namespace KamFlows.Durable.History;

/// <summary>Kinds of history events. Names are persisted: never rename one.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HistoryEventKind>))]
public enum HistoryEventKind
{
    /// <summary>The execution began (name, version, input).</summary>
    ExecutionStarted,

    /// <summary>A step began; its timestamp is the orchestration's current time for that step.</summary>
    StepStarted,

    /// <summary>An activity call was scheduled.</summary>
    TaskScheduled,

    /// <summary>An activity returned.</summary>
    TaskCompleted,

    /// <summary>An activity threw.</summary>
    TaskFailed,

    /// <summary>A durable timer was created.</summary>
    TimerCreated,

    /// <summary>A durable timer fired.</summary>
    TimerFired,

    /// <summary>A child orchestration was started.</summary>
    SubOrchestrationCreated,

    /// <summary>A child orchestration completed.</summary>
    SubOrchestrationCompleted,

    /// <summary>A child orchestration failed or was terminated.</summary>
    SubOrchestrationFailed,

    /// <summary>An external event arrived.</summary>
    EventRaised,

    /// <summary>The instance was suspended.</summary>
    ExecutionSuspended,

    /// <summary>The instance was resumed.</summary>
    ExecutionResumed,

    /// <summary>The instance was terminated.</summary>
    ExecutionTerminated,

    /// <summary>The execution ended (completed or failed).</summary>
    ExecutionCompleted,
}

/// <summary>
/// One recorded fact in an execution's history. The JSON form is persisted and kept in test files
/// (tests/**/Histories), so fields are only ever added, never renamed.
/// </summary>
public sealed record HistoryEvent
{
    /// <summary>What happened.</summary>
    public required HistoryEventKind Kind { get; init; }

    /// <summary>When it was recorded (orchestration time).</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Task sequence number for scheduled/completed pairs.</summary>
    public int? TaskId { get; init; }

    /// <summary>Activity, orchestrator or event name.</summary>
    public string? Name { get; init; }

    /// <summary>Orchestrator version (ExecutionStarted, SubOrchestrationCreated).</summary>
    public string? Version { get; init; }

    /// <summary>JSON payload: input, result, output or event data (or a blob reference).</summary>
    public string? Payload { get; init; }

    /// <summary>When a timer fires.</summary>
    public DateTimeOffset? FireAt { get; init; }

    /// <summary>Child instance id (sub-orchestrations).</summary>
    public string? InstanceId { get; init; }

    /// <summary>Failure of a task, child or execution.</summary>
    public TaskFailureDetails? Failure { get; init; }

    /// <summary>Final status (ExecutionCompleted) or reason (terminate, suspend, resume).</summary>
    public string? Reason { get; init; }
}
