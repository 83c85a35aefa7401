namespace KamFlows.Durable;

/// <summary>Untyped activity, as the runtime sees it. Implement <see cref="TaskActivity{TInput,TOutput}"/> instead.</summary>
public interface ITaskActivity
{
    /// <summary>The type the serialized input is read as.</summary>
    Type InputType { get; }

    /// <summary>Runs the activity.</summary>
    Task<object?> RunAsync(TaskActivityContext context, object? input);
}

/// <summary>
/// A unit of work an orchestration schedules. Activities may do I/O. They run at least once: a crash after the
/// work but before its result is committed runs them again, so they must be idempotent (use
/// <see cref="TaskActivityContext.IdempotencyKey"/> for side effects).
/// </summary>
public abstract class TaskActivity<TInput, TOutput> : ITaskActivity
{
    Type ITaskActivity.InputType => typeof(TInput);

    async Task<object?> ITaskActivity.RunAsync(TaskActivityContext context, object? input) =>
        await RunAsync(context, (TInput)input!).ConfigureAwait(false);

    /// <summary>The activity's work.</summary>
    public abstract Task<TOutput> RunAsync(TaskActivityContext context, TInput input);
}

/// <summary>What an activity knows about the call that started it.</summary>
public sealed class TaskActivityContext
{
    internal TaskActivityContext(string name, string instanceId, string executionId, int taskId, CancellationToken cancellationToken)
    {
        Name = name;
        InstanceId = instanceId;
        ExecutionId = executionId;
        TaskId = taskId;
        CancellationToken = cancellationToken;
    }

    /// <summary>The activity's registered name.</summary>
    public string Name { get; }

    /// <summary>The orchestration instance that scheduled this activity.</summary>
    public string InstanceId { get; }

    /// <summary>The execution (generation) of that instance; changes on ContinueAsNew and restart.</summary>
    public string ExecutionId { get; }

    /// <summary>The task's sequence number within the execution.</summary>
    public int TaskId { get; }

    /// <summary>Signalled when the host shuts down.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Stable across re-executions of this same call: use it to make side effects idempotent.</summary>
    public string IdempotencyKey => $"{InstanceId}|{ExecutionId}|{TaskId}";
}
