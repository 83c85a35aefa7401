// The disk-backed embedded Azurite keeps what it answered when it is stopped (disposed, SIGTERM), and one data folder
// never has two Azurites: a start waits for a previous one still saving and refuses one still in use.
using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using KamFlows.DevStorage;
using KamFlows.Testing;

namespace KamFlows.Host.Tests;

public sealed class EmbeddedAzuriteDurabilityTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "kamflows-azurite-" + Guid.NewGuid().ToString("N")[..10]);

    [Fact]
    public async Task Dispose_DiskBacked_KeepsEveryWriteAnsweredJustBefore()
    {
        var first = await EmbeddedAzurite.StartAsync(_folder);
        var pid = first.ProcessId;
        await WriteRowsAsync(first.ConnectionString, 200); // Well inside Azurite's 5-second autosave interval.
        await first.DisposeAsync();

        Assert.True(HasExited(pid));
        await using var second = await EmbeddedAzurite.StartAsync(_folder);
        Assert.Equal(200, await CountRowsAsync(second.ConnectionString));
    }

    [Fact]
    public async Task Sigterm_ToAzuriteWhileItsHostLives_ItServesUntilTheHostStopsIt_ThenSavesEverything()
    {
        // Ctrl+C or a service manager signals the whole process group: the host still needs storage while it stops.
        await using (var first = await EmbeddedAzurite.StartAsync(_folder))
        {
            await WriteRowsAsync(first.ConnectionString, 50);
            using (var kill = Process.Start("kill", ["-TERM", first.ProcessId.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await Eventually.WaitUntilAsync(() => Task.FromResult(first.Output.Contains("SIGTERM: serving until the host closes the lifeline", StringComparison.Ordinal)),
                what: "the watchdog has seen SIGTERM");
            await WriteRowsAsync(first.ConnectionString, 50, from: 50);
        }

        await using var second = await EmbeddedAzurite.StartAsync(_folder);
        Assert.Equal(100, await CountRowsAsync(second.ConnectionString));
    }

    [Fact]
    public async Task Start_FolderThisProcessAlreadyRunsAnAzuriteOn_IsRefused()
    {
        await using var first = await EmbeddedAzurite.StartAsync(_folder);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => EmbeddedAzurite.StartAsync(_folder));
        Assert.Contains(Path.GetFullPath(_folder), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitUntilFree_PreviousAzuriteStillSavingAfterItsHostDied_WaitsUntilItExits()
    {
        Directory.CreateDirectory(_folder);
        var (deadHostPid, deadHostStart) = await DeadProcessAsync();
        using var previous = StandInUntilStdinCloses();
        WriteOwner(previous.Id, previous.StartTime, deadHostPid, deadHostStart);

        var wait = AzuriteDataFolderOwner.WaitUntilFreeAsync(_folder, CancellationToken.None);
        Assert.False(wait.IsCompleted);

        previous.StandardInput.Close(); // It finished saving.
        await wait.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(previous.HasExited);
    }

    [Fact]
    public async Task WaitUntilFree_AzuriteOfAnotherLiveHost_IsRefusedAtOnce()
    {
        Directory.CreateDirectory(_folder);
        using var host = StandInUntilStdinCloses();
        using var azurite = StandInUntilStdinCloses();
        WriteOwner(azurite.Id, azurite.StartTime, host.Id, host.StartTime);
        try
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => AzuriteDataFolderOwner.WaitUntilFreeAsync(_folder, CancellationToken.None));
            Assert.Contains(host.Id.ToString(CultureInfo.InvariantCulture), refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            host.StandardInput.Close();
            azurite.StandardInput.Close();
            await Task.WhenAll(host.WaitForExitAsync(), azurite.WaitForExitAsync()).WaitAsync(TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public async Task WaitUntilFree_OwnerFileOfProcessesLongGone_GoesOnAtOnce()
    {
        Directory.CreateDirectory(_folder);
        var (pid, started) = await DeadProcessAsync();
        WriteOwner(pid, started, pid, started);

        await AzuriteDataFolderOwner.WaitUntilFreeAsync(_folder, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private void WriteOwner(int azuritePid, DateTime azuriteStart, int hostPid, DateTime hostStart) =>
        File.WriteAllText(AzuriteDataFolderOwner.PathIn(_folder), System.Text.Json.JsonSerializer.Serialize(
            new AzuriteDataFolderOwner(azuritePid, azuriteStart.ToUniversalTime(), hostPid, hostStart.ToUniversalTime())));

    /// <summary>A process that runs until its standard input closes (stands in for an Azurite or a host).</summary>
    private static Process StandInUntilStdinCloses()
    {
        var psi = new ProcessStartInfo("node") { RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-e");
        psi.ArgumentList.Add("process.stdin.resume(); process.stdin.on('end', () => process.exit(0));");
        return Process.Start(psi) ?? throw new InvalidOperationException("Could not start node.");
    }

    /// <summary>The id and start time of a process that has exited.</summary>
    private static async Task<(int Pid, DateTime Started)> DeadProcessAsync()
    {
        using var p = StandInUntilStdinCloses();
        var started = p.StartTime;
        p.StandardInput.Close();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (p.Id, started);
    }

    private static bool HasExited(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static async Task WriteRowsAsync(string connectionString, int count, int from = 0)
    {
        var table = new TableClient(connectionString, "durability");
        await table.CreateIfNotExistsAsync();
        for (var i = from; i < from + count; i++)
        {
            await table.AddEntityAsync(new TableEntity("p", i.ToString("D4", CultureInfo.InvariantCulture)) { ["Value"] = i });
        }
    }

    private static async Task<int> CountRowsAsync(string connectionString)
    {
        var n = 0;
        await foreach (var _ in new TableClient(connectionString, "durability").QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            n++;
        }

        return n;
    }
}
