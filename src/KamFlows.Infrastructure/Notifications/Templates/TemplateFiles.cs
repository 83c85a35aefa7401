using System.Reflection;

namespace KamFlows.Infrastructure.Notifications.Templates;

/// <summary>
/// The template files: the built-in ones embedded in this assembly (resources <c>KamFlows.Templates.{file}</c>), each
/// replaced by a file of the same name in the operator's override folder when there is one.
/// </summary>
public sealed class TemplateFiles
{
    private const string ResourcePrefix = "KamFlows.Templates.";

    private readonly Dictionary<string, TemplateFile> _files;

    private TemplateFiles(Dictionary<string, TemplateFile> files) => _files = files;

    public IEnumerable<string> Names => _files.Keys;

    /// <summary>Loads the built-in files and the overrides; an override with a name that replaces nothing is an error (a typo would be ignored silently).</summary>
    public static TemplateFiles Load(string? overrideFolder)
    {
        var assembly = typeof(TemplateFiles).Assembly;
        var files = new Dictionary<string, TemplateFile>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            files[name] = new TemplateFile(name, "built-in " + name, Read(assembly, resource));
        }

        if (string.IsNullOrWhiteSpace(overrideFolder))
        {
            return new TemplateFiles(files);
        }

        var unknown = new List<string>();
        foreach (var path in Directory.EnumerateFiles(overrideFolder).Where(p => p.EndsWith(".sbn", StringComparison.Ordinal) || p.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (!files.ContainsKey(name))
            {
                unknown.Add(path);
                continue;
            }

            files[name] = new TemplateFile(name, Path.GetFullPath(path), File.ReadAllText(path));
        }

        if (unknown.Count > 0)
        {
            throw new TemplateValidationException([.. unknown.Select(p => $"{p}(1,1) : error : no built-in template has this name, so it would never be used (expected e.g. ProposalExpired.fi.sbn, _layout.en.sbn, _terms.bg.json).")]);
        }

        return new TemplateFiles(files);
    }

    public TemplateFile? Find(string name) => _files.GetValueOrDefault(name);

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>A template file: its name, where it came from (shown in errors) and its text.</summary>
public sealed record TemplateFile(string Name, string Origin, string Text);

/// <summary>Templates that cannot be used; each error names the file and line, as <c>file(line,column) : error : message</c>.</summary>
public sealed class TemplateValidationException : Exception
{
    public TemplateValidationException(IReadOnlyList<string> errors)
        : base("Email templates are invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors)) => Errors = errors;

    public TemplateValidationException()
        : this([])
    {
    }

    public TemplateValidationException(string message)
        : this([message])
    {
    }

    public TemplateValidationException(string message, Exception innerException)
        : base(message, innerException) => Errors = [message];

    public IReadOnlyList<string> Errors { get; }
}
