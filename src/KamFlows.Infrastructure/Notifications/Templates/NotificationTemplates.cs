using KamFlows.Workflows.Notifications;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace KamFlows.Infrastructure.Notifications.Templates;

/// <summary>
/// Every notification template, parsed once: <c>{Kind}.{language}.sbn</c> with the sections <c>## subject</c>,
/// <c>## html</c> and <c>## text</c>, and <c>_layout.{language}.sbn</c> (sections html and text) around each body.
/// Construction fails with <see cref="TemplateValidationException"/>, naming file and line, when a template is missing,
/// does not parse, or does not render every kind in every language with the catalog's sample fields under strict
/// variables; so a broken template stops start-up instead of a reminder.
/// </summary>
public sealed class NotificationTemplates
{
    private static readonly string[] KindSections = ["subject", "html", "text"];
    private static readonly string[] LayoutSections = ["html", "text"];

    // Scriban's built-in functions, built once: a context only reads them, and building them per render costs more than rendering.
    private static readonly Scriban.Functions.BuiltinFunctions Builtins = new();

    private readonly Dictionary<(NotificationKind, string), Dictionary<string, Template>> _kinds = [];
    private readonly Dictionary<string, Dictionary<string, Template>> _layouts = new(StringComparer.Ordinal);

    public NotificationTemplates(TemplateFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var errors = new List<string>();
        Terms = TermBook.Load(files, errors);
        foreach (var language in LocaleFormat.Languages)
        {
            if (Parse(files, $"_layout.{language}.sbn", LayoutSections, errors) is { } layout)
            {
                _layouts[language] = layout;
            }

            foreach (var kind in Enum.GetValues<NotificationKind>())
            {
                if (Parse(files, $"{kind}.{language}.sbn", KindSections, errors) is { } sections)
                {
                    _kinds[(kind, language)] = sections;
                }
            }
        }

        if (errors.Count == 0)
        {
            RenderSamples(errors);
        }

        if (errors.Count > 0)
        {
            throw new TemplateValidationException(errors);
        }
    }

    public TermBook Terms { get; }

    /// <summary>Loads the built-in templates with the overrides in <paramref name="overrideFolder"/> and validates them.</summary>
    public static NotificationTemplates Load(string? overrideFolder) => new(TemplateFiles.Load(overrideFolder));

    /// <summary>Renders subject, HTML (inside the layout) and text for a notification in the recipient's language and zone.</summary>
    public RenderedEmail Render(NotificationKind kind, IReadOnlyDictionary<string, TemplateValue> fields, LocaleFormat format, Uri? unsubscribeUrl)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(format);
        var sections = _kinds[(kind, format.Language)];
        var layout = _layouts[format.Language];
        var model = TemplateModel.Build(fields, format, Terms);
        model["unsubscribe_url"] = unsubscribeUrl?.AbsoluteUri;
        model["lang"] = format.Language;
        model["client_facing"] = NotificationCatalog.For(kind).Audience == RecipientRole.ClientContact; // Signed by the KAM: no KamFlows footer.

