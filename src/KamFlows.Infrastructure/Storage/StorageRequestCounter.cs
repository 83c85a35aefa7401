using Azure.Core;
using Azure.Core.Pipeline;

namespace KamFlows.Infrastructure.Storage;

/// <summary>
/// Counts every HTTP request the Azure SDK sends (retries included), per service. Storage is billed per
/// transaction, so this is what the benchmark reports as "storage transactions".
/// </summary>
public sealed class StorageRequestCounter
{
    private readonly Counting _table = new("table");
    private readonly Counting _queue = new("queue");
    private readonly Counting _blob = new("blob");

    /// <summary>Requests to the Table service.</summary>
    public long Table => _table.Count;

    /// <summary>Requests to the Queue service.</summary>
    public long Queue => _queue.Count;

    /// <summary>Requests to the Blob service.</summary>
    public long Blob => _blob.Count;

    /// <summary>All requests.</summary>
    public long Total => Table + Queue + Blob;

    /// <summary>The policy to add to Table clients.</summary>
    public HttpPipelinePolicy TablePolicy => _table;

    /// <summary>The policy to add to Queue clients.</summary>
    public HttpPipelinePolicy QueuePolicy => _queue;

    /// <summary>The policy to add to Blob clients.</summary>
    public HttpPipelinePolicy BlobPolicy => _blob;

    /// <summary>A snapshot, for differences over an interval.</summary>
    public (long Table, long Queue, long Blob, long Total) Snapshot() => (Table, Queue, Blob, Total);

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
