using System.Text;
using System.Text.Json.Nodes;
using KamFlows.Domain.Events;

namespace KamFlows.Domain.Tests.Events;

public sealed class CanonicalEventParserRobustnessTests
{
    private static readonly string[] Replacements = ["null", "1", "-1", "1.5", "\"\"", "\"x\"", "true", "[]", "[null]", "{}", "{\"a\":1}"];

    /// <summary>Every member (at every depth) of every sample, replaced by every kind of wrong value: the parser
    /// answers with errors and never throws, because an exception here would be an HTTP 500 instead of a 400.</summary>
    [Fact]
    public void Parse_EveryMemberReplacedByEveryJsonKind_NeverThrowsAndNamesThePath()
    {
        var parses = 0;
        foreach (var (type, json) in CanonicalEventSamples.ByType)
        {
            foreach (var path in MemberPaths(JsonNode.Parse(json)!.AsObject(), prefix: string.Empty))
            {
                foreach (var replacement in Replacements)
                {
                    var mutated = CanonicalEventSamples.Change(json, path, replacement);

                    var result = CanonicalEventParser.Parse(mutated);

                    parses++;
                    Assert.True(result.IsValid || result.Errors.Count > 0, $"{type} {path}={replacement}");
                    if (!result.IsValid)
                    {
                        Assert.All(result.Errors, e => Assert.False(string.IsNullOrEmpty(e.Path)));
                        Assert.Contains(result.Errors, e => e.Path.StartsWith(path, StringComparison.Ordinal));
                    }
                }
            }
        }

        Assert.True(parses > 2000, $"only {parses} mutations tried");
    }

    [Fact]
    public void Parse_InvalidUtf8InsideAString_IsAnErrorNotAnException()
    {
        var json = Encoding.UTF8.GetBytes(CanonicalEventSamples.ByType.First().Value);
        var at = Array.IndexOf(json, (byte)'/'); // Inside the "source" string of every sample.
        json[at] = 0xC3; // A lead byte with no continuation.

        var result = CanonicalEventParser.Parse(json.AsMemory());

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Message.Contains("UTF-8", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_Utf8WithByteOrderMark_Accepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(CanonicalEventSamples.ByType[CanonicalEventTypes.ContactErased])).ToArray();
        Assert.True(CanonicalEventParser.Parse(bytes).IsValid);
    }

    [Fact]
    public void Parse_NestingDeeperThanAllowed_InvalidJsonNotCrash()
    {
        var deep = CanonicalEventSamples.With(CanonicalEventTypes.ContactErased, "data.reason", new string('[', 40) + new string(']', 40));
        var error = Assert.Single(CanonicalEventParser.Parse(deep).Errors);
        Assert.Equal("$", error.Path);
    }

    private static IEnumerable<string> MemberPaths(JsonObject obj, string prefix)
    {
        foreach (var (name, value) in obj)
        {
            var path = prefix.Length == 0 ? name : prefix + "." + name;
            yield return path;
            if (value is JsonObject child)
            {
                foreach (var nested in MemberPaths(child, path))
                {
                    yield return nested;
                }
            }
        }
    }
}
