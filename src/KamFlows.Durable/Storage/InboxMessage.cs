using System.Text.Json;
using Azure.Data.Tables;

namespace KamFlows.Durable.Storage;

/// <summary>Kinds of messages waiting in an instance's inbox. Names are persisted.</summary>
internal enum InboxKind
{
    EventRaised,
    Terminate,
    Suspend,
    Resume,
    SubOrchestrationCompleted,
    SubOrchestrationFailed,
}

/// <summary>
/// A message delivered to an instance and not yet applied to its history (row key "m..."). Rows written with a
/// caller-chosen key (event id, child id) are idempotent: writing the same message twice fails with 409.
/// </summary>
internal sealed record InboxMessage
{
    public const string RowKeyPrefix = "m";

    public required string RowKey { get; init; }
    public required InboxKind Kind { get; init; }
    public string? Name { get; init; }
    public string? Payload { get; init; }
    public int? TaskId { get; init; }
    public string? ChildInstanceId { get; init; }
    public string? ParentExecutionId { get; init; }
    public TaskFailureDetails? Failure { get; init; }
    public string? Reason { get; init; }

    /// <summary>Arrival order (lease-clock ticks, then row key).</summary>
    public long Order { get; init; }

    public static string NewRowKey(long ticks) => $"{RowKeyPrefix}{ticks:D19}-{Guid.NewGuid():N}";

    public static string KeyedRowKey(string key) => $"{RowKeyPrefix}~{KeyEncoding.Encode(key)}";

    /// <summary>Events raised with an id keep a consumed marker after they are applied (see EventIdRetention).</summary>
    public static string EventRowKey(string eventId) => KeyedRowKey(EventKeyPrefix + eventId);

    public static bool KeepsTombstone(string rowKey) => rowKey.StartsWith(RowKeyPrefix + "~" + EventKeyPrefix, StringComparison.Ordinal);

    private const string EventKeyPrefix = "event:";

    public TableEntity ToEntity(string partitionKey) => new(partitionKey, RowKey)
    {
        ["Kind"] = Kind.ToString(),
        ["Name"] = Name,
        ["Payload"] = Payload,
        ["TaskId"] = TaskId,
        ["ChildInstanceId"] = ChildInstanceId,
        ["ParentExecutionId"] = ParentExecutionId,
        ["Failure"] = Failure is null ? null : JsonSerializer.Serialize(Failure, HistoryJson.Options),
        ["Reason"] = Reason,
        ["Order"] = Order,
    };

    public static InboxMessage FromEntity(TableEntity e) => new()
    {
        RowKey = e.RowKey,
        Kind = Enum.TryParse<InboxKind>(e.GetString("Kind"), out var k) ? k : throw new InvalidDataException($"Inbox row {e.RowKey} has unknown kind '{e.GetString("Kind")}'."),
        Name = e.GetString("Name"),
        Payload = e.GetString("Payload"),
        TaskId = e.GetInt32("TaskId"),
        ChildInstanceId = e.GetString("ChildInstanceId"),
        ParentExecutionId = e.GetString("ParentExecutionId"),
        Failure = e.GetString("Failure") is { } f ? JsonSerializer.Deserialize<TaskFailureDetails>(f, HistoryJson.Options) : null,
        Reason = e.GetString("Reason"),
        Order = e.GetInt64("Order") ?? 0,
    };
}
