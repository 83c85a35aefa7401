using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KamFlows.Testing;

/// <summary>
/// A sample scenario as a CRM's history: every time and date in it (event times, dates and timestamps in data, the
/// scenario's end) moved back by whole weeks, so weekdays stay weekdays, until the whole scenario lies at least
/// <c>minAge</c> before <c>now</c>. Posting its events in one go is what a company's first connection looks like.
/// </summary>
public sealed class SampleHistory
{
    private SampleHistory(string scenarioJson, IReadOnlyList<string> events, int shiftDays)
    {
        ScenarioJson = scenarioJson;
        Events = events;
        ShiftDays = shiftDays;
    }

    /// <summary>The shifted scenario file's JSON (for the simulator).</summary>
    public string ScenarioJson { get; }

    /// <summary>The shifted events (CloudEvents JSON), in the file's order.</summary>
    public IReadOnlyList<string> Events { get; }

    public int ShiftDays { get; }

    /// <summary>The events as one CloudEvents batch (a JSON array).</summary>
    public string Batch => "[" + string.Join(",", Events) + "]";

    /// <remarks>
    /// <paramref name="roundTheClock"/>: the account team works every day around the clock, so what is due goes out the
    /// moment it is decided instead of waiting for the next working morning: what a run sends can be seen at once,
    /// whatever the time of day the test runs.
    /// </remarks>
    public static SampleHistory Load(string path, DateTimeOffset now, TimeSpan minAge, bool roundTheClock = false)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        if (roundTheClock)
        {
            foreach (var e in root["events"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "kam.account.upserted"))
            {
                foreach (var member in new[] { "kam", "head" })
                {
                    e!["data"]![member]!["calendar"] = JsonNode.Parse("""
                        {"working_days":["mon","tue","wed","thu","fri","sat","sun"],"working_hours":{"opens":"00:00","closes":"23:59"},"holidays":[]}
                        """);
                }
            }
        }

        var until = DateTimeOffset.Parse(root["until"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var latest = now - minAge;
        var weeks = until > latest ? (int)Math.Ceiling((until - latest).TotalDays / 7) : 0;
        var days = weeks * 7;
        var shifted = (JsonObject)Shift(root, days)!;
        var events = shifted["events"]!.AsArray().Select(e => e!.ToJsonString()).ToList();
        return new SampleHistory(shifted.ToJsonString(), events, days);
    }

    /// <summary>Every string that is an ISO date or an RFC 3339 timestamp, moved back by <paramref name="days"/> days; the rest as is.</summary>
    private static JsonNode? Shift(JsonNode? node, int days) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Shift(p.Value, days)))),
        JsonArray a => new JsonArray([.. a.Select(i => Shift(i, days))]),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(ShiftText(v.GetValue<string>(), days)),
        _ => node?.DeepClone(),
    };

    private static string ShiftText(string text, int days)
    {
        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date.AddDays(-days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        if (text.Length >= 20 && text[4] == '-' && text[10] == 'T'
            && DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"],
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            // The same local wall-clock time and offset text, days earlier (offsets of the past are the sample's concern).
            var local = time.DateTime.AddDays(-days);
            return text.EndsWith('Z')
                ? local.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                : new DateTimeOffset(local, time.Offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        }

        return text;
    }
}
