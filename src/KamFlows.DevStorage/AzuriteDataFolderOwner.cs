// Who runs Azurite on a data folder: a file in the folder naming the Azurite process and the host that started it.
// Invariants:
// - an Azurite still saving the folder after its host died is waited for before another one opens the folder (two
//   Azurites on one folder would overwrite each other's saves, and the later one would miss the earlier one's last save);
// - a folder whose Azurite and host are both alive is in use: starting another is refused, never waited for;
// - a process is recognised by its id and its start time, so a reused process id never counts as the owner;
// - nothing is killed here: a previous Azurite that does not finish saving in time is reported, not cut short.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace KamFlows.DevStorage;

/// <summary>The owner file of an embedded Azurite's data folder.</summary>
internal sealed record AzuriteDataFolderOwner(int AzuritePid, DateTime AzuriteStartedAtUtc, int HostPid, DateTime HostStartedAtUtc)
{
    public const string FileName = "kamflows-azurite.owner.json";

    /// <summary>How long a previous Azurite may take to save its databases and exit.</summary>
    public static readonly TimeSpan PreviousSaveTimeout = TimeSpan.FromMinutes(3);

    public static string PathIn(string dataFolder) => Path.Combine(dataFolder, FileName);

    /// <summary>The owner recorded in the folder, or null when there is none (or the file is unreadable).</summary>
    public static AzuriteDataFolderOwner? Read(string dataFolder)
    {
        try
        {
            return JsonSerializer.Deserialize<AzuriteDataFolderOwner>(File.ReadAllText(PathIn(dataFolder)));
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Records <paramref name="azurite"/>, started by this process, as the folder's Azurite (atomically).</summary>
    public static void Write(string dataFolder, Process azurite)
    {
        using var self = Process.GetCurrentProcess();
        var owner = new AzuriteDataFolderOwner(azurite.Id, azurite.StartTime.ToUniversalTime(), self.Id, self.StartTime.ToUniversalTime());
        var path = PathIn(dataFolder);
        var temporary = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(owner));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes the owner file if it still names <paramref name="azuritePid"/>.</summary>
    public static void Release(string dataFolder, int azuritePid)
    {
        if (Read(dataFolder)?.AzuritePid == azuritePid)
        {
            try
            {
                File.Delete(PathIn(dataFolder));
            }
            catch (IOException)
            {
                // The next start reads it, finds the process gone and goes on.
            }
        }
    }

    /// <summary>
    /// Waits until no earlier Azurite works on <paramref name="dataFolder"/>: returns at once when there is none,
    /// waits while one saves after its host is gone, and throws when a live host still uses it.
    /// </summary>
    public static async Task WaitUntilFreeAsync(string dataFolder, CancellationToken cancellationToken)
    {
        if (Read(dataFolder) is not { } owner || Find(owner.AzuritePid, owner.AzuriteStartedAtUtc) is not { } previous)
        {
            return;
        }

        using (previous)
        {
            if (owner.HostPid != Environment.ProcessId && Find(owner.HostPid, owner.HostStartedAtUtc) is { } host)
            {
                host.Dispose();
                throw new InvalidOperationException(
                    $"The Azurite data folder {dataFolder} is in use by the KamFlows host with process id {owner.HostPid} (its Azurite is process {owner.AzuritePid}). " +
                    "Stop that host first, or set KamFlows:Storage:AzuriteDataFolder to another folder.");
            }

            await Console.Error.WriteLineAsync(
                $"KamFlows: waiting for the previous Azurite (process {owner.AzuritePid}) to save {dataFolder} and exit...").ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PreviousSaveTimeout);
            try
            {
                await previous.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"The previous Azurite (process {owner.AzuritePid}) has not finished saving {dataFolder} within {PreviousSaveTimeout.TotalMinutes} minutes. " +
                    "Stopping it now could lose data it holds in memory: wait for it, or end it yourself if you accept that.");
            }
        }
    }

    /// <summary>The running process with this id and start time, or null.</summary>
    private static Process? Find(int pid, DateTime startedAtUtc)
    {
        Process? process = null;
        try
        {
            process = Process.GetProcessById(pid);
            if (!process.HasExited && (process.StartTime.ToUniversalTime() - startedAtUtc).Duration() < TimeSpan.FromSeconds(2))
            {
                var found = process;
                process = null;
                return found;
            }

            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null; // Not running, or not ours to see.
        }
        finally
        {
            process?.Dispose();
        }
    }
}
