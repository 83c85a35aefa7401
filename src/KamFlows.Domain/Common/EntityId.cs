namespace KamFlows.Domain.Common;

/// <summary>
/// Rules for identifiers that come from CRMs (account, proposal, tender ... ids).
/// They become parts of workflow instance keys and Azure Table keys, which forbid '/', '\', '#',
/// '?' and control characters, so those are rejected here rather than failing deep in storage.
/// </summary>
public static class EntityId
{
    public const int MaxLength = 200;

    /// <summary>Why <paramref name="id"/> is not a usable identifier, or null when it is.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return "must not be empty";
        }

        if (id.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters";
        }

        if (id.Trim().Length != id.Length)
        {
            return "must not start or end with whitespace";
        }

        foreach (var c in id)
        {
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
            {
                return "must not contain '/', '\\', '#', '?' or control characters";
            }
        }

        return null;
    }

    public static bool IsValid(string? id) => Problem(id) is null;

    /// <summary>Returns <paramref name="id"/> or throws when it breaks the rules.</summary>
    public static string Require(string? id, [CallerArgumentExpression(nameof(id))] string? parameterName = null) =>
        Problem(id) is { } problem ? throw new ArgumentException($"Identifier '{id}' {problem}.", parameterName) : id!;

    /// <summary>Returns null for null, otherwise <paramref name="id"/> checked like <see cref="Require"/>.</summary>
    public static string? RequireOptional(string? id, [CallerArgumentExpression(nameof(id))] string? parameterName = null) =>
        id is null ? null : Require(id, parameterName);
}
