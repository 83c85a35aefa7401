using KamFlows.Durable;

namespace KamFlows.Durable.TestWorker;

/// <summary>Input of the crash/concurrency workflow.</summary>
public sealed record CrashInput(int Seed, int Sequential, int Parallel, int TimerMilliseconds);

/// <summary>Sequential steps, a short real-time timer and a small fan-out: every kind of step a crash can interrupt.</summary>
public sealed class CrashWorkflow : TaskOrchestrator<CrashInput, long>
{
    public override async Task<long> RunAsync(TaskOrchestrationContext context, CrashInput input)
    {
        long total = 0;
        for (var i = 0; i < input.Sequential; i++)
        {
            total += await context.CallActivityAsync<long>(nameof(StepActivity), new StepInput(input.Seed, i));
        }

        if (input.TimerMilliseconds > 0)
        {
            await context.CreateTimer(TimeSpan.FromMilliseconds(input.TimerMilliseconds), CancellationToken.None);
        }

        var fan = Enumerable.Range(100, input.Parallel).Select(i => context.CallActivityAsync<long>(nameof(StepActivity), new StepInput(input.Seed, i)));
        total += (await Task.WhenAll(fan)).Sum();
        return total;
    }

    /// <summary>The output the workflow must produce.</summary>
    public static long Expected(CrashInput input) =>
        Enumerable.Range(0, input.Sequential).Concat(Enumerable.Range(100, input.Parallel)).Sum(i => StepActivity.Value(input.Seed, i));
}

public sealed record StepInput(int Seed, int Step);

/// <summary>Logs its execution, takes a little time (so kills land mid-step), returns a value derived from its input.</summary>
public sealed class StepActivity(ActivityLog log) : TaskActivity<StepInput, long>
{
    public override async Task<long> RunAsync(TaskActivityContext context, StepInput input)
    {
        log.Append($"{context.InstanceId}|{context.ExecutionId}|{context.TaskId}|{Environment.ProcessId}");
        await Task.Delay(Random.Shared.Next(5, 40), context.CancellationToken);
        return Value(input.Seed, input.Step);
    }

    public static long Value(int seed, int step) => (seed * 1000L) + (step * 7L) + 1;
}

/// <summary>Appends lines to this process's own file ({prefix}.{pid}); tests read all of a prefix's files.</summary>
public sealed class ActivityLog(string prefix)
{
    private readonly object _gate = new();
    private readonly string _path = $"{prefix}.{Environment.ProcessId}";

    public void Append(string line)
    {
        lock (_gate)
        {
            File.AppendAllText(_path, line + "\n");
        }
    }

    /// <summary>Every line written under <paramref name="prefix"/> by any process.</summary>
    public static string[] ReadAll(string prefix) =>
        [.. Directory.EnumerateFiles(Path.GetDirectoryName(prefix)!, Path.GetFileName(prefix) + ".*").SelectMany(File.ReadAllLines)];
}
