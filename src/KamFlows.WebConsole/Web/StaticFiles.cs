using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace KamFlows.WebConsole.Web;

/// <summary>The console's stylesheet and its one script, embedded in the assembly (no front-end build, nothing from elsewhere).</summary>
public static class StaticFiles
{
    private const string Prefix = "KamFlows.WebConsole.Static.";

    // Read once: the embedded set is fixed, and a request for any other name (served before sign-in) must not grow a cache.
    private static readonly FrozenDictionary<string, byte[]> Files = typeof(StaticFiles).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).ToFrozenDictionary(n => n[Prefix.Length..], Read, StringComparer.Ordinal);

    public static IResult Serve(string name)
    {
        var type = Path.GetExtension(name) switch { ".css" => "text/css; charset=utf-8", ".js" => "text/javascript; charset=utf-8", _ => null };
        return type is not null && Files.TryGetValue(name, out var bytes) ? Results.Bytes(bytes, type) : Results.NotFound();
    }

    private static byte[] Read(string resource)
    {
        using var stream = typeof(StaticFiles).Assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
