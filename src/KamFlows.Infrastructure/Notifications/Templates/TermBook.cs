using System.Globalization;
using System.Text.Json;

namespace KamFlows.Infrastructure.Notifications.Templates;

/// <summary>
/// Words for codes that fields carry (stage, DMU role, milestone, tender outcome, warning, bond, task kind) and the
/// digest phrases, per language, from <c>_terms.{language}.json</c>. A code missing in a language falls back to English,
/// then to the code itself with underscores as spaces, so an unforeseen code still reads.
/// </summary>
public sealed class TermBook
{
    private readonly Dictionary<string, Dictionary<string, Dictionary<string, string>>> _byLanguage;

    private TermBook(Dictionary<string, Dictionary<string, Dictionary<string, string>>> byLanguage) => _byLanguage = byLanguage;

    public static TermBook Load(TemplateFiles files, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(errors);
        var all = new Dictionary<string, Dictionary<string, Dictionary<string, string>>>(StringComparer.Ordinal);
        foreach (var language in LocaleFormat.Languages)
        {
            var name = $"_terms.{language}.json";
            if (files.Find(name) is not { } file)
            {
                errors.Add($"{name}(1,1) : error : the term list for '{language}' is missing.");
                continue;
            }

            try
            {
                all[language] = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(file.Text) ?? [];
            }
            catch (JsonException e)
            {
                errors.Add($"{file.Origin}({(e.LineNumber ?? 0) + 1},{(e.BytePositionInLine ?? 0) + 1}) : error : {e.Message}");
            }
        }

        return new TermBook(all);
    }

    public string Term(string language, string group, string? code) =>
        code is null ? string.Empty : Find(language, group, code) ?? code.Replace('_', ' ');

    public string TermOr(string language, string group, string? code, string fallback) =>
        (code is null ? null : Find(language, group, code)) ?? fallback;

    /// <summary>A digest phrase with {0}, {1}… filled in.</summary>
    public string Phrase(string language, string key, params object[] args) =>
        string.Format(CultureInfo.InvariantCulture, Find(language, "digest", key) ?? key, args);

    private string? Find(string language, string group, string code)
    {
        foreach (var l in language == "en" ? ["en"] : new[] { language, "en" })
        {
            if (_byLanguage.TryGetValue(l, out var groups) && groups.TryGetValue(group, out var terms) && terms.TryGetValue(code, out var text))
            {
                return text;
            }
        }

        return null;
    }
}
