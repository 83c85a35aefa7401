using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;

namespace KamFlows.Infrastructure.Notifications.Outbox;

/// <summary>JSON for outbox rows, and long texts split over several table properties (each holds at most 32K characters).</summary>
internal static class OutboxJson
{
    public const int ChunkChars = 30_000;
    public const int MaxChunks = 25;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void WriteLong(TableEntity entity, string name, string text)
    {
        var chunks = (text.Length + ChunkChars - 1) / ChunkChars;
        if (chunks > MaxChunks)
        {
            throw new ArgumentException($"The notification's {name} are {text.Length} characters of JSON; at most {ChunkChars * MaxChunks} fit in an outbox row.");
        }

        for (var i = 0; i < Math.Max(chunks, 1); i++)
        {
            var part = text.Length == 0 ? string.Empty : text.Substring(i * ChunkChars, Math.Min(ChunkChars, text.Length - (i * ChunkChars)));
            entity[i == 0 ? name : $"{name}_{i}"] = part;
        }
    }

    public static string ReadLong(TableEntity entity, string name)
    {
        var first = entity.GetString(name) ?? string.Empty;
        if (first.Length < ChunkChars)
        {
            return first;
        }

        var sb = new System.Text.StringBuilder(first);
        for (var i = 1; entity.GetString($"{name}_{i}") is { } part; i++)
        {
            sb.Append(part);
        }

        return sb.ToString();
    }
}
