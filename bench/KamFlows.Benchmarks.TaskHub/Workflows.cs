// The same shape as the old engine's benchmark workflow, so the figures compare: five activities in sequence, a 1 s
// durable timer, an external event; and an instance that only waits 30 days on a timer, for the idle phase.
using Microsoft.DurableTask;

namespace KamFlows.Benchmarks.TaskHub;

public sealed class BenchWorkflow : TaskOrchestrator<int, int>
{
    public const int Activities = 5;

    public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sum = 0;
        for (var i = 0; i < Activities; i++)
        {
            sum += await context.CallActivityAsync<int>(nameof(BenchStep), input + i);
        }

        await context.CreateTimer(TimeSpan.FromSeconds(1), CancellationToken.None);
        sum += await context.WaitForExternalEvent<int>("go");
        return sum;
    }
}

public sealed class BenchStep : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) => Task.FromResult(input % 7);
}

public sealed class WaitingWorkflow : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.CreateTimer(TimeSpan.FromDays(30), CancellationToken.None);
        return input;
    }
}

/// <summary>Waits on one timer of the given milliseconds; output the due time (lateness is read from the history).</summary>
public sealed class TimerWorkflow : TaskOrchestrator<int, DateTime>
{
    public override async Task<DateTime> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var due = context.CurrentUtcDateTime.AddMilliseconds(input);
        await context.CreateTimer(due, CancellationToken.None);
        return due;
    }
}
