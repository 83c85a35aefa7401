using System.Text;

namespace KamFlows.Durable;

/// <summary>A failure as it is stored in history: readable after the exception object is long gone.</summary>
public sealed record TaskFailureDetails(string ErrorType, string ErrorMessage, string? StackTrace = null, TaskFailureDetails? InnerFailure = null)
{
    /// <summary>Captures an exception (and its inner exceptions).</summary>
    public static TaskFailureDetails FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            TaskFailedException tf => new(tf.GetType().FullName!, tf.Message, tf.StackTrace, tf.FailureDetails),
            SubOrchestrationFailedException sf => new(sf.GetType().FullName!, sf.Message, sf.StackTrace, sf.FailureDetails),
            _ => new(exception.GetType().FullName!, exception.Message, exception.StackTrace,
                exception.InnerException is null ? null : FromException(exception.InnerException)),
        };
    }

    /// <summary>True if this failure, or one inside it, is of <typeparamref name="T"/>.</summary>
    public bool IsCausedBy<T>() where T : Exception
    {
        for (var f = this; f is not null; f = f.InnerFailure)
        {
            if (f.ErrorType == typeof(T).FullName)
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        for (var f = this; f is not null; f = f.InnerFailure)
        {
            if (sb.Length > 0)
            {
                sb.Append(" ---> ");
            }

            sb.Append(f.ErrorType).Append(": ").Append(f.ErrorMessage);
        }

        return sb.ToString();
    }
}

/// <summary>Thrown in an orchestrator when an activity failed after all its attempts.</summary>
public sealed class TaskFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TaskFailedException(string taskName, int taskId, TaskFailureDetails failureDetails)
        : base($"Activity '{taskName}' (task {taskId}) failed: {failureDetails.ErrorType}: {failureDetails.ErrorMessage}")
    {
        TaskName = taskName;
        TaskId = taskId;
        FailureDetails = failureDetails;
    }

    /// <summary>Not for use; exceptions need it.</summary>
    public TaskFailedException() : this("?", -1, new TaskFailureDetails("?", "?")) { }

    /// <summary>Not for use; exceptions need it.</summary>
    public TaskFailedException(string message) : this("?", -1, new TaskFailureDetails("?", message)) { }

    /// <summary>Not for use; exceptions need it.</summary>
    public TaskFailedException(string message, Exception innerException) : base(message, innerException)
    {
        TaskName = "?";
        FailureDetails = TaskFailureDetails.FromException(innerException);
    }

    /// <summary>The activity name.</summary>
    public string TaskName { get; }

    /// <summary>The task's sequence number.</summary>
    public int TaskId { get; }

    /// <summary>The activity's own error.</summary>
    public TaskFailureDetails FailureDetails { get; }
}

/// <summary>Thrown in an orchestrator when a sub-orchestration failed.</summary>
public sealed class SubOrchestrationFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SubOrchestrationFailedException(string name, string instanceId, TaskFailureDetails failureDetails)
        : base($"Sub-orchestration '{name}' ({instanceId}) failed: {failureDetails}")
    {
        Name = name;
        InstanceId = instanceId;
        FailureDetails = failureDetails;
    }

    /// <summary>Not for use; exceptions need it.</summary>
    public SubOrchestrationFailedException() : this("?", "?", new TaskFailureDetails("?", "?")) { }

    /// <summary>Not for use; exceptions need it.</summary>
    public SubOrchestrationFailedException(string message) : this("?", "?", new TaskFailureDetails("?", message)) { }

    /// <summary>Not for use; exceptions need it.</summary>
    public SubOrchestrationFailedException(string message, Exception innerException) : base(message, innerException)
    {
        Name = "?";
        InstanceId = "?";
        FailureDetails = TaskFailureDetails.FromException(innerException);
    }

    /// <summary>The child orchestrator's name.</summary>
    public string Name { get; }

    /// <summary>The child instance id.</summary>
    public string InstanceId { get; }

    /// <summary>The child's failure.</summary>
    public TaskFailureDetails FailureDetails { get; }
}

/// <summary>
/// The orchestrator code no longer matches its recorded history (a call was added, removed, renamed or
/// reordered). The instance fails with this error instead of doing something it never did before.
/// </summary>
public sealed class NonDeterministicOrchestrationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NonDeterministicOrchestrationException(string message) : base(message) { }

    /// <summary>Not for use; exceptions need it.</summary>
    public NonDeterministicOrchestrationException() { }

    /// <summary>Not for use; exceptions need it.</summary>
    public NonDeterministicOrchestrationException(string message, Exception innerException) : base(message, innerException) { }
}
