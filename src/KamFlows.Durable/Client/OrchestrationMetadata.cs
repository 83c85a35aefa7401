namespace KamFlows.Durable;

/// <summary>What a client sees of an instance.</summary>
public sealed record OrchestrationMetadata
{
    /// <summary>The instance id.</summary>
    public required string InstanceId { get; init; }

    /// <summary>The orchestrator name.</summary>
    public required string Name { get; init; }

    /// <summary>The orchestrator version the instance is pinned to.</summary>
    public required string Version { get; init; }

    /// <summary>The current execution (changes on ContinueAsNew).</summary>
    public required string ExecutionId { get; init; }

    /// <summary>Where it stands.</summary>
    public required OrchestrationRuntimeStatus RuntimeStatus { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset LastUpdatedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>When it is due to start, if scheduled for later.</summary>
    public DateTimeOffset? ScheduledStartAt { get; init; }

    /// <summary>The parent, for sub-orchestrations.</summary>
    public string? ParentInstanceId { get; init; }

    /// <summary>Input JSON (when requested).</summary>
    public string? SerializedInput { get; init; }

    /// <summary>Output JSON (when requested).</summary>
    public string? SerializedOutput { get; init; }

    /// <summary>Custom status JSON (when requested).</summary>
    public string? SerializedCustomStatus { get; init; }

    /// <summary>Why it failed.</summary>
    public TaskFailureDetails? FailureDetails { get; init; }

    /// <summary>Converter used to read the JSON fields.</summary>
    internal DataConverter Converter { get; init; } = DataConverter.Default;

    /// <summary>Completed, Failed or Terminated.</summary>
    public bool IsCompleted => RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    /// <summary>Reads the output.</summary>
    public T ReadOutputAs<T>() => Converter.Deserialize<T>(SerializedOutput);

    /// <summary>Reads the input.</summary>
    public T ReadInputAs<T>() => Converter.Deserialize<T>(SerializedInput);

    /// <summary>Reads the custom status.</summary>
    public T ReadCustomStatusAs<T>() => Converter.Deserialize<T>(SerializedCustomStatus);
}

/// <summary>Options for starting an instance.</summary>
public sealed record StartOrchestrationOptions
{
    /// <summary>Instance id; default a new GUID. Business keys such as <c>tender:42</c> make starts idempotent.</summary>
    public string? InstanceId { get; init; }

    /// <summary>Start later (orchestration time); default now.</summary>
    public DateTimeOffset? StartAt { get; init; }

    /// <summary>Orchestrator version; default the registered default.</summary>
    public string? Version { get; init; }
}

/// <summary>Options for raising an event.</summary>
public sealed record RaiseEventOptions
{
    /// <summary>Idempotency key: the same id raised twice is delivered once.</summary>
    public string? EventId { get; init; }

    /// <summary>Signal-with-start: if the instance does not exist, start this orchestrator and deliver the event to it.</summary>
    public string? StartOrchestratorName { get; init; }

    /// <summary>Input for the started orchestrator.</summary>
    public object? StartInput { get; init; }

    /// <summary>With signal-with-start: also start a new execution if the instance has finished.</summary>
    public bool RestartIfCompleted { get; init; }
}

/// <summary>What became of a raised event.</summary>
public enum RaiseEventResult
{
    /// <summary>Delivered to a running (or pending) instance.</summary>
    Delivered,

    /// <summary>An event with the same id was delivered before; nothing changed.</summary>
    Duplicate,

    /// <summary>The instance did not exist (or had finished) and was started with the event.</summary>
    Started,

    /// <summary>No such instance, and no start was requested.</summary>
    InstanceNotFound,
}

/// <summary>A filter for instance queries.</summary>
public sealed record OrchestrationQuery
{
    /// <summary>Only these statuses (any if empty).</summary>
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses { get; init; }

    /// <summary>Only this orchestrator name.</summary>
    public string? Name { get; init; }

    /// <summary>Only instance ids starting with this.</summary>
    public string? InstanceIdPrefix { get; init; }

    /// <summary>Created at or after.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Created before.</summary>
    public DateTimeOffset? CreatedTo { get; init; }

    /// <summary>Only instances whose custom status JSON contains this text (case-insensitive).</summary>
    public string? CustomStatusContains { get; init; }

    /// <summary>Page size (1–1000).</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>Token from the previous page.</summary>
    public string? ContinuationToken { get; init; }

    /// <summary>Include input, output and custom status.</summary>
    public bool FetchInputsAndOutputs { get; init; }
}

/// <summary>One page of query results.</summary>
public sealed record OrchestrationQueryPage(IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken);

/// <summary>The instance id is taken by an instance that has not finished.</summary>
public sealed class OrchestrationAlreadyExistsException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public OrchestrationAlreadyExistsException(string instanceId, OrchestrationRuntimeStatus status)
        : base($"Instance '{instanceId}' already exists and is {status}.") => InstanceId = instanceId;

    /// <summary>Not for use; exceptions need it.</summary>
    public OrchestrationAlreadyExistsException() : this("?", OrchestrationRuntimeStatus.Running) { }

    /// <summary>Not for use; exceptions need it.</summary>
    public OrchestrationAlreadyExistsException(string message) : base(message) => InstanceId = "?";

    /// <summary>Not for use; exceptions need it.</summary>
    public OrchestrationAlreadyExistsException(string message, Exception innerException) : base(message, innerException) => InstanceId = "?";

    /// <summary>The instance id.</summary>
    public string InstanceId { get; }
}
