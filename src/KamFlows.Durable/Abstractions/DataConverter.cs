using System.Text.Json;

namespace KamFlows.Durable;

/// <summary>Turns inputs, outputs and event data into the JSON stored in history, and back.</summary>
public sealed class DataConverter
{
    /// <summary>The converter with web defaults (camelCase, case-insensitive reads).</summary>
    public static DataConverter Default { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Creates a converter with the given serializer options.</summary>
    public DataConverter(JsonSerializerOptions options) => Options = options;

    /// <summary>The serializer options.</summary>
    public JsonSerializerOptions Options { get; }

    /// <summary>Serializes a value; null stays null.</summary>
    public string? Serialize(object? value) =>
        value is null ? null : JsonSerializer.Serialize(value, value.GetType(), Options);

    /// <summary>Deserializes JSON; null or absent JSON gives the type's default.</summary>
    public object? Deserialize(string? json, Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (json is null)
        {
            return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? Activator.CreateInstance(type) : null;
        }

        return JsonSerializer.Deserialize(json, type, Options);
    }

    /// <summary>Deserializes JSON to <typeparamref name="T"/>.</summary>
    public T Deserialize<T>(string? json) => (T)Deserialize(json, typeof(T))!;
}
