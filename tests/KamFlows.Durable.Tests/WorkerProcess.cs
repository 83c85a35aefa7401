using System.Diagnostics;
using System.Text;

namespace KamFlows.Durable.Tests;

/// <summary>A KamFlows.Durable.TestWorker process: started like a host, killed with SIGKILL like a crash.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    public static WorkerProcess Start(string connectionString, string taskHub, string activityLog, double leaseSeconds = 3)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "KamFlows.Durable.TestWorker.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, connectionString, taskHub, activityLog, leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }

        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the test worker");
        var w = new WorkerProcess(p);
        p.OutputDataReceived += (_, e) => w.Append(e.Data);
        p.ErrorDataReceived += (_, e) => w.Append(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return w;
    }

    /// <summary>SIGKILL: no finally blocks, no flush, no graceful shutdown.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        _process.WaitForExit(10_000);
    }

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
