// Activity metrics of the local task hub, taken in a DurableTask.Core dispatcher middleware around every activity
// (DurableTask.Core traces spans but counts nothing). In Azure, Functions counts each activity function invocation.
using System.Diagnostics;
using System.Diagnostics.Metrics;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Middleware;

namespace KamFlows.TaskHub;

/// <summary>The <c>KamFlows.TaskHub</c> meter: activity executions by name and outcome, and their duration.</summary>
public static class TaskHubMetrics
{
    /// <summary>The Meter name (the host exports it with OpenTelemetry).</summary>
    public const string Name = "KamFlows.TaskHub";

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Activities = Meter.CreateCounter<long>(
        "kamflows.activities", "{activity}", "Activity executions on this worker, by name and outcome (completed, failed).");

    private static readonly Histogram<double> ActivityDuration = Meter.CreateHistogram<double>(
        "kamflows.activity.duration", "s", "Activity execution time on this worker.");

    /// <summary>Counts every activity the worker runs.</summary>
    internal static void AddTo(TaskHubWorker worker) => worker.AddActivityDispatcherMiddleware(async (context, next) =>
    {
        var started = Stopwatch.GetTimestamp();
        await next().ConfigureAwait(false);
        var name = context.GetProperty<TaskScheduledEvent>()?.Name ?? "unknown";
        var outcome = context.GetProperty<ActivityExecutionResult>()?.ResponseEvent is TaskFailedEvent ? "failed" : "completed";
        var tags = new TagList { { "kamflows.activity", name }, { "kamflows.outcome", outcome } };
        Activities.Add(1, tags);
        ActivityDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    });
}
