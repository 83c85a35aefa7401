using System.Text.Json;
using KamFlows.Domain.Events;

namespace KamFlows.Workflows.Simulation;

/// <summary>
/// A scenario file: <c>{"name": ..., "description": ..., "until": "2029-06-30T00:00:00+03:00", "events": [CloudEvents...]}</c>.
/// The events are canonical events exactly as the generic webhook accepts them; each is delivered at its <c>time</c>.
/// </summary>
public sealed record Scenario(string Name, string? Description, DateTimeOffset? Until, IReadOnlyList<CanonicalEvent> Events)
{
    /// <summary>Reads a scenario; a problem throws <see cref="ScenarioException"/> naming the JSON path (e.g. <c>events[3].data.valid_until</c>).</summary>
    public static Scenario Parse(string json, string source = "scenario")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ScenarioException($"{source}: not valid JSON ({ex.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
            {
                throw new ScenarioException($"{source}: must be an object with an \"events\" array of CloudEvents.");
            }

            var errors = new List<string>();
            var parsed = new List<CanonicalEvent>();
            var index = 0;
            foreach (var element in events.EnumerateArray())
            {
                var result = CanonicalEventParser.Parse(element, $"events[{index++}]");
                if (result.IsValid)
                {
                    parsed.Add(result.Event);
                }
                else
                {
                    errors.AddRange(result.Errors.Select(e => e.ToString()));
                }
            }

            DateTimeOffset? until = null;
            if (root.TryGetProperty("until", out var u) && u.ValueKind != JsonValueKind.Null)
            {
                if (u.ValueKind != JsonValueKind.String || !DateTimeOffset.TryParse(u.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t))
                {
                    errors.Add("until: must be a date-time with an offset, e.g. 2029-06-30T00:00:00+03:00");
                }
                else
                {
                    until = t;
                }
            }

            if (parsed.Count == 0 && errors.Count == 0)
            {
                errors.Add("events: at least one event is needed");
            }

            if (errors.Count > 0)
            {
                throw new ScenarioException($"{source}: {errors.Count} problem(s):\n  " + string.Join("\n  ", errors));
            }

            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : source;
            var description = root.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            return new Scenario(name, description, until, parsed);
        }
    }

    /// <summary>Reads a scenario file.</summary>
    public static Scenario Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ScenarioException($"Scenario file '{path}' does not exist.");
        }

        return Parse(File.ReadAllText(path), Path.GetFileName(path));
    }
}

/// <summary>A scenario cannot be read; the message names the file and every problem.</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException(string message) : base(message) { }

    public ScenarioException() { }

    public ScenarioException(string message, Exception innerException) : base(message, innerException) { }
}
