using System.Text.Json;
using System.Text.RegularExpressions;
using KamFlows.Domain.Events;

namespace KamFlows.Infrastructure.Intake.Mapping;

/// <summary>The mapping file of a CRM is unusable; the message names the file, the JSON path and the problem.</summary>
public sealed class CrmMappingException : Exception
{
    public CrmMappingException() { }

    public CrmMappingException(string message) : base(message) { }

    public CrmMappingException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>One rule: when a record's fields match <see cref="When"/>, it becomes an event of <see cref="Type"/>.</summary>
internal sealed record MappingRule(string Name, IReadOnlyDictionary<string, IReadOnlyList<string>> When, string Type, Template Time, Template? Subject, Template Data)
{
    /// <summary>Every condition holds: the field has one of the listed values, or any non-empty value for "*".</summary>
    public bool Matches(IReadOnlyDictionary<string, string> fields) =>
        When.All(c => fields.TryGetValue(c.Key, out var value) && value.Length > 0 && (c.Value.Contains("*") || c.Value.Contains(value)));
}

/// <summary>
/// How one CRM's webhooks become canonical events (file <c>samples/mappings/{crm}.json</c> shows the format):
/// <code>
/// { "source": "/crm/hubspot",
///   "lookups": { "stages": { "appointmentscheduled": "needs_recognition" } },
///   "rules": [ { "name": "deal-stage",
///                "when": { "subscriptionType": "deal.propertyChange", "propertyName": "dealstage" },
///                "type": "kam.opportunity.stage_changed",
///                "time": "{occurredAt|epoch_ms}",
///                "data": { "opportunity_id": "{objectId}", "account_id": "{prop:kam_account_id}",
///                          "stage": "{propertyValue|lookup:stages}" } } ] }
/// </code>
/// Loading validates everything that can be checked without a payload, so a bad file fails start-up, not a webhook.
/// </summary>
public sealed partial class CrmMapping
{
    private CrmMapping(string source, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> lookups, IReadOnlyList<MappingRule> rules)
    {
        Source = source;
        Lookups = lookups;
        Rules = rules;
    }

    /// <summary>The CloudEvents <c>source</c> of the events made, e.g. <c>/crm/hubspot</c>.</summary>
    public string Source { get; }

    internal IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Lookups { get; }

    internal IReadOnlyList<MappingRule> Rules { get; }

    public static CrmMapping Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CrmMappingException($"Mapping file {path}: cannot be read: {ex.Message}", ex);
        }

