using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace KamFlows.Infrastructure.Storage;

/// <summary>
/// Service clients for KamFlows' own tables, queues and blobs (the runtime has its own, built from the same settings).
/// Every request is counted by the shared <see cref="StorageRequestCounter"/>.
/// </summary>
public sealed class StorageClients
{
    public StorageClients(ResolvedStorage storage, StorageRequestCounter counter)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(counter);
        TaskHub = storage.TaskHub;
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(counter.TablePolicy, Azure.Core.HttpPipelinePosition.PerRetry);
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        queueOptions.AddPolicy(counter.QueuePolicy, Azure.Core.HttpPipelinePosition.PerRetry);
        var blobOptions = new BlobClientOptions();
        blobOptions.AddPolicy(counter.BlobPolicy, Azure.Core.HttpPipelinePosition.PerRetry);
        if (storage.ConnectionString is { } cs)
        {
            Tables = new TableServiceClient(cs, tableOptions);
            Queues = new QueueServiceClient(cs, queueOptions);
            Blobs = new BlobServiceClient(cs, blobOptions);
        }
        else
        {
            Tables = new TableServiceClient(storage.TableServiceUri!, storage.Credential!, tableOptions);
            Queues = new QueueServiceClient(storage.QueueServiceUri!, storage.Credential!, queueOptions);
            Blobs = new BlobServiceClient(storage.BlobServiceUri!, storage.Credential!, blobOptions);
        }
    }

    public string TaskHub { get; }

    public TableServiceClient Tables { get; }

    public QueueServiceClient Queues { get; }

    public BlobServiceClient Blobs { get; }

    /// <summary>A KamFlows table: the task hub prefix plus <paramref name="name"/> (e.g. kamflowsAccounts).</summary>
    public TableClient Table(string name) => Tables.GetTableClient(TaskHub + name);
}

/// <summary>Storage settings after start-up decided where storage is (configured, or the embedded Azurite).</summary>
public sealed record ResolvedStorage
{
    public required string TaskHub { get; init; }

    public string? ConnectionString { get; init; }

    public Uri? TableServiceUri { get; init; }

    public Uri? QueueServiceUri { get; init; }

    public Uri? BlobServiceUri { get; init; }

    public TokenCredential? Credential { get; init; }

    /// <summary>What to print at start-up (never a secret).</summary>
    public required string Description { get; init; }

    public static ResolvedStorage FromOptions(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new ResolvedStorage { TaskHub = options.TaskHub, ConnectionString = options.ConnectionString, Description = "configured connection string" };
        }

        var missing = new[] { (options.TableServiceUri, "TableServiceUri"), (options.QueueServiceUri, "QueueServiceUri"), (options.BlobServiceUri, "BlobServiceUri") }
            .Where(x => x.Item1 is null).Select(x => $"{StorageOptions.Section}:{x.Item2}").ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"Storage service URIs are partly configured; also set {string.Join(", ", missing)}.");
        }

        TokenCredential credential = string.IsNullOrWhiteSpace(options.ClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ClientId));
        return new ResolvedStorage
        {
            TaskHub = options.TaskHub,
            TableServiceUri = options.TableServiceUri,
            QueueServiceUri = options.QueueServiceUri,
            BlobServiceUri = options.BlobServiceUri,
            Credential = credential,
            Description = $"{options.TableServiceUri!.Host} with {(string.IsNullOrWhiteSpace(options.ClientId) ? "the default Azure credential" : "managed identity " + options.ClientId)}",
        };
    }
}
