// A recorded execution: DurableTask.Core history events (what the Azure Storage provider keeps in its History table,
// what DurableTaskClient.GetOrchestrationHistoryAsync returns), saved with DurableTask.Core's own JSON shape
// (Newtonsoft, "$type" per event). Reading accepts DurableTask.Core's history types only: a file is data, never code.
using DurableTask.Core.History;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace KamFlows.Workflows.Replay;

/// <summary>An execution's history saved to a file (tests/**/Histories/*.json), replayed in CI against the current code.</summary>
public sealed class RecordedHistory
{
    private static readonly JsonSerializerSettings Settings = new()
    {
        TypeNameHandling = TypeNameHandling.Auto,
        SerializationBinder = new HistoryTypesOnly(),
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
        Formatting = Formatting.Indented,
        NullValueHandling = NullValueHandling.Ignore,
    };

    /// <summary>The orchestrator's registered name.</summary>
    public required string Orchestrator { get; init; }

    /// <summary>The orchestration version the instance ran on (<c>context.Version</c>).</summary>
    public string Version { get; init; } = string.Empty;

    /// <summary>The instance id it was recorded from.</summary>
    public string InstanceId { get; init; } = "recorded";

    /// <summary>What the recording shows, for readers of the file.</summary>
    public string? Description { get; init; }

    /// <summary>The events, oldest first.</summary>
    public required List<HistoryEvent> Events { get; init; }

    /// <summary>Reads a history file; <see cref="InvalidDataException"/> when it is not one.</summary>
    public static RecordedHistory Load(string path)
    {
        try
        {
            var history = JsonConvert.DeserializeObject<RecordedHistory>(File.ReadAllText(path), Settings);
            return history is { Orchestrator: not null, Events.Count: > 0 } ? history : throw new InvalidDataException($"{path} holds no recorded history.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a recorded history: {ex.Message}", ex);
        }
    }

    /// <summary>Writes the history as indented JSON.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonConvert.SerializeObject(this, Settings) + "\n");

    /// <summary>Only DurableTask.Core's history event types may be named in a file.</summary>
    private sealed class HistoryTypesOnly : ISerializationBinder
    {
        private readonly DefaultSerializationBinder _inner = new();

        public Type BindToType(string? assemblyName, string typeName)
        {
            var type = _inner.BindToType(assemblyName, typeName);
            return typeof(HistoryEvent).IsAssignableFrom(type) ? type : throw new JsonSerializationException($"'{typeName}' is not a history event type.");
        }

        public void BindToName(Type serializedType, out string? assemblyName, out string? typeName) =>
            _inner.BindToName(serializedType, out assemblyName, out typeName);
    }
}