        return Parse(text, path);
    }

    /// <summary>Parses and validates a mapping; <paramref name="origin"/> names it in error messages.</summary>
    public static CrmMapping Parse(string json, string origin)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new CrmMappingException($"Mapping file {origin}: not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var problems = new List<string>();
            var mapping = Read(document.RootElement, problems);
            if (problems.Count > 0 || mapping is null)
            {
                throw new CrmMappingException($"Mapping file {origin}: " + string.Join("; ", problems));
            }

            return mapping;
        }
    }

    private static CrmMapping? Read(JsonElement root, List<string> problems)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add("$: must be a JSON object with source, lookups and rules");
            return null;
        }

        Unknown(root, "$", problems, "source", "lookups", "rules", "description");
        var source = root.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : null;
        if (string.IsNullOrWhiteSpace(source) || !Uri.TryCreate(source, UriKind.RelativeOrAbsolute, out _))
        {
            problems.Add("source: required, a URI-reference such as /crm/hubspot");
        }

        var lookups = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        if (root.TryGetProperty("lookups", out var l))
        {
            if (l.ValueKind != JsonValueKind.Object)
            {
                problems.Add("lookups: must be an object of tables");
            }
            else
            {
                foreach (var table in l.EnumerateObject())
                {
                    if (table.Value.ValueKind != JsonValueKind.Object || table.Value.EnumerateObject().Any(e => e.Value.ValueKind != JsonValueKind.String))
                    {
                        problems.Add($"lookups.{table.Name}: must map CRM values to text, e.g. {{\"closedwon\": \"won\"}}");
                        continue;
                    }

                    lookups[table.Name] = table.Value.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetString()!, StringComparer.Ordinal);
                }
            }
        }

        var rules = new List<MappingRule>();
        if (!root.TryGetProperty("rules", out var r) || r.ValueKind != JsonValueKind.Array || r.GetArrayLength() == 0)
        {
            problems.Add("rules: required, a non-empty array");
        }
        else
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var i = 0;
            foreach (var rule in r.EnumerateArray())
            {
                if (ReadRule(rule, $"rules[{i}]", lookups.Keys.ToHashSet(StringComparer.Ordinal), problems) is { } read)
                {
                    if (!names.Add(read.Name))
                    {
                        problems.Add($"rules[{i}].name: '{read.Name}' is used by another rule");
                    }

                    rules.Add(read);
                }

                i++;
            }
        }

        return problems.Count == 0 ? new CrmMapping(source!, lookups, rules) : null;
    }

    private static MappingRule? ReadRule(JsonElement rule, string path, IReadOnlySet<string> lookups, List<string> problems)
    {
        if (rule.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{path}: must be an object");
            return null;
        }

        var before = problems.Count;
        Unknown(rule, path, problems, "name", "when", "type", "time", "subject", "data", "description");
        var name = rule.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : string.Empty;
        if (!RuleName().IsMatch(name))
        {
            problems.Add($"{path}.name: required, 1–40 lower-case letters, digits, '-' or '_' (it becomes part of event ids)");
        }

        var when = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (!rule.TryGetProperty("when", out var w) || w.ValueKind != JsonValueKind.Object || !w.EnumerateObject().Any())
        {
            problems.Add($"{path}.when: required, an object of field → value (or [values], or \"*\" for any)");
        }
        else
        {
            foreach (var condition in w.EnumerateObject())
            {
                var values = condition.Value.ValueKind switch
                {
                    JsonValueKind.String => [condition.Value.GetString()!],
                    JsonValueKind.Array when condition.Value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) && condition.Value.GetArrayLength() > 0 =>
                        condition.Value.EnumerateArray().Select(v => v.GetString()!).ToList(),
                    _ => null,
                };
                if (values is null)
                {
                    problems.Add($"{path}.when.{condition.Name}: must be a text or a non-empty array of texts");
                }
                else
                {
                    when[condition.Name] = values;
                }
            }
        }

        var type = rule.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : string.Empty;
        if (!CanonicalEventTypes.IsKnown(type))
        {
            problems.Add($"{path}.type: '{type}' is not a canonical event type (one of {string.Join(", ", CanonicalEventTypes.All)})");
        }

        Template? time = null;
        if (!rule.TryGetProperty("time", out var tm) || tm.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{path}.time: required, a placeholder giving when it happened, e.g. \"{{occurredAt|epoch_ms}}\"");
        }
        else
        {
            time = Template.Compile(tm, path + ".time", lookups, problems);
        }

        var subject = rule.TryGetProperty("subject", out var sj) ? Template.Compile(sj, path + ".subject", lookups, problems) : null;
        Template? data = null;
        if (!rule.TryGetProperty("data", out var d) || d.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{path}.data: required, the event's data object with placeholders");
        }
        else
        {
            data = Template.Compile(d, path + ".data", lookups, problems);
        }

        return problems.Count == before ? new MappingRule(name, when, type, time!, subject, data!) : null;
    }

    private static void Unknown(JsonElement obj, string path, List<string> problems, params string[] known)
    {
        foreach (var p in obj.EnumerateObject().Where(p => !known.Contains(p.Name)))
        {
            problems.Add($"{path}.{p.Name}: unknown member (known: {string.Join(", ", known)})");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,39}$")]
    private static partial Regex RuleName();
}
