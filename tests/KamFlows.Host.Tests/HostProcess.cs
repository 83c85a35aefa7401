// The real KamFlows host executable (KamFlows.Host.dll under `dotnet`) as a process of its own, on a port Kestrel picks,
// with the default disk-backed embedded Azurite in a given data folder. Killed with SIGKILL like a crash.
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using KamFlows.DevStorage;
using KamFlows.Testing;

namespace KamFlows.Host.Tests;

internal sealed partial class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public Uri Address => _listening.Task.IsCompletedSuccessfully ? _listening.Task.Result : throw new InvalidOperationException("The host is not listening yet.");

    /// <summary>What the host printed, the latest 200,000 characters at least (for failure messages).</summary>
    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    /// <summary>Starts the host and waits until it listens and answers /health.</summary>
    public static async Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "KamFlows.Host.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var inherited in psi.Environment.Keys.Where(k => k.StartsWith("KamFlows__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            psi.Environment.Remove(inherited); // Only the settings given here: never a storage account of the machine's.
        }

        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var (name, value) in settings)
        {
            psi.Environment[name.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start 'dotnet " + dll + "'.");
        var host = new HostProcess(process);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            if (settings.TryGetValue("KamFlows:Api:Keys:0", out var key))
            {
                http.DefaultRequestHeaders.Add("X-Api-Key", key);
            }

            await Eventually.WaitUntilAsync(async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The host exited with code {process.ExitCode} before it was ready:\n{host.Output}");
                }

                if (!host._listening.Task.IsCompleted)
                {
                    return false;
                }

                try
                {
                    return (await http.GetAsync(new Uri(host.Address, "/health"))).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, timeout, "the host listens and answers /health");
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }

    /// <summary>SIGKILL to the host only (not its process tree): the embedded Azurite is left to its watchdog.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        _process.WaitForExit(30_000);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    /// <summary>
    /// Node processes running Azurite on <paramref name="dataFolder"/>: the one its owner file names and, on Linux,
    /// any whose command line names the folder (so a test finds them even if the owner file was never written).
    /// </summary>
    public static IReadOnlyList<Process> AzuritesOn(string dataFolder)
    {
        var pids = new HashSet<int>();
        if (AzuriteDataFolderOwner.Read(dataFolder) is { AzuritePid: > 0 } owner) // Null while being replaced; the /proc scan still finds the process.
        {
            pids.Add(owner.AzuritePid);
        }

        if (Directory.Exists("/proc"))
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid))
                {
                    try
                    {
                        var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                        if (cmdline.Contains("azurite", StringComparison.Ordinal) && cmdline.Contains(dataFolder, StringComparison.Ordinal))
                        {
                            pids.Add(pid);
                        }
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        // Gone meanwhile.
                    }
                }
            }
        }

        var found = new List<Process>();
        foreach (var pid in pids)
        {
            try
            {
                var p = Process.GetProcessById(pid);
                if (p.HasExited)
                {
                    p.Dispose();
                }
                else
                {
                    found.Add(p);
                }
            }
            catch (ArgumentException)
            {
                // Not running.
            }
        }

        return found;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > 400_000)
            {
                _output.Remove(0, 200_000); // Keep the latest.
            }
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups["url"].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://[^\s/]+)")]
    private static partial Regex ListeningLine();
}
