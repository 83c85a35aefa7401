using System.Diagnostics;

namespace KamFlows.DevStorage;

/// <summary>Installs the repository's npm dev dependencies (Azurite) when they are missing.</summary>
public static class NodeModules
{
    public static string AzuriteEntryPoint(string root) =>
        Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");

    /// <summary>Runs <c>npm ci</c> once, under a file lock, if Azurite is not installed yet.</summary>
    public static async Task EnsureAzuriteInstalledAsync(string root, CancellationToken cancellationToken)
    {
        if (File.Exists(AzuriteEntryPoint(root)))
        {
            return;
        }

        var lockPath = Path.Combine(root, ".npm-install.lock");
        using var fileLock = await AcquireLockAsync(lockPath, cancellationToken).ConfigureAwait(false);
        if (File.Exists(AzuriteEntryPoint(root)))
        {
            return; // Another process installed it while we waited for the lock.
        }

        var hasLock = File.Exists(Path.Combine(root, "package-lock.json"));
        var psi = new ProcessStartInfo("npm")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(hasLock ? "ci" : "install");
        psi.ArgumentList.Add("--no-audit");
        psi.ArgumentList.Add("--no-fund");

        await Console.Error.WriteLineAsync($"KamFlows: installing Azurite with 'npm {psi.ArgumentList[0]}' in {root} (first run only)...").ConfigureAwait(false);
        using var process = Process.Start(psi)
            ?? throw new InvalidOperationException("Could not start 'npm'. Install Node.js 20 or later (npm comes with it).");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0 || !File.Exists(AzuriteEntryPoint(root)))
        {
            throw new InvalidOperationException(
                $"'npm {psi.ArgumentList[0]}' in {root} failed with exit code {process.ExitCode}:\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
        }
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
