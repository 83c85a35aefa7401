// Small orchestrations and activities that exercise one engine feature each, plus the crash workflow whose
// activities write idempotent outbox rows. Shared by the in-process tests and the worker process.
using Azure;
using Azure.Data.Tables;
using Microsoft.DurableTask;

namespace KamFlows.TaskHub.TestWorker;

/// <summary>Registers every test task.</summary>
public static class TestTasks
{
    public static void Register(DurableTaskRegistry r)
    {
        ArgumentNullException.ThrowIfNull(r);
        r.AddOrchestrator<SequenceOrchestrator>()
            .AddOrchestrator<ApprovalOrchestrator>()
            .AddOrchestrator<TimerOrchestrator>()
            .AddOrchestrator<ParentOrchestrator>()
            .AddOrchestrator<ChildOrchestrator>()
            .AddOrchestrator<CounterOrchestrator>()
            .AddOrchestrator<LongTimerOrchestrator>()
            .AddOrchestrator<RetryingOrchestrator>()
            .AddOrchestrator<VersionOrchestrator>()
            .AddOrchestrator<CrashWorkflow>()
            .AddActivity<AddActivity>()
            .AddActivity<FailingActivity>()
            .AddActivity<OutboxActivity>();
    }
}

/// <summary>Adds 1..n with one activity call per number; output the sum.</summary>
public sealed class SequenceOrchestrator : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sum = 0;
        for (var i = 1; i <= input; i++)
        {
            sum = await context.CallActivityAsync<int>(nameof(AddActivity), new AddInput(sum, i));
        }

        return sum;
    }
}

public sealed record AddInput(int A, int B);

public sealed class AddActivity : TaskActivity<AddInput, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, AddInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(input.A + input.B);
    }
}

/// <summary>Custom status "waiting", then waits for the "approval" event.</summary>
public sealed class ApprovalOrchestrator : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.SetCustomStatus(new ApprovalStatus("waiting", input));
        var approver = await context.WaitForExternalEvent<string>("approval");
        context.SetCustomStatus(new ApprovalStatus("approved", input));
        return $"{input} approved by {approver}";
    }
}

public sealed record ApprovalStatus(string Stage, string Subject);

/// <summary>Waits on a durable timer of the given seconds; output when it woke up and when it asked to.</summary>
public sealed class TimerOrchestrator : TaskOrchestrator<int, TimerResult>
{
    public override async Task<TimerResult> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var due = context.CurrentUtcDateTime.AddSeconds(input);
        await context.CreateTimer(due, CancellationToken.None);
        return new TimerResult(due, context.CurrentUtcDateTime);
    }
}

public sealed record TimerResult(DateTime Due, DateTime WokeAt);

/// <summary>Calls <see cref="ChildOrchestrator"/> as a sub-orchestration with a known id; output the child's result + 1.</summary>
public sealed class ParentOrchestrator : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var child = await context.CallSubOrchestratorAsync<int>(nameof(ChildOrchestrator), input, new SubOrchestrationOptions { InstanceId = context.InstanceId + ":child" });
        return child + 1;
    }
}

public sealed class ChildOrchestrator : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await context.CallActivityAsync<int>(nameof(AddActivity), new AddInput(input, input));
    }
}

/// <summary>Counts up to the target by continuing as new once per step; output the final count.</summary>
public sealed class CounterOrchestrator : TaskOrchestrator<CounterState, int>
{
    public override Task<int> RunAsync(TaskOrchestrationContext context, CounterState input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        if (input.Count < input.Target)
        {
            context.ContinueAsNew(input with { Count = input.Count + 1 });
        }

        return Task.FromResult(input.Count);
    }
}

public sealed record CounterState(int Count, int Target);

/// <summary>Waits on one timer of the given days (split by MaximumTimerInterval), then completes.</summary>
public sealed class LongTimerOrchestrator : TaskOrchestrator<int, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.CreateTimer(TimeSpan.FromDays(input), CancellationToken.None);
        return "woke";
    }
}

