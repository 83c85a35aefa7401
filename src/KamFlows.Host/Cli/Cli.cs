namespace KamFlows.Host.Cli;

/// <summary>Command-line verbs of the host: <c>simulate</c> and <c>replay-check</c>. Without a verb the host serves HTTP.</summary>
public static class Cli
{
    public const string Usage = """
        KamFlows.Host                                   serve HTTP and run the workflows (default)
        KamFlows.Host simulate <scenario.json> [--until DATE] [--format table|json|ics] [--output FILE]
            Runs the real workflows over a scenario of canonical events on virtual time and prints every
            notification with its recipient, kind and local time. DATE: 2029-06-30 or 2029-06-30T00:00:00+03:00.
        KamFlows.Host replay-check <folder-or-file.json>...
            Replays recorded histories (tests/**/Histories/*.json) against the workflows of this build;
            exits 1 if any would diverge (a change that would break running instances).
        """;

    public static bool IsVerb(string arg) => arg is "simulate" or "replay-check" or "help" or "--help" or "-h";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return args[0] switch
            {
                "simulate" => await SimulateCommand.RunAsync(args[1..], output, error),
                "replay-check" => ReplayCheckCommand.Run(args[1..], output, error),
                _ => Help(output),
            };
        }
        catch (CliException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return 2;
        }
    }

    private static int Help(TextWriter output)
    {
        output.WriteLine(Usage);
        return 0;
    }
}

/// <summary>A usage error: the message names the problem; exit code 2.</summary>
public sealed class CliException : Exception
{
    public CliException(string message) : base(message) { }

    public CliException() { }

    public CliException(string message, Exception innerException) : base(message, innerException) { }
}
