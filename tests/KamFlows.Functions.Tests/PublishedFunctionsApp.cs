using System.Diagnostics;
using System.Text.Json.Nodes;
using KamFlows.DevStorage;

namespace KamFlows.Functions.Tests;

/// <summary>
/// Publishes src/KamFlows.Functions once per test run (Release into a temporary folder, as `azd deploy` does) and reads
/// what the Functions host reads from the package. Functions Core Tools cannot run here, so the package is the contract.
/// </summary>
public sealed class PublishedFunctionsApp : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "kamflows-functions-" + Guid.NewGuid().ToString("N")[..8]);

    public string PublishOutput { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var project = Path.Combine(RepositoryRoot.Find(), "src", "KamFlows.Functions", "KamFlows.Functions.csproj");
        var (code, output) = await RunAsync("dotnet", ["publish", project, "-c", "Release", "-o", Folder, "--nologo"], TimeSpan.FromMinutes(10));
        PublishOutput = output;
        if (code != 0)
        {
            throw new InvalidOperationException($"dotnet publish {project} failed ({code}):\n{output}");
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temporary-folder cleanup.
        }

        return Task.CompletedTask;
    }

    public bool Has(string relativePath) => File.Exists(Path.Combine(Folder, relativePath));

    /// <summary>A JSON file of the package; fails naming the file and the publish log when it is missing.</summary>
    public JsonNode Json(string relativePath)
    {
        var path = Path.Combine(Folder, relativePath);
        Assert.True(File.Exists(path), $"The published app has no {relativePath}.\n{PublishOutput}");
        return JsonNode.Parse(File.ReadAllText(path), documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }
}
