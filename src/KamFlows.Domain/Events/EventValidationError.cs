namespace KamFlows.Domain.Events;

/// <summary>
/// One reason a canonical event was refused: the JSON path of the offending member
/// (<c>specversion</c>, <c>data.valid_until</c>, <c>data.addressed_roles[1]</c>, <c>$</c> for the document) and what is wrong.
/// Hosts turn these into HTTP 400 problem details.
/// </summary>
public sealed record EventValidationError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
