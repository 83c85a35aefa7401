using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace KamFlows.WebConsole.Web;

/// <summary>The console's stylesheet and its one script, embedded in the assembly (no front-end build, nothing from elsewhere).</summary>
public static class StaticFiles
{
    private static readonly ConcurrentDictionary<string, byte[]?> Cache = new(StringComparer.Ordinal);

    public static IResult Serve(string name)
    {
        var type = Path.GetExtension(name) switch { ".css" => "text/css; charset=utf-8", ".js" => "text/javascript; charset=utf-8", _ => null };
        var bytes = type is null ? null : Cache.GetOrAdd(name, Read);
        return bytes is null ? Results.NotFound() : Results.Bytes(bytes, type);
    }

    private static byte[]? Read(string name)
    {
        using var stream = typeof(StaticFiles).Assembly.GetManifestResourceStream("KamFlows.WebConsole.Static." + name);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
