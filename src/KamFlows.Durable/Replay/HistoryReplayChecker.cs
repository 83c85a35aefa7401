using System.Text.Json;
using KamFlows.Durable.History;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Durable;

/// <summary>An execution's history saved to a file (tests/**/Histories/*.json), replayed in CI against the current code.</summary>
public sealed record RecordedHistory
{
    /// <summary>The orchestrator's registered name.</summary>
    public required string Orchestrator { get; init; }

    /// <summary>The version the instance ran on.</summary>
    public required string Version { get; init; }

    /// <summary>The instance id it was recorded from.</summary>
    public string InstanceId { get; init; } = "recorded";

    /// <summary>The execution id it was recorded from (child ids and GUIDs derive from it).</summary>
    public string ExecutionId { get; init; } = "recorded";

    /// <summary>What the recording shows, for readers of the file.</summary>
    public string? Description { get; init; }

    /// <summary>The events, oldest first.</summary>
    public required IReadOnlyList<HistoryEvent> Events { get; init; }

    /// <summary>Reads a history file.</summary>
    public static RecordedHistory Load(string path) =>
        JsonSerializer.Deserialize<RecordedHistory>(File.ReadAllText(path), HistoryJson.Options)
        ?? throw new InvalidDataException($"{path} is empty.");

    /// <summary>Writes the history as indented JSON.</summary>
    public void Save(string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(this, Indented));

    private static readonly JsonSerializerOptions Indented = new(HistoryJson.Options) { WriteIndented = true };
}

/// <summary>Result of replaying a recorded history.</summary>
public sealed record ReplayCheckResult(bool IsDeterministic, string? Problem)
{
    /// <inheritdoc />
    public override string ToString() => IsDeterministic ? "replays cleanly" : Problem ?? "not deterministic";
}

/// <summary>Replays recorded histories against registered orchestrators to catch non-deterministic changes before deploy.</summary>
public static class HistoryReplayChecker
{
    /// <summary>
    /// Replays <paramref name="history"/>. It must replay without divergence, and if it recorded a completion,
    /// the code must complete the same way with the same output.
    /// </summary>
    public static ReplayCheckResult Check(DurableTaskRegistry registry, RecordedHistory history, IServiceProvider? services = null, DataConverter? converter = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(history);
        services ??= new ServiceCollection().BuildServiceProvider();
        if (!registry.TryCreateOrchestrator(history.Orchestrator, history.Version, services, out var orchestrator))
        {
            return new(false, $"Orchestrator '{history.Orchestrator}' version '{history.Version}' is not registered: instances on it could not continue.");
        }

        var result = Replay.OrchestrationReplayer.Run(orchestrator, history.InstanceId, history.ExecutionId, history.Orchestrator, history.Version,
            history.Events, [], converter ?? DataConverter.Default, null);
        if (result.Failure is { } f && f.ErrorType == typeof(NonDeterministicOrchestrationException).FullName)
        {
            return new(false, f.ErrorMessage);
        }

        var completed = history.Events.LastOrDefault(e => e.Kind == HistoryEventKind.ExecutionCompleted);
        if (completed is not null)
        {
            var expected = completed.Reason;
            var actual = result.Outcome.ToString();
            if (expected != actual)
            {
                return new(false, $"The recording ended {expected}, the current code ends {actual}{(result.Failure is null ? "" : ": " + result.Failure)}.");
            }

            if (expected == nameof(OrchestrationRuntimeStatus.Completed) && !JsonEquals(completed.Payload, result.Output))
            {
                return new(false, $"The recording completed with {completed.Payload}, the current code with {result.Output}.");
            }
        }

        return new(true, null);
    }

    private static bool JsonEquals(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a == b;
        }

        using var da = JsonDocument.Parse(a);
        using var db = JsonDocument.Parse(b);
        return JsonElement.DeepEquals(da.RootElement, db.RootElement);
    }
}
