using Azure.Core;
using Azure.Core.Pipeline;

namespace KamFlows.Infrastructure.Storage;

/// <summary>
/// Counts every HTTP request the Azure SDK sends (retries included): KamFlows' own, per service, and the Durable Task
/// task hub's (its tables, queues and blobs together). Storage is billed per transaction.
/// </summary>
public sealed class StorageRequestCounter
{
    private readonly Counting _table = new("table");
    private readonly Counting _queue = new("queue");
    private readonly Counting _blob = new("blob");
    private readonly Counting _taskHub = new("taskhub");

    /// <summary>Requests to the Table service.</summary>
    public long Table => _table.Count;

    /// <summary>Requests to the Queue service.</summary>
    public long Queue => _queue.Count;

    /// <summary>Requests to the Blob service.</summary>
    public long Blob => _blob.Count;

    /// <summary>Requests of the Durable Task task hub (control and work-item queues, history and instance tables, leases).</summary>
    public long TaskHub => _taskHub.Count;

    /// <summary>All requests.</summary>
    public long Total => Table + Queue + Blob + TaskHub;

    /// <summary>The policy to add to Table clients.</summary>
    public HttpPipelinePolicy TablePolicy => _table;

    /// <summary>The policy to add to Queue clients.</summary>
    public HttpPipelinePolicy QueuePolicy => _queue;

    /// <summary>The policy to add to Blob clients.</summary>
    public HttpPipelinePolicy BlobPolicy => _blob;

    /// <summary>The policy to add to every client of the task hub.</summary>
    public HttpPipelinePolicy TaskHubPolicy => _taskHub;

    /// <summary>A snapshot, for differences over an interval.</summary>
    public (long Table, long Queue, long Blob, long TaskHub, long Total) Snapshot() => (Table, Queue, Blob, TaskHub, Total);

    private sealed class Counting(string service) : HttpPipelinePolicy
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Interlocked.Increment(ref _count);
            KamFlowsMetrics.StorageRequest(service);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Interlocked.Increment(ref _count);
            KamFlowsMetrics.StorageRequest(service);
            return ProcessNextAsync(message, pipeline);
        }
    }
}
