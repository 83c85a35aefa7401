// A start or restart must never silently replace a live instance (a KAM workflow in flight); callers catch this one
// type (or DurableTask.Core's OrchestrationAlreadyExistsException, its base) and decide: signal it, or leave it.
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask.Client;

namespace KamFlows.TaskHub;

/// <summary>
/// Thrown when an instance is started with the id of an existing instance that is still live (Pending, Running,
/// Suspended) or whose status the caller listed in <c>StartOrchestrationOptions.DedupeStatuses</c>.
/// </summary>
public sealed class OrchestrationInstanceExistsException : OrchestrationAlreadyExistsException
{
    /// <summary>Creates the exception for <paramref name="instanceId"/> found in <paramref name="status"/>.</summary>
    public OrchestrationInstanceExistsException(string instanceId, OrchestrationRuntimeStatus? status, Exception? innerException = null)
        : base($"An orchestration instance with the ID '{instanceId}' already exists{(status is { } s ? $" and is {s}" : "")}; it was not replaced.", innerException)
    {
        InstanceId = instanceId;
        Status = status;
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    public OrchestrationInstanceExistsException()
        : this("", null)
    {
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    public OrchestrationInstanceExistsException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    public OrchestrationInstanceExistsException(string message, Exception? innerException)
        : base(message, innerException)
    {
        InstanceId = "";
    }

    /// <summary>The id that was asked for.</summary>
    public string InstanceId { get; }

    /// <summary>Status of the existing instance when the start was refused (null if it could not be read).</summary>
    public OrchestrationRuntimeStatus? Status { get; }
}
