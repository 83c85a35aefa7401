using System.Text.Json;
using System.Text.Json.Serialization;

namespace KamFlows.Workflows.Common;

/// <summary>
/// What a workflow instance starts with: the business key alone (intake's signal-with-start passes the key string,
/// e.g. <c>"proposal:P-1"</c>), or the key and the state carried over by <c>ContinueAsNew</c>. Both JSON forms are read.
/// </summary>
[JsonConverter(typeof(WorkflowInputConverterFactory))]
public sealed record WorkflowInput<TState>
    where TState : class
{
    public required string Key { get; init; }

    public TState? State { get; init; }

    /// <summary>Canonical events (CloudEvents JSON) delivered with the start, so none can overtake the start itself.</summary>
    public IReadOnlyList<string>? Events { get; init; }
}

/// <summary>Reads a workflow input from a JSON string (the business key) or an object (key and carried state).</summary>
public sealed class WorkflowInputConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert is not null && typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(WorkflowInput<>);

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        var converter = typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]);
        return (JsonConverter?)Activator.CreateInstance(converter);
    }

    private sealed class Converter<TState> : JsonConverter<WorkflowInput<TState>>
        where TState : class
    {
        public override WorkflowInput<TState>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                return new WorkflowInput<TState> { Key = reader.GetString()! };
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("A workflow input is a business key string or an object with 'key' and 'state'.");
            }

            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            string? key = null;
            TState? state = null;
            List<string>? events = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals("key") || property.Name.Equals("Key", StringComparison.OrdinalIgnoreCase))
                {
                    key = property.Value.GetString();
                }
                else if (property.Name.Equals("state", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind != JsonValueKind.Null)
                {
                    state = property.Value.Deserialize<TState>(options);
                }
                else if (property.Name.Equals("events", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.Array)
                {
                    events = [.. property.Value.EnumerateArray().Select(e => e.GetString() ?? string.Empty)];
                }
            }

            return new WorkflowInput<TState> { Key = key ?? throw new JsonException("A workflow input object needs 'key'."), State = state, Events = events };
        }

        public override void Write(Utf8JsonWriter writer, WorkflowInput<TState> value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("key", value.Key);
            writer.WritePropertyName("state");
            JsonSerializer.Serialize(writer, value.State, options);
            if (value.Events is { Count: > 0 } events)
            {
                writer.WriteStartArray("events");
                foreach (var e in events)
                {
                    writer.WriteStringValue(e);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }
    }
}
