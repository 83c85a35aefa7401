using System.Text.Json.Nodes;

namespace KamFlows.Functions.Tests;

/// <summary>One function of the published functions.metadata: what the Functions host indexes and binds.</summary>
public sealed record PublishedFunction(string Name, string ScriptFile, string EntryPoint, string Language, IReadOnlyList<JsonObject> Bindings)
{
    /// <summary>The trigger binding (the one in-binding whose type ends in "Trigger").</summary>
    public JsonObject Trigger => Bindings.Single(b => ((string?)b["type"])?.EndsWith("Trigger", StringComparison.Ordinal) == true);

    public string TriggerType => (string)Trigger["type"]!;

    public static IReadOnlyList<PublishedFunction> Read(JsonNode metadata) =>
        metadata.AsArray().Select(node => node!.AsObject()).Select(f => new PublishedFunction(
            (string)f["name"]!,
            (string)f["scriptFile"]!,
            (string)f["entryPoint"]!,
            (string)f["language"]!,
            f["bindings"]!.AsArray().Select(b => b!.AsObject()).ToList())).ToList();
}
