using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace KamFlows.Durable.Storage;

/// <summary>
/// The task hub's storage: the Instances table (one partition per instance: instance row, history, inbox),
/// the Timers table (due-time index), the work queue, the poison queue and the payload container.
/// The same code runs against Azurite and Azure.
/// </summary>
public sealed class DurableStorage
{
    private readonly Lazy<Task> _created;

    /// <summary>Creates the clients (no network call).</summary>
    public DurableStorage(DurableOptions options, StorageRequestCounter counter)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(counter);
        Counter = counter;
        var hub = options.TaskHub;
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(counter.TablePolicy, HttpPipelinePosition.PerRetry);
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        queueOptions.AddPolicy(counter.QueuePolicy, HttpPipelinePosition.PerRetry);
        var blobOptions = new BlobClientOptions();
        blobOptions.AddPolicy(counter.BlobPolicy, HttpPipelinePosition.PerRetry);

        TableServiceClient tables;
        QueueServiceClient queues;
        BlobServiceClient blobs;
        if (!string.IsNullOrWhiteSpace(options.StorageConnectionString))
        {
            tables = new TableServiceClient(options.StorageConnectionString, tableOptions);
            queues = new QueueServiceClient(options.StorageConnectionString, queueOptions);
            blobs = new BlobServiceClient(options.StorageConnectionString, blobOptions);
        }
        else
        {
            tables = new TableServiceClient(options.TableServiceUri!, options.Credential!, tableOptions);
            queues = new QueueServiceClient(options.QueueServiceUri!, options.Credential!, queueOptions);
            blobs = new BlobServiceClient(options.BlobServiceUri!, options.Credential!, blobOptions);
        }

        Instances = tables.GetTableClient(hub + "Instances");
        Timers = tables.GetTableClient(hub + "Timers");
        WorkQueue = queues.GetQueueClient(hub.ToLowerInvariant() + "-work");
        PoisonQueue = queues.GetQueueClient(hub.ToLowerInvariant() + "-poison");
        Payloads = blobs.GetBlobContainerClient(hub.ToLowerInvariant() + "-payloads");
        _created = new Lazy<Task>(CreateAllAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Counts requests sent by these clients.</summary>
    public StorageRequestCounter Counter { get; }

    internal TableClient Instances { get; }
    internal TableClient Timers { get; }
    internal QueueClient WorkQueue { get; }
    internal QueueClient PoisonQueue { get; }
    internal BlobContainerClient Payloads { get; }

    /// <summary>Creates the tables, queues and container if missing (once per process).</summary>
    public Task EnsureCreatedAsync() => _created.Value;

    private async Task CreateAllAsync()
    {
        await Task.WhenAll(
            Instances.CreateIfNotExistsAsync(),
            Timers.CreateIfNotExistsAsync(),
            WorkQueue.CreateIfNotExistsAsync(),
            PoisonQueue.CreateIfNotExistsAsync(),
            Payloads.CreateIfNotExistsAsync()).ConfigureAwait(false);
    }
}
