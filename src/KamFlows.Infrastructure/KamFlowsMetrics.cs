using System.Diagnostics.Metrics;

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

    internal static void StorageRequest(string service) => StorageRequests.Add(1, new KeyValuePair<string, object?>("kamflows.storage.service", service));

    internal static void Email(string outcome) => EmailMessages.Add(1, new KeyValuePair<string, object?>("kamflows.outcome", outcome));
}
