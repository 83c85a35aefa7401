using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KamFlows.Deployment.Tests;

/// <summary>infra/main.bicep compiled once per test run with `bicep build --stdout`, with ARM lookups.</summary>
public static partial class CompiledTemplate
{
    private static readonly Lazy<(BicepRun Run, JsonObject Template)> Compiled = new(Compile);
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The raw `bicep build` run (its stderr carries any warning).</summary>
    public static BicepRun Build => Compiled.Value.Run;

    /// <summary>The compiled subscription-scope ARM template.</summary>
    public static JsonObject Main => Compiled.Value.Template;

    public static string Text => Build.StandardOutput;

    /// <summary>The module deployment `name` (as written in main.bicep) of the main template.</summary>
    public static JsonObject Module(string name) =>
        Resources(Main).SingleOrDefault(r => Type(r) == "Microsoft.Resources/deployments" && (string?)r["name"] == name)
        ?? throw new InvalidOperationException($"main.bicep has no module deployment named '{name}'.");

    public static JsonObject ModuleTemplate(string name) => Module(name)["properties"]!["template"]!.AsObject();

    /// <summary>The expression main.bicep passes to module parameter `parameter`.</summary>
    public static string ModuleParameter(string module, string parameter) =>
        Module(module)["properties"]!["parameters"]![parameter]?["value"] switch
        {
            JsonValue value when value.TryGetValue(out string? text) => text,
            JsonNode node => node.ToJsonString(Relaxed),
            null => throw new InvalidOperationException($"Module '{module}' gets no parameter '{parameter}'."),
        };

    /// <summary>Resources of a template; handles both the array form and languageVersion 2.0's symbolic-name object.</summary>
    public static IEnumerable<JsonObject> Resources(JsonObject template) =>
        template["resources"] switch
        {
            JsonArray array => array.Select(node => node!.AsObject()),
            JsonObject byName => byName.Select(pair => pair.Value!.AsObject()),
            _ => [],
        };

    /// <summary>Every resource of the template and of the templates of its nested deployments.</summary>
    public static IEnumerable<(JsonObject Resource, JsonObject Template)> AllResources(JsonObject template)
    {
        foreach (var resource in Resources(template))
        {
            yield return (resource, template);
            if (Type(resource) == "Microsoft.Resources/deployments" && resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in AllResources(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    public static IReadOnlyList<(JsonObject Resource, JsonObject Template)> OfType(string type) =>
        AllResources(Main).Where(pair => Type(pair.Resource) == type).ToList();

    public static JsonObject Sole(string type) => SoleWithTemplate(type).Resource;

    /// <summary>The only resource of a type, with the (module) template that declares it.</summary>
    public static (JsonObject Resource, JsonObject Template) SoleWithTemplate(string type)
    {
        var matches = OfType(type);
        Assert.True(matches.Count == 1, $"Expected exactly one {type} in the compiled template, found {matches.Count}.");
        return matches[0];
    }

    /// <summary>A literal, or the literal value of a <c>[variables('x')]</c> expression of <paramref name="template"/>.</summary>
    public static string? Literal(JsonNode? value, JsonObject template)
    {
        var text = value?.ToString();
        var variable = text is null ? null : VariableReference().Match(text);
        return variable is { Success: true } && text!.StartsWith('[') ? template["variables"]?[variable.Groups[1].Value]?.ToString() : text;
    }

    public static string? Type(JsonObject resource) => (string?)resource["type"];

    /// <summary>The Function App's app settings as name → value (values may be ARM expressions).</summary>
    public static IReadOnlyDictionary<string, string> AppSettings()
    {
        var site = Sole("Microsoft.Web/sites");
        var settings = site["properties"]?["siteConfig"]?["appSettings"] as JsonArray
            ?? throw new InvalidOperationException("The Function App has no literal siteConfig.appSettings array.");
        return settings.Select(node => node!.AsObject())
            .ToDictionary(s => (string)s["name"]!, s => s["value"]?.ToString() ?? string.Empty, StringComparer.Ordinal);
    }

    /// <summary>
    /// The role definition GUID of a role assignment, resolving `variables('x')` against its template.
    /// </summary>
    public static string RoleDefinitionGuid(JsonObject roleAssignment, JsonObject template)
    {
        var expression = (string)roleAssignment["properties"]!["roleDefinitionId"]!;
        var variable = VariableReference().Match(expression);
        var value = variable.Success ? (string?)template["variables"]?[variable.Groups[1].Value] : expression;
        var guid = GuidPattern().Match(value ?? string.Empty);
        return guid.Success ? guid.Value.ToLowerInvariant() : throw new InvalidOperationException($"No role GUID in {expression}.");
    }

    private static (BicepRun, JsonObject) Compile()
    {
        var run = BicepCli.Run("build", Path.Combine(Repository.Infra, "main.bicep"), "--stdout");
        if (run.ExitCode != 0 || string.IsNullOrWhiteSpace(run.StandardOutput))
        {
            throw new InvalidOperationException($"bicep build infra/main.bicep failed ({run.ExitCode}):\n{run.StandardError}");
        }

        return (run, JsonNode.Parse(run.StandardOutput)!.AsObject());
    }

    [GeneratedRegex(@"variables\('([^']+)'\)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidPattern();
}
