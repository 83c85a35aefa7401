// The one place TaskHubSettings become DurableTask.AzureStorage settings, so the worker and a client-only process
// talk to the same queues, tables and containers with the same pipeline policies.
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging;

namespace KamFlows.TaskHub;

/// <summary>Builds the Azure Storage orchestration service from <see cref="TaskHubSettings"/>.</summary>
public static class StorageServiceFactory
{
    /// <summary>DurableTask.AzureStorage settings for <paramref name="settings"/> (validated first).</summary>
    public static AzureStorageOrchestrationServiceSettings CreateServiceSettings(TaskHubSettings settings, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var errors = TaskHubSettingsValidator.Errors(settings).ToList();
        if (errors.Count > 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(nameof(TaskHubSettings), typeof(TaskHubSettings), errors);
        }

        var service = new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = settings.TaskHubName,
            StorageAccountClientProvider = CreateClientProvider(settings),
            PartitionCount = settings.PartitionCount,
            MaxQueuePollingInterval = settings.MaxQueuePollingInterval,
            ControlQueueBatchSize = settings.ControlQueueBatchSize,
            ExtendedSessionsEnabled = settings.ExtendedSessionsEnabled,
            MaxConcurrentTaskOrchestrationWorkItems = settings.MaxConcurrentOrchestrations,
            MaxConcurrentTaskActivityWorkItems = settings.MaxConcurrentActivities,
            ControlQueueVisibilityTimeout = settings.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = settings.WorkItemQueueVisibilityTimeout,
            PartitionTableOperationTimeout = settings.PartitionTableOperationTimeout,
            WorkerId = settings.WorkerId ?? Environment.MachineName,
            // A start for an id whose status is in the caller's dedupe list must fail loudly, not be dropped silently.
            ThrowExceptionOnInvalidDedupeStatus = true,
            LoggerFactory = loggerFactory,
        };
        settings.ConfigureStorageService?.Invoke(service);
        return service;
    }

    /// <summary>The orchestration service (worker side and client side of the same task hub).</summary>
    public static AzureStorageOrchestrationService Create(TaskHubSettings settings, ILoggerFactory loggerFactory) =>
        new(CreateServiceSettings(settings, loggerFactory));

    private static StorageAccountClientProvider CreateClientProvider(TaskHubSettings s)
    {
        var blobOptions = new BlobClientOptions();
        var queueOptions = new QueueClientOptions();
        var tableOptions = new TableClientOptions();
        if (s.TimersNeverEarly)
        {
            queueOptions.AddPolicy(new NeverEarlyTimersPolicy(), HttpPipelinePosition.PerCall);
        }

        foreach (var policy in s.StoragePipelinePolicies)
        {
            blobOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
            queueOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
            tableOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }

        if (!string.IsNullOrWhiteSpace(s.ConnectionString))
        {
            return new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(s.ConnectionString, blobOptions),
                StorageServiceClientProvider.ForQueue(s.ConnectionString, queueOptions),
                StorageServiceClientProvider.ForTable(s.ConnectionString, tableOptions));
        }

        return new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(s.BlobServiceUri!, s.TokenCredential!, blobOptions),
            StorageServiceClientProvider.ForQueue(s.QueueServiceUri!, s.TokenCredential!, queueOptions),
            StorageServiceClientProvider.ForTable(s.TableServiceUri!, s.TokenCredential!, tableOptions));
    }
}
