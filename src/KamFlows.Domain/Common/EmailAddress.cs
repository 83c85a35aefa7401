namespace KamFlows.Domain.Common;

/// <summary>
/// A mailbox address (<c>local@domain</c>) with no display name. Invariant: exactly one '@', a
/// non-empty local part, a dotted domain, no whitespace or angle brackets, at most 254 characters.
/// Deliberately simpler than RFC 5322: it must only reject what a mail provider would reject.
/// </summary>
public sealed record EmailAddress
{
    private EmailAddress(string value) => Value = value;

    public string Value { get; }

    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 254)
        {
            return false;
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != value.LastIndexOf('@') || at == value.Length - 1)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '(' or ')' or '"')
            {
                return false;
            }
        }

        var domain = value[(at + 1)..];
        var dot = domain.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && dot < domain.Length - 1 && !domain.Contains("..", StringComparison.Ordinal);
    }

    public static bool TryParse(string? value, [NotNullWhen(true)] out EmailAddress? address)
    {
        address = IsValid(value) ? new EmailAddress(value!) : null;
        return address is not null;
    }

    /// <exception cref="ArgumentException">The value is not a valid address.</exception>
    public static EmailAddress Parse(string value) =>
        TryParse(value, out var address)
            ? address
            : throw new ArgumentException($"'{value}' is not an email address (local@domain.tld).", nameof(value));

    public override string ToString() => Value;
}
