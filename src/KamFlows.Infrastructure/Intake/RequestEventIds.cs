using KamFlows.Domain.Events;

namespace KamFlows.Infrastructure.Intake;

/// <summary>
/// One request, one meaning per event id: the same event again with the same content (a producer's retry inside a batch)
/// is taken once; the same id with other content is refused, naming both positions, since which one is meant cannot be known.
/// Content is compared as canonical JSON, so member order and spacing do not matter; only events whose id repeats are
/// serialized here (intake serializes every event once, later), so a batch without repeats costs a dictionary lookup each.
/// </summary>
public sealed class RequestEventIds
{
    private readonly Dictionary<string, (string Path, CanonicalEvent Event)> _first = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="canonicalEvent"/> is new in this request; false for a repeat (an error is added when it differs).</summary>
    public bool TryAdd(CanonicalEvent canonicalEvent, string path, ICollection<EventValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(canonicalEvent);
        ArgumentNullException.ThrowIfNull(errors);
        if (!_first.TryGetValue(canonicalEvent.Id, out var first))
        {
            _first[canonicalEvent.Id] = (path, canonicalEvent);
            return true;
        }

        if (CanonicalEventJson.Serialize(first.Event) != CanonicalEventJson.Serialize(canonicalEvent))
        {
            errors.Add(new EventValidationError($"{first.Path}.id", $"'{canonicalEvent.Id}' is also the id of {path}, whose content differs"));
            errors.Add(new EventValidationError($"{path}.id", $"'{canonicalEvent.Id}' is already the id of {first.Path}, whose content differs"));
        }

        return false;
    }
}
