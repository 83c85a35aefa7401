using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace KamFlows.Host.Functions;

/// <summary>
/// The request the Azure Functions host sends a custom handler for a non-HTTP trigger: <c>{"Data": {...}, "Metadata": {...}}</c>.
/// <c>Data</c> holds the trigger value under the binding's name (a queue message arrives as a JSON string, or already
/// parsed); metadata values may be numbers or strings depending on the host version, so both are accepted.
/// </summary>
public sealed record FunctionsInvocation(JsonObject Data, JsonObject Metadata)
{
    public static FunctionsInvocation Parse(JsonNode? body)
    {
        if (body is not JsonObject root)
        {
            throw new FormatException("The invocation body must be a JSON object with Data and Metadata.");
        }

        return new FunctionsInvocation(
            root[nameof(Data)] as JsonObject ?? throw new FormatException("The invocation has no Data object."),
            root[nameof(Metadata)] as JsonObject ?? []);
    }

    /// <summary>The trigger value as text: a JSON string's value, or the JSON of an object.</summary>
    public string GetText(string bindingName)
    {
        var node = Data[bindingName] ?? throw new FormatException($"The invocation's Data has no '{bindingName}'.");
        return node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
    }

    /// <summary>A metadata number that may arrive as a number or as a string.</summary>
    public long GetMetadataNumber(string name, long fallback)
    {
        var node = Metadata[name];
        return node?.GetValueKind() switch
        {
            JsonValueKind.Number => node.GetValue<long>(),
            JsonValueKind.String when long.TryParse(node.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) => v,
            _ => fallback,
        };
    }
}

/// <summary>The response a custom handler returns: outputs for output bindings, log lines, and a return value.</summary>
public sealed record FunctionsResponse(
    [property: JsonPropertyName("Outputs")] Dictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] List<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    public static FunctionsResponse Ok(params string[] logs) => new([], [.. logs], null);
}
