namespace KamFlows.Durable;

/// <summary>Untyped orchestrator, as the runtime sees it. Implement <see cref="TaskOrchestrator{TInput,TOutput}"/> instead.</summary>
public interface ITaskOrchestrator
{
    /// <summary>The type the serialized input is read as.</summary>
    Type InputType { get; }

    /// <summary>Runs the orchestrator. Must be deterministic: time, ids and waiting only through <paramref name="context"/>.</summary>
    Task<object?> RunAsync(TaskOrchestrationContext context, object? input);
}

/// <summary>
/// A durable orchestration. <see cref="RunAsync"/> is replayed from history after every step, so it must be
/// deterministic: read time from <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/>, make ids with
/// <see cref="TaskOrchestrationContext.NewGuid"/>, wait only on tasks the context returns, and do no I/O.
/// </summary>
public abstract class TaskOrchestrator<TInput, TOutput> : ITaskOrchestrator
{
    Type ITaskOrchestrator.InputType => typeof(TInput);

    async Task<object?> ITaskOrchestrator.RunAsync(TaskOrchestrationContext context, object? input) =>
        await RunAsync(context, (TInput)input!).ConfigureAwait(true);

    /// <summary>The orchestration's logic.</summary>
    public abstract Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input);
}
