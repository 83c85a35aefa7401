using System.Collections.Frozen;

namespace KamFlows.WebConsole.Web;

/// <summary>
/// The console's words in en, ru, fi and bg, from the embedded <c>Strings.tsv</c> (key, then the four languages, tab
/// separated; a line without all four fails at start-up, so no page can show a missing translation).
/// </summary>
public static class Strings
{
    private static readonly Lazy<FrozenDictionary<string, string[]>> Table = new(Load);

    // Each language's column, found once rather than on each of a page's hundreds of lookups (unknown: English, column 0).
    private static readonly FrozenDictionary<string, int> Column = Viewer.Languages.Select((language, i) => (language, i)).ToFrozenDictionary(l => l.language, l => l.i, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Keys => Table.Value.Keys;

    public static string Get(string language, string key) =>
        TryGet(language, key) ?? throw new KeyNotFoundException($"The console has no text '{key}' (Web/Strings.tsv).");

    public static string? TryGet(string language, string key) =>
        Table.Value.TryGetValue(key, out var texts) ? texts[Column.GetValueOrDefault(language)] : null;

    private static FrozenDictionary<string, string[]> Load()
    {
        using var stream = typeof(Strings).Assembly.GetManifestResourceStream("KamFlows.WebConsole.Strings.tsv")
            ?? throw new InvalidOperationException("Strings.tsv is not embedded in KamFlows.WebConsole.");
        using var reader = new StreamReader(stream);
        var table = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split('\t');
            if (cells.Length != 1 + Viewer.Languages.Count || cells.Any(string.IsNullOrWhiteSpace) || !table.TryAdd(cells[0], cells[1..]))
            {
                throw new InvalidOperationException($"Strings.tsv({number}): a key and exactly {Viewer.Languages.Count} texts (en, ru, fi, bg), key unique.");
            }
        }

        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