/// <summary>Calls <see cref="FailingActivity"/> with a retry policy of the given attempts.</summary>
public sealed class RetryingOrchestrator : TaskOrchestrator<int, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = TaskOptions.FromRetryPolicy(new RetryPolicy(maxNumberOfAttempts: input, firstRetryInterval: TimeSpan.FromMilliseconds(200), backoffCoefficient: 1.5));
        return await context.CallActivityAsync<string>(nameof(FailingActivity), context.InstanceId, options);
    }
}

/// <summary>Always fails, counting its attempts per instance.</summary>
public sealed class FailingActivity : TaskActivity<string, string>
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Attempts = new();

    public static int AttemptsFor(string instanceId) => Attempts.GetValueOrDefault(instanceId);

    public override Task<string> RunAsync(TaskActivityContext context, string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var attempt = Attempts.AddOrUpdate(input, 1, (_, n) => n + 1);
        throw new InvalidOperationException($"CRM refused the update for {input} (attempt {attempt})");
    }
}

/// <summary>Output: the orchestration version the instance runs with.</summary>
public sealed class VersionOrchestrator : TaskOrchestrator<string?, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(context.Version);
    }
}

/// <summary>
/// The crash workflow: steps in sequence with a short timer between some, then three in parallel; every step writes an
/// outbox row keyed by (instance, step). Output: the sum of the step values.
/// </summary>
public sealed class CrashWorkflow : TaskOrchestrator<CrashInput, long>
{
    public const int ParallelSteps = 3;

    public static long Expected(CrashInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Enumerable.Range(0, input.Sequential + ParallelSteps).Sum(step => (long)Value(input.Seed, step));
    }

    public static int Value(int seed, int step) => (seed * 31) + (step * 7) + 1;

    public override async Task<long> RunAsync(TaskOrchestrationContext context, CrashInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        long sum = 0;
        for (var step = 0; step < input.Sequential; step++)
        {
            sum += await context.CallActivityAsync<int>(nameof(OutboxActivity), new OutboxItem(context.InstanceId, step, Value(input.Seed, step)));
            if (input.TimerSeconds > 0 && step % 2 == 1)
            {
                await context.CreateTimer(TimeSpan.FromSeconds(input.TimerSeconds), CancellationToken.None);
            }
        }

        var parallel = Enumerable.Range(input.Sequential, ParallelSteps)
            .Select(step => context.CallActivityAsync<int>(nameof(OutboxActivity), new OutboxItem(context.InstanceId, step, Value(input.Seed, step))));
        foreach (var value in await Task.WhenAll(parallel))
        {
            sum += value;
        }

        return sum;
    }
}

public sealed record CrashInput(int Seed, int Sequential, int TimerSeconds);

public sealed record OutboxItem(string InstanceId, int Step, int Value);

/// <summary>Where outbox activities write: one table, and a line per execution for the test to follow progress.</summary>
public sealed class Outbox(TableClient table, Action<string>? executed = null)
{
    public TableClient Table { get; } = table;

    public void Executed(string key) => executed?.Invoke(key);

    public static string RowKey(int step) => step.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Writes the outbox row (instance, step) if absent: running twice leaves one row. Returns the step's value.</summary>
public sealed class OutboxActivity(Outbox outbox) : TaskActivity<OutboxItem, int>
{
    public override async Task<int> RunAsync(TaskActivityContext context, OutboxItem input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var entity = new TableEntity(input.InstanceId, Outbox.RowKey(input.Step)) { ["Value"] = input.Value };
        try
        {
            await outbox.Table.AddEntityAsync(entity);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already written by an earlier run of this activity: the deterministic key makes the effect happen once.
        }

        outbox.Executed($"{input.InstanceId}|{input.Step}");
        return input.Value;
    }
}
