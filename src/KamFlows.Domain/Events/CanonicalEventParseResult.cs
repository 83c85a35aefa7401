namespace KamFlows.Domain.Events;

/// <summary>Either a valid <see cref="CanonicalEvent"/> or every problem found, each with its JSON path.</summary>
public sealed class CanonicalEventParseResult
{
    private CanonicalEventParseResult(CanonicalEvent? canonicalEvent, ValueList<EventValidationError> errors)
    {
        Event = canonicalEvent;
        Errors = errors;
    }

    public CanonicalEvent? Event { get; }

    public ValueList<EventValidationError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Event))]
    public bool IsValid => Event is not null;

    internal static CanonicalEventParseResult Valid(CanonicalEvent canonicalEvent) => new(canonicalEvent, ValueList.Empty<EventValidationError>());

    internal static CanonicalEventParseResult Invalid(IEnumerable<EventValidationError> errors) => new(null, errors.ToValueList());

    public override string ToString() => IsValid ? $"valid {Event.Type} {Event.Id}" : string.Join("; ", Errors);
}
