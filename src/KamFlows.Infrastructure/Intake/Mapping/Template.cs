using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KamFlows.Infrastructure.Intake.Mapping;

/// <summary>
/// A JSON template from a mapping file. Strings may hold placeholders: a string that is exactly one placeholder
/// (<c>"{amount|number}"</c>) takes the placeholder's type; a string mixing text and placeholders
/// (<c>"deal-{objectId}"</c>) is text, and is left out when any of its placeholders has no value. Objects and arrays
/// drop members without a value; an object left empty is itself left out. Other JSON values are copied.
/// </summary>
internal sealed class Template
{
    private readonly Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>, JsonNode?> _evaluate;

    private Template(Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>, JsonNode?> evaluate) => _evaluate = evaluate;

    public JsonNode? Evaluate(IReadOnlyDictionary<string, string> fields, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> lookups) =>
        _evaluate(fields, lookups);

    /// <summary>Compiles <paramref name="element"/>; problems are added with their path under <paramref name="path"/>.</summary>
    public static Template Compile(JsonElement element, string path, IReadOnlySet<string> lookups, List<string> problems)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return CompileString(element.GetString()!, path, lookups, problems);
            case JsonValueKind.Object:
            {
                var members = element.EnumerateObject().Select(p => (p.Name, Compile(p.Value, path + "." + p.Name, lookups, problems))).ToList();
                return new Template((f, l) =>
                {
                    var obj = new JsonObject();
                    foreach (var (name, template) in members)
                    {
                        if (template.Evaluate(f, l) is { } value)
                        {
                            obj[name] = value;
                        }
                    }

                    return obj.Count == 0 ? null : obj;
                });
            }

            case JsonValueKind.Array:
            {
                var items = element.EnumerateArray().Select((e, i) => Compile(e, $"{path}[{i}]", lookups, problems)).ToList();
                return new Template((f, l) => new JsonArray(items.Select(t => t.Evaluate(f, l)).Where(v => v is not null).ToArray()));
            }

            default:
                var literal = JsonNode.Parse(element.GetRawText());
                return new Template((_, _) => literal?.DeepClone());
        }
    }

    private static Template CompileString(string text, string path, IReadOnlySet<string> lookups, List<string> problems)
    {
        var parts = new List<(string? Literal, TemplateExpression? Expression)>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '}')
            {
                problems.Add($"{path}: '}}' without '{{' in \"{text}\"");
                break;
            }

            if (text[i] != '{')
            {
                literal.Append(text[i]);
                continue;
            }

            var end = text.IndexOf('}', i + 1);
            var nested = text.IndexOf('{', i + 1);
            if (end < 0 || (nested >= 0 && nested < end))
            {
                problems.Add($"{path}: unclosed placeholder in \"{text}\"");
                break;
            }

            if (literal.Length > 0)
            {
                parts.Add((literal.ToString(), null));
                literal.Clear();
            }

            if (TemplateExpression.TryParse(text[(i + 1)..end], lookups, out var expression) is { } problem)
            {
                problems.Add($"{path}: {problem}");
            }
            else
            {
                parts.Add((null, expression));
            }

            i = end;
        }

        if (literal.Length > 0)
        {
            parts.Add((literal.ToString(), null));
        }

        if (parts is [(null, { } single)])
        {
            return new Template(single.Evaluate);
        }

        return new Template((f, l) =>
        {
            var result = new StringBuilder();
            foreach (var (lit, expr) in parts)
            {
                if (lit is not null)
                {
                    result.Append(lit);
                }
                else if (expr!.Evaluate(f, l) is { } value)
                {
                    result.Append(value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString());
                }
                else
                {
                    return null;
                }
            }

            return JsonValue.Create(result.ToString());
        });
    }
}