        var subject = CollapseWhitespace(RenderPlain(sections["subject"], model, format));
        var htmlBody = RenderHtml(sections["html"], model, format, null);
        var textBody = TidyText(RenderPlain(sections["text"], model, format));
        model["subject"] = subject;
        var html = RenderHtml(layout["html"], model, format, new TrustedHtml(htmlBody));
        model["body"] = textBody;
        var text = TidyText(RenderPlain(layout["text"], model, format));
        return new RenderedEmail(subject, html, text);
    }

    private static string RenderHtml(Template template, ScriptObject model, LocaleFormat format, TrustedHtml? body)
    {
        if (body is not null)
        {
            model["body"] = body;
        }

        return Run(template, new HtmlEscapingContext(Builtins), model, format);
    }

    private static string RenderPlain(Template template, ScriptObject model, LocaleFormat format) =>
        Run(template, new TemplateContext(Builtins), model, format);

    private static string Run(Template template, TemplateContext context, ScriptObject model, LocaleFormat format)
    {
        context.StrictVariables = true;
        context.EnableRelaxedMemberAccess = false;
        context.LoopLimit = 10_000;
        context.PushCulture(format.Culture);
        context.PushGlobal(model);
        return template.Render(context);
    }

    private void RenderSamples(List<string> errors)
    {
        foreach (var ((kind, language), sections) in _kinds)
        {
            var spec = NotificationCatalog.For(kind);
            foreach (var unsubscribe in new[] { null, new Uri("https://kamflows.example/api/unsubscribe/sample") })
            {
                try
                {
                    Render(kind, spec.SampleFields, new LocaleFormat(language, "Europe/Helsinki"), unsubscribe);
                }
                catch (ScriptRuntimeException e)
                {
                    errors.Add(Describe(e.Span, e.OriginalMessage ?? e.Message) + $" (rendering {kind} in '{language}' with the catalog's sample fields)");
                }
            }
        }
    }

    private static Dictionary<string, Template>? Parse(TemplateFiles files, string name, string[] expected, List<string> errors)
    {
        if (files.Find(name) is not { } file)
        {
            errors.Add($"{name}(1,1) : error : the template is missing.");
            return null;
        }

        var sections = Sections(file, expected, errors);
        if (sections is null)
        {
            return null;
        }

        var parsed = new Dictionary<string, Template>(StringComparer.Ordinal);
        foreach (var (section, (text, firstLine)) in sections)
        {
            var lexer = new LexerOptions { Mode = ScriptMode.Default, StartPosition = new TextPosition(0, firstLine, 0) };
            var template = Template.Parse(text, file.Origin, lexerOptions: lexer);
            if (template.HasErrors)
            {
                errors.AddRange(template.Messages.Select(m => Describe(m.Span, m.Message)));
                continue;
            }

            parsed[section] = template;
        }

        return parsed.Count == expected.Length ? parsed : null;
    }

    /// <summary>Splits a file at its <c>## section</c> lines; each section remembers its first line (0-based) for error positions.</summary>
    private static Dictionary<string, (string Text, int FirstLine)>? Sections(TemplateFile file, string[] expected, List<string> errors)
    {
        var lines = file.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var result = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
        string? current = null;
        var start = 0;
        var body = new List<string>();
        void Flush()
        {
            if (current is not null)
            {
                while (body.Count > 0 && body[^1].Length == 0)
                {
                    body.RemoveAt(body.Count - 1);
                }

                result[current] = (string.Join('\n', body), start);
            }
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("## ", StringComparison.Ordinal) && expected.Contains(line[3..].Trim()))
            {
                Flush();
                current = line[3..].Trim();
                if (result.ContainsKey(current))
                {
                    errors.Add($"{file.Origin}({i + 1},1) : error : section '## {current}' appears twice.");
                    return null;
                }

                start = i + 1;
                body.Clear();
            }
            else if (current is null && line.Trim().Length > 0)
            {
                errors.Add($"{file.Origin}({i + 1},1) : error : text before the first section; the file must start with '## {expected[0]}'.");
                return null;
            }
            else
            {
                body.Add(line);
            }
        }

        Flush();
        var missing = expected.Where(s => !result.ContainsKey(s)).ToList();
        if (missing.Count > 0)
        {
            errors.Add($"{file.Origin}(1,1) : error : missing section(s) {string.Join(", ", missing.Select(s => "'## " + s + "'"))}.");
            return null;
        }

        return result;
    }

    private static string Describe(SourceSpan span, string message) =>
        $"{span.FileName}({span.Start.Line + 1},{span.Start.Column + 1}) : error : {message}";

    private static string CollapseWhitespace(string text) =>
        string.Join(' ', text.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Trims line ends and collapses runs of blank lines that conditional sections leave behind.</summary>
    private static string TidyText(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd());
        var result = new List<string>();
        foreach (var line in lines)
        {
            if (line.Length == 0 && (result.Count == 0 || result[^1].Length == 0))
            {
                continue;
            }

            result.Add(line);
        }

        while (result.Count > 0 && result[^1].Length == 0)
        {
            result.RemoveAt(result.Count - 1);
        }

        return string.Join("\r\n", result) + "\r\n";
    }
}

/// <summary>A rendered notification: subject, HTML with the layout, and plain text with the layout.</summary>
public sealed record RenderedEmail(string Subject, string Html, string Text);
