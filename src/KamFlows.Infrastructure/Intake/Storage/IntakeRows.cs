using System.Globalization;
using Azure.Data.Tables;

namespace KamFlows.Infrastructure.Intake.Storage;

/// <summary>
/// Row layout of <c>{hub}Intake</c> (partition = shard): <c>e|{eventId}</c> remembers every accepted event (its Add
/// failing with 409 is how a duplicate is recognised) and <c>q|{arrivalTicks:D19}|{eventId}</c> is the pending work item
/// carrying the event JSON, read in arrival order and deleted once processed. The JSON is written once at acceptance
/// (in the pending row) and moves to the e| row, without personal data, when the event is processed. JSON is split over
/// properties of at most 30,000 characters.
/// </summary>
internal static class IntakeRows
{
    public const string EventPrefix = "e|";
    public const string EventEnd = "e}";
    public const string PendingPrefix = "q|";
    public const string PendingEnd = "q}";
    public const string Pending = "pending";
    public const string Processed = "processed";
    public const string Failed = "failed";

    /// <summary>Longest JSON one event may have: an entity is at most 1 MiB, stored as UTF-16.</summary>
    public const int MaxEventJsonChars = 200_000;

    private const int ChunkChars = 30_000;

    public static string EventKey(string eventId) => EventPrefix + eventId;

    /// <summary>The event id inside a pending row key (after <c>q|</c>, the 19 digits and <c>|</c>).</summary>
    public static string EventIdOfPendingKey(string pendingKey) => pendingKey[(PendingPrefix.Length + 20)..];

    public static string PendingKey(long arrivalTicks, string eventId) =>
        PendingPrefix + arrivalTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + eventId;

    public static void WriteJson(TableEntity entity, string json)
    {
        var chunks = 0;
        for (var offset = 0; offset < json.Length || chunks == 0; offset += ChunkChars)
        {
            entity["Json" + chunks.ToString(CultureInfo.InvariantCulture)] = json.Substring(offset, Math.Min(ChunkChars, json.Length - offset));
            chunks++;
        }

        entity["JsonChunks"] = chunks;
    }

    public static string ReadJson(TableEntity entity)
    {
        var chunks = entity.GetInt32("JsonChunks") ?? 0;
        return string.Concat(Enumerable.Range(0, chunks).Select(i => entity.GetString("Json" + i.ToString(CultureInfo.InvariantCulture))));
    }
}
