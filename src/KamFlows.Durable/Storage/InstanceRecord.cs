using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace KamFlows.Durable.Storage;

/// <summary>
/// The instance row of an instance's partition (row key <see cref="RowKey"/>): status and metadata.
/// Every write to the partition changes this row's ETag, so a step guarded by it has seen everything.
/// </summary>
internal sealed record InstanceRecord
{
    public const string RowKey = "!instance";

    public required string InstanceId { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required string ExecutionId { get; init; }
    public required OrchestrationRuntimeStatus Status { get; init; }
    public string? Input { get; init; }
    public string? Output { get; init; }
    public string? CustomStatus { get; init; }
    public TaskFailureDetails? Failure { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastUpdatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? ScheduledStartAt { get; init; }
    public string? ParentInstanceId { get; init; }
    public string? ParentExecutionId { get; init; }
    public int? ParentTaskId { get; init; }

    /// <summary>Number of history rows of the current execution (the next row's step number).</summary>
    public int NextStep { get; init; }

    /// <summary>Host that runs this instance's scheduled activities, and until when (lease clock).</summary>
    public string? ClaimOwner { get; init; }
    public DateTimeOffset? ClaimUntil { get; init; }

    /// <summary>When the instance first waited for a version this host lacks.</summary>
    public DateTimeOffset? MissingVersionSince { get; init; }

    public ETag ETag { get; init; }

    public bool IsTerminal => Status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    public TableEntity ToEntity(string partitionKey)
    {
        var e = new TableEntity(partitionKey, RowKey)
        {
            ["InstanceId"] = InstanceId,
            ["Name"] = Name,
            ["Version"] = Version,
            ["ExecutionId"] = ExecutionId,
            ["Status"] = Status.ToString(),
            ["Input"] = Input,
            ["Output"] = Output,
            ["CustomStatus"] = CustomStatus,
            ["Failure"] = Failure is null ? null : JsonSerializer.Serialize(Failure, HistoryJson.Options),
            ["CreatedAt"] = CreatedAt,
            ["LastUpdatedAt"] = LastUpdatedAt,
            ["CompletedAt"] = CompletedAt,
            ["ScheduledStartAt"] = ScheduledStartAt,
            ["ParentInstanceId"] = ParentInstanceId,
            ["ParentExecutionId"] = ParentExecutionId,
            ["ParentTaskId"] = ParentTaskId,
            ["NextStep"] = NextStep,
            ["ClaimOwner"] = ClaimOwner,
            ["ClaimUntil"] = ClaimUntil,
            ["MissingVersionSince"] = MissingVersionSince,
        };
        if (ETag != default)
        {
            e.ETag = ETag;
        }

        return e;
    }

    public static InstanceRecord FromEntity(TableEntity e) => new()
    {
        InstanceId = e.GetString("InstanceId") ?? KeyEncoding.Decode(e.PartitionKey),
        Name = e.GetString("Name") ?? "",
        Version = e.GetString("Version") ?? DurableTaskRegistry.DefaultVersion,
        ExecutionId = e.GetString("ExecutionId") ?? "",
        Status = Enum.TryParse<OrchestrationRuntimeStatus>(e.GetString("Status"), out var s) ? s : OrchestrationRuntimeStatus.Pending,
        Input = e.GetString("Input"),
        Output = e.GetString("Output"),
        CustomStatus = e.GetString("CustomStatus"),
        Failure = e.GetString("Failure") is { } f ? JsonSerializer.Deserialize<TaskFailureDetails>(f, HistoryJson.Options) : null,
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        LastUpdatedAt = e.GetDateTimeOffset("LastUpdatedAt") ?? default,
        CompletedAt = e.GetDateTimeOffset("CompletedAt"),
        ScheduledStartAt = e.GetDateTimeOffset("ScheduledStartAt"),
        ParentInstanceId = e.GetString("ParentInstanceId"),
        ParentExecutionId = e.GetString("ParentExecutionId"),
        ParentTaskId = e.GetInt32("ParentTaskId"),
        NextStep = e.GetInt32("NextStep") ?? 0,
        ClaimOwner = e.GetString("ClaimOwner"),
        ClaimUntil = e.GetDateTimeOffset("ClaimUntil"),
        MissingVersionSince = e.GetDateTimeOffset("MissingVersionSince"),
        ETag = e.ETag,
    };
}
