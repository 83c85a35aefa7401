namespace KamFlows.WebConsole.Auth;

/// <summary>The console's roles, as Entra ID app roles name them (<c>kam</c>, <c>head</c>, <c>operator</c>).</summary>
[Flags]
public enum ConsoleRoles
{
    None = 0,
    Kam = 1,
    Head = 2,
    Operator = 4,
}

/// <summary>A signed-in person: their email (how accounts name KAMs and heads), display name and roles.</summary>
public sealed record ConsoleUser(string Email, string Name, ConsoleRoles Roles)
{
    public bool Is(ConsoleRoles role) => (Roles & role) == role;

    public bool IsHead => Is(ConsoleRoles.Head);

    public bool IsOperator => Is(ConsoleRoles.Operator);

    public bool IsKam => Is(ConsoleRoles.Kam);

    public bool SameEmail(string? email) => string.Equals(Email, email?.Trim(), StringComparison.OrdinalIgnoreCase);

    public static ConsoleRoles ParseRole(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        "KAM" => ConsoleRoles.Kam,
        "HEAD" => ConsoleRoles.Head,
        "OPERATOR" => ConsoleRoles.Operator,
        _ => ConsoleRoles.None,
    };

    public IEnumerable<string> RoleNames() =>
        new[] { (ConsoleRoles.Kam, "kam"), (ConsoleRoles.Head, "head"), (ConsoleRoles.Operator, "operator") }.Where(r => Is(r.Item1)).Select(r => r.Item2);
}
