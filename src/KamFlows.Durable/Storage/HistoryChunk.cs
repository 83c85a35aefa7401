using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using KamFlows.Durable.History;

namespace KamFlows.Durable.Storage;

/// <summary>
/// The events one step added to an execution's history, stored as one row ("h{execution}-{step}").
/// One row per step keeps a step's commit to a handful of operations whatever it did (a fan-out of 500
/// activities is still one row); the JSON is split over properties of at most 30,000 characters
/// (a property holds 64 KiB), and a step too large for a row goes to a blob.
/// </summary>
internal sealed record HistoryChunk(string RowKey, int Step, bool Ran, IReadOnlyList<HistoryEvent> Events)
{
    public const string RowKeyPrefix = "h";
    private const int PropertyChars = 30_000;
    private const int MaxProperties = 14; // 14 × 30,000 UTF-16 chars ≈ 840 KB < the 1 MiB entity limit.

    public static string MakeRowKey(string executionId, int step) => $"{RowKeyPrefix}{executionId}-{step:D8}";

    /// <summary>The execution id in a history row key.</summary>
    public static string ExecutionOf(string rowKey) => rowKey[1..rowKey.LastIndexOf('-')];

    public async Task<TableEntity> ToEntityAsync(string partitionKey, PayloadStore payloads, CancellationToken cancellationToken)
    {
        var stored = new List<HistoryEvent>(Events.Count);
        foreach (var e in Events)
        {
            stored.Add(e.Payload is { } p && p.Length > payloads.MaxInlineChars
                ? e with { Payload = await payloads.OffloadAsync(partitionKey, p, cancellationToken).ConfigureAwait(false) }
                : e);
        }

        var json = JsonSerializer.Serialize(stored, HistoryJson.Options);
        var entity = new TableEntity(partitionKey, RowKey) { ["Step"] = Step, ["Ran"] = Ran };
        if (json.Length > PropertyChars * MaxProperties)
        {
            entity["Blob"] = await payloads.OffloadAsync(partitionKey, json, cancellationToken).ConfigureAwait(false);
            return entity;
        }

        for (int i = 0, offset = 0; offset < json.Length || i == 0; i++, offset += PropertyChars)
        {
            entity["E" + i] = json.Substring(offset, Math.Min(PropertyChars, json.Length - offset));
        }

        return entity;
    }

    public static async Task<HistoryChunk> FromEntityAsync(TableEntity entity, PayloadStore payloads, CancellationToken cancellationToken)
    {
        string json;
        if (entity.GetString("Blob") is { } blob)
        {
            json = (await payloads.ResolveAsync(blob, cancellationToken).ConfigureAwait(false))!;
        }
        else
        {
            var sb = new StringBuilder();
            for (var i = 0; entity.GetString("E" + i) is { } part; i++)
            {
                sb.Append(part);
            }

            json = sb.ToString();
        }

        List<HistoryEvent> events;
        try
        {
            events = JsonSerializer.Deserialize<List<HistoryEvent>>(json, HistoryJson.Options)
                ?? throw new InvalidDataException("History row is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"History row {entity.PartitionKey}/{entity.RowKey} cannot be read: {ex.Message}", ex);
        }

        for (var i = 0; i < events.Count; i++)
        {
            if (PayloadStore.IsReference(events[i].Payload))
            {
                events[i] = events[i] with { Payload = await payloads.ResolveAsync(events[i].Payload, cancellationToken).ConfigureAwait(false) };
            }
        }

        return new HistoryChunk(entity.RowKey, entity.GetInt32("Step") ?? 0, entity.GetBoolean("Ran") ?? true, events);
    }
}
