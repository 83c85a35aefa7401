using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace KamFlows.Durable;

/// <summary>
/// The runtime's traces and metrics (System.Diagnostics: free when nobody listens). The host exports them with
/// OpenTelemetry when Application Insights is configured; names follow the OpenTelemetry conventions.
/// </summary>
public static class DurableTelemetry
{
    /// <summary>The ActivitySource and Meter name.</summary>
    public const string Name = "KamFlows.Durable";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> StepsCommitted = Meter.CreateCounter<long>(
        "kamflows.durable.steps", "{step}", "Orchestration steps committed (one entity-group transaction each).");

    private static readonly Counter<long> StepConflicts = Meter.CreateCounter<long>(
        "kamflows.durable.step_conflicts", "{conflict}", "Steps that lost the instance row's ETag race and were redone.");

    private static readonly Counter<long> ActivitiesRun = Meter.CreateCounter<long>(
        "kamflows.durable.activities", "{activity}", "Activity executions, by name and outcome.");

    private static readonly Histogram<double> ActivityDuration = Meter.CreateHistogram<double>(
        "kamflows.durable.activity.duration", "s", "Activity execution time.");

    private static readonly Histogram<double> TimerLateness = Meter.CreateHistogram<double>(
        "kamflows.durable.timer.lateness", "s", "How long after its due time a durable timer fired.");

    private static readonly Counter<long> MessagesParked = Meter.CreateCounter<long>(
        "kamflows.durable.messages_parked", "{message}", "Work messages that failed too often and were parked as poison.");

    internal static void StepCommitted() => StepsCommitted.Add(1);

    internal static void StepConflict() => StepConflicts.Add(1);

    internal static void ActivityRan(string name, bool succeeded, TimeSpan elapsed)
    {
        var tags = new TagList { { "kamflows.activity", name }, { "kamflows.outcome", succeeded ? "succeeded" : "failed" } };
        ActivitiesRun.Add(1, tags);
        ActivityDuration.Record(elapsed.TotalSeconds, tags);
    }

    internal static void TimerFired(DateTimeOffset dueAt, DateTimeOffset firedAt) =>
        TimerLateness.Record(Math.Max(0, (firedAt - dueAt).TotalSeconds));

    internal static void MessageParked() => MessagesParked.Add(1);

    private static readonly Counter<long> StorageRequests = Meter.CreateCounter<long>(
        "kamflows.storage.requests", "{request}", "HTTP requests sent to Azure Storage (retries included), by service: what storage bills.");

    internal static void StorageRequest(string service) =>
        StorageRequests.Add(1, new KeyValuePair<string, object?>("kamflows.storage.service", service));
}
