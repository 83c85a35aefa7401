// Starts Azurite (Table, Queue and Blob in one Node.js process) from the repository's node_modules.
// Invariants:
// - ports are chosen by Azurite itself (port 0) and read back from its output, so parallel test
//   processes never collide;
// - the Node process ends when this .NET process ends, even after SIGKILL, and a disk-backed Azurite first saves every
//   write it answered (tools/azurite-watchdog.cjs: the lifeline is its standard input, which closes when we die);
// - disposing a disk-backed Azurite asks it to save and waits for it (killing it would lose up to 5 s of writes);
// - one Azurite at a time per data folder: a start waits for a previous one still saving (AzuriteDataFolderOwner);
// - npm install runs at most once at a time per repository (file lock), and only when Azurite is missing.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KamFlows.DevStorage;

/// <summary>A running Azurite process and the connection string that reaches it.</summary>
public sealed partial class EmbeddedAzurite : IAsyncDisposable
{
    /// <summary>Azurite's fixed, publicly documented development account key (not a secret).</summary>
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>How long disposing waits for a disk-backed Azurite to save its data and exit before killing it.</summary>
    public static readonly TimeSpan SaveOnDisposeTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Data folders of the disk-backed Azurites this process runs (not yet disposed).</summary>
    private static readonly ConcurrentDictionary<string, byte> FoldersInUse = new(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly string? _dataFolder;

    private EmbeddedAzurite(Process process, StringBuilder output, string? dataFolder, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _output = output;
        _dataFolder = dataFolder;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    /// <summary>The Node.js process id (tests check that it ends).</summary>
    public int ProcessId => _process.Id;

    public string ConnectionString => string.Create(CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;");

    /// <summary>What Azurite printed so far (for error messages).</summary>
    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    /// <summary>
    /// Starts Azurite. <paramref name="dataFolder"/> null keeps everything in memory; otherwise data
    /// persists there across runs. Ports 0 let Azurite choose free ones.
    /// </summary>
    public static async Task<EmbeddedAzurite> StartAsync(
        string? dataFolder = null,
        int blobPort = 0,
        int queuePort = 0,
        int tablePort = 0,
        string? repositoryRoot = null,
        CancellationToken cancellationToken = default)
    {
        if (dataFolder is null)
        {
            return await StartProcessAsync(null, blobPort, queuePort, tablePort, repositoryRoot, cancellationToken).ConfigureAwait(false);
        }

        dataFolder = Path.GetFullPath(dataFolder);
        if (!FoldersInUse.TryAdd(dataFolder, 0))
        {
            throw new InvalidOperationException($"This process already runs an embedded Azurite on {dataFolder}: two would overwrite each other's data.");
        }

        try
        {
            Directory.CreateDirectory(dataFolder);
            await AzuriteDataFolderOwner.WaitUntilFreeAsync(dataFolder, cancellationToken).ConfigureAwait(false);
            return await StartProcessAsync(dataFolder, blobPort, queuePort, tablePort, repositoryRoot, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            FoldersInUse.TryRemove(dataFolder, out _);
            throw;
        }
    }

    private static async Task<EmbeddedAzurite> StartProcessAsync(
        string? dataFolder, int blobPort, int queuePort, int tablePort, string? repositoryRoot, CancellationToken cancellationToken)
    {
        var root = repositoryRoot ?? RepositoryRoot.Find();
        await NodeModules.EnsureAzuriteInstalledAsync(root, cancellationToken).ConfigureAwait(false);

        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = root,
            RedirectStandardInput = true, // The lifeline: it closes when this process ends, however it ends.
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-r");
        psi.ArgumentList.Add(Path.Combine(root, "tools", "azurite-watchdog.cjs"));
        psi.ArgumentList.Add(NodeModules.AzuriteEntryPoint(root));
        foreach (var arg in new[] { "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry" })
        {
            psi.ArgumentList.Add(arg);
        }

        if (dataFolder is null)
        {
            psi.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            psi.ArgumentList.Add("--location");
            psi.ArgumentList.Add(dataFolder);
        }

        AddPort(psi, "--blobPort", blobPort);
        AddPort(psi, "--queuePort", queuePort);
        AddPort(psi, "--tablePort", tablePort);
        psi.Environment["KAMFLOWS_PARENT_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        psi.Environment["KAMFLOWS_LIFELINE"] = "stdin";

        var output = new StringBuilder();
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };

        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
                var match = ListeningLine().Match(line);
                if (match.Success)
                {
                    ports[match.Groups["svc"].Value] = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
                    if (ports.Count == 3)
                    {
                        ready.TrySetResult();
                    }
                }
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException(
            "Azurite exited before it was ready. Its output:\n" + Snapshot(output)));

        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start 'node'. Install Node.js 20 or later and make sure 'node' is on PATH.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (dataFolder is not null)
        {
            AzuriteDataFolderOwner.Write(dataFolder, process);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await ready.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            throw new TimeoutException("Azurite did not report its three services listening within 60 s. Output:\n" + Snapshot(output));
        }

        lock (output)
        {
            return new EmbeddedAzurite(process, output, dataFolder, ports["Blob"], ports["Queue"], ports["Table"]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataFolder is null)
        {
            TryKill(_process); // Nothing to save.
        }
        else
        {
            await StopSavingAsync().ConfigureAwait(false);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        if (_dataFolder is not null)
        {
            AzuriteDataFolderOwner.Release(_dataFolder, _process.Id);
            FoldersInUse.TryRemove(_dataFolder, out _);
        }

        _process.Dispose();
    }

    /// <summary>Closes the lifeline (the watchdog saves every database, then exits) and waits; kills only after the timeout.</summary>
    private async Task StopSavingAsync()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already closed: the process is gone or going.
        }

        using var timeout = new CancellationTokenSource(SaveOnDisposeTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync(
                $"KamFlows: Azurite did not save and exit within {SaveOnDisposeTimeout.TotalSeconds} s; killing it (writes since its last save are lost). Its output:\n{Output}").ConfigureAwait(false);
            TryKill(_process);
        }
    }

    private static void AddPort(ProcessStartInfo psi, string option, int port)
    {
        psi.ArgumentList.Add(option);
        psi.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    [GeneratedRegex(@"Azurite (?<svc>Blob|Queue|Table) service is successfully listening at https?://[^:]+:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
