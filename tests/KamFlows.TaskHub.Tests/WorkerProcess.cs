// A KamFlows.TaskHub.TestWorker process: started like a host, killed with SIGKILL like a crash.
using System.Diagnostics;
using System.Globalization;

namespace KamFlows.TaskHub.Tests;

internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _ran = [];
    private readonly List<string> _other = [];

    private WorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Outbox keys ("instance|step") this process reported as executed.</summary>
    public IReadOnlyList<string> Ran
    {
        get { lock (_ran) { return [.. _ran]; } }
    }

    public int RanCount
    {
        get { lock (_ran) { return _ran.Count; } }
    }

    public string Output
    {
        get { lock (_ran) { return string.Join('\n', _other); } }
    }

    public static WorkerProcess Start(string connectionString, string taskHub, string outboxTable, string workerId, double visibilitySeconds = 10)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "KamFlows.TaskHub.TestWorker.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, connectionString, taskHub, outboxTable, workerId, visibilitySeconds.ToString(CultureInfo.InvariantCulture) })
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

    /// <summary>SIGKILL: no finally blocks, no graceful stop, leases and dequeued messages left as they were.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_ran)
        {
            if (line.StartsWith("ran ", StringComparison.Ordinal))
            {
                _ran.Add(line[4..]);
            }
            else if (_other.Count < 200)
            {
                _other.Add(line);
            }
        }
    }
}
