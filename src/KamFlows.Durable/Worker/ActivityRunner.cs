using System.Diagnostics;
using KamFlows.Durable.History;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KamFlows.Durable.Worker;

/// <summary>Runs activities on this host, at most <see cref="DurableOptions.MaxConcurrentActivities"/> at once, each in its own DI scope.</summary>
internal sealed partial class ActivityRunner(DurableTaskRegistry registry, IServiceScopeFactory scopes, DurableOptions options, ILogger<ActivityRunner> logger) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentActivities, options.MaxConcurrentActivities);
    private long _executions;

    /// <summary>Activity executions started by this host (a re-run after a crash counts again).</summary>
    public long Executions => Interlocked.Read(ref _executions);

    public async Task<ActivityResult> RunAsync(string instanceId, string executionId, HistoryEvent scheduled, CancellationToken cancellationToken)
    {
        var taskId = scheduled.TaskId!.Value;
        var name = scheduled.Name!;
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        bool? succeeded = null; // Stays null when the host stops mid-activity: not an outcome.
        using var span = DurableTelemetry.Source.StartActivity("activity " + name, ActivityKind.Internal);
        span?.SetTag("kamflows.instance_id", instanceId);
        span?.SetTag("kamflows.task_id", taskId);
        try
        {
            Interlocked.Increment(ref _executions);
            await using var scope = scopes.CreateAsyncScope();
            if (!registry.TryCreateActivity(name, scope.ServiceProvider, out var activity))
            {
                succeeded = false;
                return new ActivityResult(taskId, null, new TaskFailureDetails("ActivityNotRegistered",
                    $"Activity '{name}' is not registered on this host. Registered: [{string.Join(", ", registry.ActivityNames)}]."));
            }

            var input = options.DataConverter.Deserialize(scheduled.Payload, activity.InputType);
            var context = new TaskActivityContext(name, instanceId, executionId, taskId, cancellationToken);
            var output = await activity.RunAsync(context, input).ConfigureAwait(false);
            succeeded = true;
            return new ActivityResult(taskId, options.DataConverter.Serialize(output), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // Host stopping: not the activity's failure; it runs again after restart.
        }
        catch (Exception ex)
        {
            LogActivityFailed(logger, ex, name, taskId, instanceId);
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            succeeded = false;
            return new ActivityResult(taskId, null, TaskFailureDetails.FromException(ex));
        }
        finally
        {
            if (succeeded is { } ok)
            {
                DurableTelemetry.ActivityRan(name, ok, Stopwatch.GetElapsedTime(started));
            }

            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Activity {Name} (task {TaskId}) of {InstanceId} failed")]
    private static partial void LogActivityFailed(ILogger logger, Exception exception, string name, int taskId, string instanceId);
}
