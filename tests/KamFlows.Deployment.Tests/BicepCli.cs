using System.Diagnostics;
using System.Reflection;

namespace KamFlows.Deployment.Tests;

/// <summary>Output of one bicep CLI run.</summary>
public sealed record BicepRun(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Everything the CLI said besides the requested stdout: warnings, errors, infos.</summary>
    public string Diagnostics => StandardError.Trim();
}

/// <summary>
/// Runs the bicep CLI shipped in the NuGet package Azure.Bicep.CommandLine.linux-x64, located through the
/// BicepPath / NuGetPackageRoot values the build writes into this assembly, so a fresh CI machine needs only
/// `dotnet restore`.
/// </summary>
public static class BicepCli
{
    private const string PackageId = "azure.bicep.commandline.linux-x64";
    private static readonly Lazy<string> ExecutablePath = new(Locate);

    public static string Executable => ExecutablePath.Value;

    public static BicepRun Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {Executable}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish in 3 minutes.");
        }

        return new BicepRun(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static string Locate()
    {
        var path = Metadata("BicepPath");
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            path = FromPackageRoot(Metadata("NuGetPackageRoot"));
        }

        EnsureExecutable(path);
        return path;
    }

    private static string FromPackageRoot(string? packageRoot)
    {
        if (string.IsNullOrEmpty(packageRoot))
        {
            throw new InvalidOperationException("The test assembly carries neither BicepPath nor NuGetPackageRoot: was the project restored?");
        }

        var packageDir = Path.Combine(packageRoot, PackageId);
        var candidates = Directory.Exists(packageDir)
            ? Directory.GetDirectories(packageDir)
                .Select(dir => Path.Combine(dir, "tools", "bicep"))
                .Where(File.Exists)
                .OrderByDescending(file => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file))), out var v) ? v : new Version(0, 0))
                .ToList()
            : [];
        return candidates.Count > 0
            ? candidates[0]
            : throw new InvalidOperationException($"No tools/bicep under {packageDir}: run `dotnet restore` for this project.");
    }

    // NuGet does not always keep the executable bit when it extracts a package.
    private static void EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | execute);
        }
    }

    private static string? Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == key)?.Value;
}
