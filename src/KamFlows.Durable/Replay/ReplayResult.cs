using KamFlows.Durable.History;

namespace KamFlows.Durable.Replay;

/// <summary>How an orchestrator stands after a replay.</summary>
internal enum ReplayOutcome
{
    Running,
    Completed,
    Failed,
    ContinuedAsNew,
}

/// <summary>What the step must persist and do after running the orchestrator over its history.</summary>
internal sealed record ReplayResult
{
    public required ReplayOutcome Outcome { get; init; }

    /// <summary>Output JSON when completed.</summary>
    public string? Output { get; init; }

    /// <summary>Failure when failed (including non-determinism).</summary>
    public TaskFailureDetails? Failure { get; init; }

    /// <summary>Actions issued by the code that history did not have yet: to record and carry out.</summary>
    public IReadOnlyList<HistoryEvent> NewActions { get; init; } = [];

    /// <summary>New timers the code cancelled within this same step: recorded, but never armed.</summary>
    public IReadOnlySet<int> TimersCancelledInStep { get; init; } = new HashSet<int>();

    /// <summary>Custom status JSON after the step.</summary>
    public string? CustomStatus { get; init; }

    /// <summary>Input of the next execution when continued as new.</summary>
    public string? ContinueAsNewInput { get; init; }

    /// <summary>Version of the next execution (null: keep).</summary>
    public string? ContinueAsNewVersion { get; init; }

    /// <summary>Events received and not consumed, in arrival order: carried into the next execution.</summary>
    public IReadOnlyList<HistoryEvent> UnconsumedEvents { get; init; } = [];
}
