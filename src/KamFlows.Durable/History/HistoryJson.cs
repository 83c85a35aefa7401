using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KamFlows.Durable;

/// <summary>The JSON form of history and failures as persisted (camelCase, nulls omitted).</summary>
public static class HistoryJson
{
    /// <summary>Serializer options for persisted history.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
