using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using KamFlows.Infrastructure.Intake;

namespace KamFlows.Infrastructure;

/// <summary>Business-level metrics (events taken in, emails sent), exported by the host with OpenTelemetry when configured.</summary>
public static class KamFlowsMetrics
{
    /// <summary>The Meter name.</summary>
    public const string Name = "KamFlows";

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> IntakeEvents = Meter.CreateCounter<long>(
        "kamflows.intake.events", "{event}", "Webhook events stored (accepted) or recognised as already stored (duplicate), by source.");

    private static readonly Counter<long> EmailMessages = Meter.CreateCounter<long>(
        "kamflows.email.messages", "{message}", "Outbox messages by outcome: sent, retried, failed, postponed (quiet hours, budget), suppressed.");

    private static readonly Counter<long> StorageRequests = Meter.CreateCounter<long>(
        "kamflows.storage.requests", "{request}", "HTTP requests to Azure Storage (what storage bills), by service; the task hub's included.");

    private static readonly Counter<long> IntakeProcessed = Meter.CreateCounter<long>(
        "kamflows.intake.processed", "{event}", "Accepted events by processing outcome: processed (applied and delivered), retried, parked (failed for good).");

    private static readonly Histogram<double> IntakeDelay = Meter.CreateHistogram<double>(
        "kamflows.intake.delay", "s", "From an event's acceptance (202) to the end of its processing: applied to the account and timeline, delivered to its workflows.");

    private static readonly Counter<long> AccountWriteConflicts = Meter.CreateCounter<long>(
        "kamflows.account.write_conflicts", "{conflict}", "Account-store writes refused because another writer changed the row first (each is read again and recomputed).");

    // Backlogs of the intake processors of this process (one per task hub; tests run several).
    private static readonly ConcurrentDictionary<IntakeProcessor, string> BacklogSources = new();

    private static readonly ObservableGauge<long> IntakePending = Meter.CreateObservableGauge(
        "kamflows.intake.pending", () => BacklogSources.SelectMany(s => s.Key.Backlog().Shards.Select(shard =>
            new Measurement<long>(shard.Pending, new("kamflows.taskhub", s.Value), new("kamflows.intake.shard", shard.Shard)))),
        "{event}", "Accepted events not processed yet, per intake shard, as the processor last read them.");

    private static readonly ObservableGauge<double> IntakeOldestPendingAge = Meter.CreateObservableGauge(
        "kamflows.intake.oldest_pending_age", () => BacklogSources.Select(s =>
            new Measurement<double>(s.Key.Backlog().OldestPendingAge.TotalSeconds, new KeyValuePair<string, object?>("kamflows.taskhub", s.Value))),
        "s", "Age of the oldest accepted event not processed yet (0 when none).");

    /// <summary>Counts events of one webhook request.</summary>
    public static void EventsTaken(string source, int accepted, int duplicates)
    {
        if (accepted > 0)
        {
            IntakeEvents.Add(accepted, new("kamflows.source", source), new("kamflows.disposition", "accepted"));
        }

        if (duplicates > 0)
        {
            IntakeEvents.Add(duplicates, new("kamflows.source", source), new("kamflows.disposition", "duplicate"));
        }
    }

    internal static void EventsProcessed(string outcome, int count) =>
        IntakeProcessed.Add(count, new KeyValuePair<string, object?>("kamflows.outcome", outcome));

    internal static void EventDelay(TimeSpan delay) => IntakeDelay.Record(Math.Max(0, delay.TotalSeconds));

    internal static void AccountWriteConflict() => AccountWriteConflicts.Add(1);

    internal static void ObserveBacklog(IntakeProcessor processor, string taskHub) => BacklogSources[processor] = taskHub;

    internal static void StopObservingBacklog(IntakeProcessor processor) => BacklogSources.TryRemove(processor, out _);

    internal static void StorageRequest(string service) => StorageRequests.Add(1, new KeyValuePair<string, object?>("kamflows.storage.service", service));

    internal static void Email(string outcome) => EmailMessages.Add(1, new KeyValuePair<string, object?>("kamflows.outcome", outcome));
}
