using KamFlows.Workflows;
using KamFlows.Workflows.Replay;
using Microsoft.DurableTask;

namespace KamFlows.Host.Cli;

/// <summary><c>replay-check</c>: replays recorded histories against this build's workflows before deploying it.</summary>
public static class ReplayCheckCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0)
        {
            throw new CliException($"replay-check needs at least one history file or folder.\n\n{Cli.Usage}");
        }

        var files = args.SelectMany(a => Directory.Exists(a) ? Directory.EnumerateFiles(a, "*.json", SearchOption.AllDirectories)
            : File.Exists(a) ? [a] : throw new CliException($"'{a}' is neither a file nor a folder.")).Order(StringComparer.Ordinal).ToList();
        var registry = WorkflowsRegistration.Register(new DurableTaskRegistry());
        var failures = 0;
        foreach (var file in files)
        {
            RecordedHistory history;
            try
            {
                history = RecordedHistory.Load(file);
            }
            catch (InvalidDataException ex)
            {
                error.WriteLine($"FAIL {file}: not a recorded history ({ex.Message})");
                failures++;
                continue;
            }

            var result = HistoryReplayChecker.Check(registry, history);
            if (result.IsDeterministic)
            {
                output.WriteLine($"ok   {file} ({history.Orchestrator}{(history.Version.Length > 0 ? " v" + history.Version : string.Empty)}, {history.Events.Count} events)");
            }
            else
            {
                error.WriteLine($"FAIL {file}: {result.Problem}");
                failures++;
            }
        }

        output.WriteLine($"{files.Count - failures} of {files.Count} histories replay cleanly.");
        return failures == 0 ? 0 : 1;
    }
}
