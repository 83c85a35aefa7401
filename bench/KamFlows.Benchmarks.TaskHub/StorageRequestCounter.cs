// Counts every HTTP request the storage clients send (retries included), by service, as the host will.
using Azure.Core;
using Azure.Core.Pipeline;

namespace KamFlows.Benchmarks.TaskHub;

public sealed class StorageRequestCounter(int blobPort, int queuePort, int tablePort) : HttpPipelineSynchronousPolicy
{
    private long _blob;
    private long _queue;
    private long _table;

    public (long Total, long Blob, long Queue, long Table) Snapshot()
    {
        var b = Interlocked.Read(ref _blob);
        var q = Interlocked.Read(ref _queue);
        var t = Interlocked.Read(ref _table);
        return (b + q + t, b, q, t);
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var port = message.Request.Uri.Port;
        if (port == queuePort)
        {
            Interlocked.Increment(ref _queue);
        }
        else if (port == tablePort)
        {
            Interlocked.Increment(ref _table);
        }
        else if (port == blobPort)
        {
            Interlocked.Increment(ref _blob);
        }
    }
}
