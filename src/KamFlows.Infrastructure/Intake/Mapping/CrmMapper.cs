using System.Text.Json;
using System.Text.Json.Nodes;
using KamFlows.Domain.Events;

namespace KamFlows.Infrastructure.Intake.Mapping;

/// <summary>
/// The events made from a request, or every problem; <see cref="Ignored"/> counts records no rule matched; <see cref="Paths"/>
/// gives, per event, the JSON path its errors are reported under (<c>events[3]</c>; empty for a lone event), or is null.
/// </summary>
public sealed record IntakeReadResult(IReadOnlyList<CanonicalEvent> Events, IReadOnlyList<EventValidationError> Errors, int Ignored, IReadOnlyList<string>? Paths = null)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>Where the event at <paramref name="index"/> came from in the request, for error paths.</summary>
    public string PathOf(int index) => Paths is { } paths && index < paths.Count ? paths[index] : $"events[{index}]";

    public static IntakeReadResult Invalid(string path, string message) => new([], [new EventValidationError(path, message)], 0);
}

/// <summary>Applies a <see cref="CrmMapping"/> to the records of one request.</summary>
public static class CrmMapper
{
    /// <summary>
    /// Every rule that matches a record makes one canonical event, id <c>{crm}-{record id}-{rule name}</c>, validated by
    /// the canonical parser; errors are reported as <c>events[{record index}].data.field</c> with the rule named.
    /// </summary>
    public static IntakeReadResult Map(CrmMapping mapping, string crm, IEnumerable<CrmRecord> records)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(records);
        var events = new List<CanonicalEvent>();
        var paths = new List<string>();
        var errors = new List<EventValidationError>();
        var ids = new RequestEventIds();
        var ignored = 0;
        foreach (var record in records)
        {
            var matched = false;
            foreach (var rule in mapping.Rules.Where(r => r.Matches(record.Fields)))
            {
                matched = true;
                var envelope = new JsonObject
                {
                    ["specversion"] = CanonicalEvent.CloudEventsSpecVersion,
                    ["id"] = $"{crm}-{record.Id}-{rule.Name}",
                    ["source"] = mapping.Source,
                    ["type"] = rule.Type,
                    ["time"] = rule.Time.Evaluate(record.Fields, mapping.Lookups),
                    ["data"] = rule.Data.Evaluate(record.Fields, mapping.Lookups) ?? new JsonObject(),
                };
                if (rule.Subject?.Evaluate(record.Fields, mapping.Lookups) is { } subject)
                {
                    envelope["subject"] = subject;
                }

                if (envelope["time"] is null)
                {
                    envelope.Remove("time");
                }

                using var document = JsonDocument.Parse(envelope.ToJsonString());
                var parsed = CanonicalEventParser.Parse(document.RootElement, $"events[{record.Index}]");
                if (!parsed.IsValid)
                {
                    errors.AddRange(parsed.Errors.Select(e => e with { Message = $"{e.Message} (mapping rule '{rule.Name}')" }));
                }
                else if (ids.TryAdd(parsed.Event, $"events[{record.Index}]", errors))
                {
                    // A CRM's repeat of the same change inside one request is taken once.
                    events.Add(parsed.Event);
                    paths.Add($"events[{record.Index}]");
                }
            }

            if (!matched)
            {
                ignored++;
            }
        }

        return new IntakeReadResult(events, errors, ignored, paths);
    }
}
