namespace KamFlows.Deployment.Tests;

/// <summary>
/// Reads the block-mapping subset of YAML azure.yaml uses (`key: value`, nesting by indentation, comments).
/// No YAML package is available here; anything outside that subset is rejected rather than guessed.
/// </summary>
public static class SimpleYaml
{
    public static Dictionary<string, object> Parse(string text)
    {
        var root = new Dictionary<string, object>(StringComparer.Ordinal);
        var stack = new Stack<(int Indent, Dictionary<string, object> Map)>();
        stack.Push((-1, root));
        var lineNumber = 0;

        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = StripComment(raw.TrimEnd('\r'));
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var indent = line.Length - line.TrimStart(' ').Length;
            var content = line.Trim();
            if (content.StartsWith('-') || content.Contains('\t', StringComparison.Ordinal))
            {
                throw new FormatException($"Line {lineNumber}: sequences and tabs are outside the supported subset: {content}");
            }

            var colon = content.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"Line {lineNumber}: expected 'key: value': {content}");
            }

            while (stack.Peek().Indent >= indent)
            {
                stack.Pop();
            }

            var key = Unquote(content[..colon].Trim());
            var value = Unquote(content[(colon + 1)..].Trim());
            var parent = stack.Peek().Map;
            if (parent.ContainsKey(key))
            {
                throw new FormatException($"Line {lineNumber}: duplicate key '{key}'.");
            }

            if (value.Length == 0)
            {
                var child = new Dictionary<string, object>(StringComparer.Ordinal);
                parent[key] = child;
                stack.Push((indent, child));
            }
            else
            {
                parent[key] = value;
            }
        }

        return root;
    }

    public static string? Scalar(Dictionary<string, object> map, params string[] path)
    {
        object current = map;
        foreach (var key in path)
        {
            if (current is not Dictionary<string, object> node || !node.TryGetValue(key, out var next))
            {
                return null;
            }

            current = next;
        }

        return current as string;
    }

    private static string StripComment(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || line[i - 1] == ' '))
            {
                return line[..i];
            }
        }

        return line;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;
}
