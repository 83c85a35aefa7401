// DurableTask.AzureStorage hands a history out only as JSON without type names; callers want DurableTask.Core's own
// event classes. Each JSON object is mapped to its class by its EventType, learned from the classes themselves, so a
// new event type in a later DurableTask.Core needs no change here.
using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.CompilerServices;
using DurableTask.Core.History;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace KamFlows.TaskHub;

internal static class HistoryEventJson
{
    private static readonly FrozenDictionary<EventType, Type> Types = typeof(HistoryEvent).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(HistoryEvent)) && !t.IsAbstract)
        .Select(t => (Type: t, Kind: ((HistoryEvent)RuntimeHelpers.GetUninitializedObject(t)).EventType))
        .GroupBy(x => x.Kind)
        .ToFrozenDictionary(g => g.Key, g => g.OrderBy(x => x.Type.GetCustomAttribute<ObsoleteAttribute>() is null ? 0 : 1).First().Type);

    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        TypeNameHandling = TypeNameHandling.None,
        DateParseHandling = DateParseHandling.DateTime,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
    });

    public static List<HistoryEvent> Deserialize(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        var events = new List<HistoryEvent>();
        foreach (var item in JArray.Parse(json).OfType<JObject>())
        {
            var kind = (EventType)(item.GetValue(nameof(HistoryEvent.EventType), StringComparison.OrdinalIgnoreCase)?.Value<int>()
                                   ?? throw new JsonSerializationException("A history event without EventType."));
            var type = Types.TryGetValue(kind, out var t) ? t : throw new JsonSerializationException($"Unknown history event type {kind}.");
            item.Remove(nameof(HistoryEvent.EventType)); // Fixed by the class (a getter-only override).
            var historyEvent = (HistoryEvent)RuntimeHelpers.GetUninitializedObject(type);
            using var reader = item.CreateReader();
            Serializer.Populate(reader, historyEvent);
            events.Add(historyEvent);
        }

        return events;
    }
}
