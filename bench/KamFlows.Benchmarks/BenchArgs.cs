using System.Globalization;

namespace KamFlows.Benchmarks;

/// <summary>Command-line options of the benchmarks, with defaults matching docs/benchmarks.md.</summary>
public sealed record BenchArgs(int Instances, int Waiting, int IdleSeconds, int Concurrency, int Accounts = 1000, int Months = 12)
{
    public static BenchArgs Parse(string[] args)
    {
        var a = new BenchArgs(Instances: 500, Waiting: 10_000, IdleSeconds: 120, Concurrency: 64);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var v = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            a = args[i] switch
            {
                "--instances" => a with { Instances = v },
                "--waiting" => a with { Waiting = v },
                "--idle-seconds" => a with { IdleSeconds = v },
                "--concurrency" => a with { Concurrency = v },
                "--accounts" => a with { Accounts = v },
                "--months" => a with { Months = v },
                _ => throw new ArgumentException($"Unknown option {args[i]}"),
            };
        }

        return a;
    }
}
