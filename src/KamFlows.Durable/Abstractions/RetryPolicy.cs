namespace KamFlows.Durable;

/// <summary>
/// How an activity or sub-orchestration call is retried. Retries wait on durable timers, so a backoff of
/// hours survives restarts.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Creates a policy.</summary>
    /// <param name="maxNumberOfAttempts">Total attempts including the first; at least 1.</param>
    /// <param name="firstRetryInterval">Delay before the second attempt; positive.</param>
    /// <param name="backoffCoefficient">Each further delay is multiplied by this; at least 1.</param>
    /// <param name="maxRetryInterval">Upper bound of one delay; default one day.</param>
    /// <param name="retryTimeout">No retry starts later than this after the first attempt; default unbounded.</param>
    public RetryPolicy(int maxNumberOfAttempts, TimeSpan firstRetryInterval, double backoffCoefficient = 1.0, TimeSpan? maxRetryInterval = null, TimeSpan? retryTimeout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxNumberOfAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(firstRetryInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(backoffCoefficient, 1.0);
        MaxNumberOfAttempts = maxNumberOfAttempts;
        FirstRetryInterval = firstRetryInterval;
        BackoffCoefficient = backoffCoefficient;
        MaxRetryInterval = maxRetryInterval ?? TimeSpan.FromDays(1);
        RetryTimeout = retryTimeout ?? TimeSpan.MaxValue;
    }

    /// <summary>Total attempts including the first.</summary>
    public int MaxNumberOfAttempts { get; }

    /// <summary>Delay before the second attempt.</summary>
    public TimeSpan FirstRetryInterval { get; }

    /// <summary>Multiplier applied to each further delay.</summary>
    public double BackoffCoefficient { get; }

    /// <summary>Upper bound of one delay.</summary>
    public TimeSpan MaxRetryInterval { get; }

    /// <summary>No retry starts later than this after the first attempt.</summary>
    public TimeSpan RetryTimeout { get; }

    /// <summary>Decides, from the failure, whether to retry; default: always.</summary>
    public Func<TaskFailureDetails, bool> Handle { get; init; } = static _ => true;

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1 (attempts count from 1).</summary>
    public TimeSpan DelayAfterAttempt(int attempt)
    {
        var ticks = FirstRetryInterval.Ticks * Math.Pow(BackoffCoefficient, attempt - 1);
        return ticks >= MaxRetryInterval.Ticks ? MaxRetryInterval : TimeSpan.FromTicks((long)ticks);
    }
}

/// <summary>Options of an activity or sub-orchestration call.</summary>
public record TaskOptions
{
    /// <summary>Retry policy; null means a single attempt.</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>Options with a retry policy.</summary>
    public static TaskOptions FromRetryPolicy(RetryPolicy policy) => new() { Retry = policy };
}

/// <summary>Options of a sub-orchestration call.</summary>
public sealed record SubOrchestrationOptions : TaskOptions
{
    /// <summary>The child's instance id; default derives one from the parent's id, execution and task id.</summary>
    public string? InstanceId { get; init; }

    /// <summary>The child's orchestrator version; default is the registered default version.</summary>
    public string? Version { get; init; }
}
