using KamFlows.Durable;

namespace KamFlows.Benchmarks;

/// <summary>The measured shape: five sequential activities, one durable timer, one external event.</summary>
public sealed class BenchWorkflow : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
    {
        var total = 0;
        for (var i = 0; i < 5; i++)
        {
            total += await context.CallActivityAsync<int>(nameof(BenchStep), input + i);
        }

        await context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(1), CancellationToken.None);
        total += await context.WaitForExternalEvent<int>("go");
        return total;
    }
}

public sealed class BenchStep : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input) => Task.FromResult(input * 2);
}

/// <summary>An instance that only waits on a far timer: the idle-cost measurement.</summary>
public sealed class WaitingWorkflow : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
    {
        await context.CreateTimer(context.CurrentUtcDateTime.AddDays(30), CancellationToken.None);
        return input;
    }
}
