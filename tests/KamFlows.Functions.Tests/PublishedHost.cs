using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KamFlows.DevStorage;

namespace KamFlows.Functions.Tests;

/// <summary>Publishes KamFlows.Host once per test run (Release, like azd does) into a temporary folder.</summary>
public sealed class PublishedHost : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "kamflows-publish-" + Guid.NewGuid().ToString("N")[..8]);

    public string PublishOutput { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var project = Path.Combine(RepositoryRoot.Find(), "src", "KamFlows.Host", "KamFlows.Host.csproj");
        var (code, output) = await RunAsync("dotnet", ["publish", project, "-c", "Release", "-o", Folder, "--nologo"], TimeSpan.FromMinutes(5));
        PublishOutput = output;
        if (code != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({code}):\n{output}");
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
            // A process may still hold a file; the temp folder is cleaned by the OS.
        }

        return Task.CompletedTask;
    }

    /// <summary>Starts the published executable the way the Functions host does: FUNCTIONS_CUSTOMHANDLER_PORT set.</summary>
    public async Task<RunningHandler> StartAsCustomHandlerAsync(IDictionary<string, string> settings, string? workingDirectory = null)
    {
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory ?? Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(Folder, "KamFlows.Host.dll"));
        psi.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (k, v) in settings)
        {
            psi.Environment[k] = v;
        }

        var process = Process.Start(psi)!;
        var handler = new RunningHandler(process, port);
        await handler.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
        return handler;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    internal static async Task<(int Code, string Output)> RunAsync(string file, string[] args, TimeSpan timeout)
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

/// <summary>A running custom handler process.</summary>
public sealed class RunningHandler : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    internal RunningHandler(Process process, int port)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public HttpClient Http { get; }

    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    internal async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("The handler exited:\n" + Output);
            }

            try
            {
                using var r = await Http.GetAsync("/api/health");
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The handler did not answer /api/health:\n" + Output);
    }

    public void Dispose()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}
