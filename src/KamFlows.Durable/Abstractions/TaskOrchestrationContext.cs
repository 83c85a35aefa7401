using Microsoft.Extensions.Logging;

namespace KamFlows.Durable;

/// <summary>
/// Everything an orchestrator may use to interact with the world. Every method is replay-safe: on replay it
/// returns what was recorded instead of doing the work again.
/// </summary>
public abstract class TaskOrchestrationContext
{
    /// <summary>The instance id (a business key such as <c>proposal:42</c>).</summary>
    public abstract string InstanceId { get; }

    /// <summary>The current execution; changes on ContinueAsNew.</summary>
    public abstract string ExecutionId { get; }

    /// <summary>The orchestrator's registered name.</summary>
    public abstract string Name { get; }

    /// <summary>The orchestrator version this instance is pinned to.</summary>
    public abstract string Version { get; }

    /// <summary>The time of the current step, as recorded in history (never the wall clock).</summary>
    public abstract DateTimeOffset CurrentUtcDateTime { get; }

    /// <summary>True while the orchestrator is re-running recorded steps.</summary>
    public abstract bool IsReplaying { get; }

    /// <summary>Schedules an activity and returns its result.</summary>
    public abstract Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    /// <summary>Schedules an activity that returns nothing.</summary>
    public Task CallActivityAsync(string name, object? input = null, TaskOptions? options = null) =>
        CallActivityAsync<object?>(name, input, options);

    /// <summary>A durable timer: completes at <paramref name="fireAt"/>, across restarts, for any duration.</summary>
    public abstract Task CreateTimer(DateTimeOffset fireAt, CancellationToken cancellationToken);

    /// <summary>A durable timer that completes after <paramref name="delay"/>.</summary>
    public Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken) =>
        CreateTimer(CurrentUtcDateTime + delay, cancellationToken);

    /// <summary>
    /// Waits for an event raised by a client. An event raised before the wait started is kept and returned.
    /// Cancelling stops the wait; the event, if it arrives later, is kept for the next wait.
    /// </summary>
    public abstract Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default);

    /// <summary>Waits for an event at most <paramref name="timeout"/>; throws <see cref="TimeoutException"/> after.</summary>
    public async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource();
        var eventTask = WaitForExternalEvent<T>(eventName, cts.Token);
        var timerTask = CreateTimer(CurrentUtcDateTime + timeout, cts.Token);
        var winner = await Task.WhenAny(eventTask, timerTask).ConfigureAwait(true);
#pragma warning disable CA1849 // CancelAsync runs callbacks on the thread pool; replay must stay on its own thread.
        cts.Cancel();
#pragma warning restore CA1849
        if (winner == eventTask)
        {
            return await eventTask.ConfigureAwait(true);
        }

        throw new TimeoutException($"Event '{eventName}' was not received within {timeout}.");
    }

    /// <summary>Starts a child orchestration and returns its output.</summary>
    public abstract Task<TResult> CallSubOrchestratorAsync<TResult>(string orchestratorName, object? input = null, SubOrchestrationOptions? options = null);

    /// <summary>Ends this execution and starts a new one with <paramref name="newInput"/> and empty history.
    /// Events not yet consumed are carried over to the new execution.</summary>
    public abstract void ContinueAsNew(object? newInput, string? newVersion = null);

    /// <summary>Sets a status visible to clients and queries (serialized as JSON).</summary>
    public abstract void SetCustomStatus(object? customStatus);

    /// <summary>A deterministic GUID: the same on every replay.</summary>
    public abstract Guid NewGuid();

    /// <summary>A logger that is silent during replay, so each line is written once.</summary>
    public abstract ILogger CreateReplaySafeLogger(string categoryName);
}
