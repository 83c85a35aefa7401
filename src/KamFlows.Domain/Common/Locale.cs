namespace KamFlows.Domain.Common;

/// <summary>
/// A BCP 47 language tag such as <c>fi</c>, <c>fi-FI</c> or <c>ru</c>, used to pick message templates.
/// Invariant: a 2–3 letter lower-case language subtag, then optional subtags of 1–8 letters or
/// digits separated by '-'. Any valid tag is accepted; the notification layer falls back to a
/// template language it has (en, ru, fi, bg).
/// </summary>
public sealed record Locale
{
    public static readonly Locale English = new("en");

    private Locale(string tag) => Tag = tag;

    public string Tag { get; }

    /// <summary>The primary language subtag, e.g. <c>fi</c> for <c>fi-FI</c>.</summary>
    public string Language => Tag.Split('-')[0];

    public static bool IsValid(string? tag)
    {
        if (string.IsNullOrEmpty(tag) || tag.Length > 35)
        {
            return false;
        }

        var parts = tag.Split('-');
        if (parts[0].Length is < 2 or > 3 || !parts[0].All(char.IsAsciiLetterLower))
        {
            return false;
        }

        return parts.Skip(1).All(p => p.Length is >= 1 and <= 8 && p.All(char.IsAsciiLetterOrDigit));
    }

    public static bool TryParse(string? tag, [NotNullWhen(true)] out Locale? locale)
    {
        locale = IsValid(tag) ? new Locale(tag!) : null;
        return locale is not null;
    }

    /// <exception cref="ArgumentException">The tag is not a BCP 47 language tag.</exception>
    public static Locale Parse(string tag) =>
        TryParse(tag, out var locale)
            ? locale
            : throw new ArgumentException($"'{tag}' is not a language tag such as 'en' or 'fi-FI'.", nameof(tag));

    public override string ToString() => Tag;
}
