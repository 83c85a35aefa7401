// Every knob of the local engine in one place, checked once at start-up: a bad name or a timer interval that Azure
// Queues cannot honour must stop the process with a precise message, not strand instances in Running later.
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using DurableTask.AzureStorage;
using DurableTask.Core.Settings;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.Options;

namespace KamFlows.TaskHub;

/// <summary>
/// Settings of the local Durable Task engine: a task hub on Azure Storage (Azurite locally, a storage account with a
/// managed identity in Azure), the worker's concurrency and polling, timers and orchestration versioning.
/// </summary>
public sealed class TaskHubSettings
{
    /// <summary>The longest timer chunk Azure Queues accept is 7 days; 6 leaves a margin for clock skew.</summary>
    public static readonly TimeSpan MaximumAllowedTimerInterval = TimeSpan.FromDays(6);

    /// <summary>
    /// Name of the task hub: 3–45 letters or digits, starting with a letter. It prefixes every queue, table and blob
    /// container of the hub (e.g. <c>{name}-control-00</c>, <c>{name}History</c>, <c>{name}-largemessages</c>),
    /// so it must satisfy the strictest of the Azure Storage naming rules (tables: alphanumeric, starting with a letter).
    /// </summary>
    public string TaskHubName { get; set; } = "";

    /// <summary>Storage connection string (Azurite locally). Either this or the three service URIs with <see cref="TokenCredential"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Table service endpoint, used with <see cref="TokenCredential"/> (managed identity in Azure).</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Queue service endpoint, used with <see cref="TokenCredential"/>.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>Blob service endpoint, used with <see cref="TokenCredential"/>.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>Credential for the three service URIs (e.g. a managed identity credential).</summary>
    public TokenCredential? TokenCredential { get; set; }

    /// <summary>
    /// Number of control queues (partitions), 1–16. Fixed for the life of a task hub: changing it for an existing hub
    /// strands in-flight instances. It bounds how many workers share orchestration work (activities are shared freely).
    /// </summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>Longest back-off of an idle queue poll: the latency of the first message after a quiet spell, traded against idle storage requests.</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Messages fetched from a control queue per request (1–32).</summary>
    public int ControlQueueBatchSize { get; set; } = 32;

    /// <summary>Keep an orchestration in memory between steps instead of replaying it from its history each time.</summary>
    public bool ExtendedSessionsEnabled { get; set; }

    /// <summary>Orchestration work items processed at once by this worker.</summary>
    public int MaxConcurrentOrchestrations { get; set; } = 100;

    /// <summary>Activities run at once by this worker.</summary>
    public int MaxConcurrentActivities { get; set; } = 10;

    /// <summary>
    /// Longer durable timers are split by the SDK into chunks of at most this length (DurableTask.AzureStorage does not
    /// split them, and a queue message cannot stay invisible longer than 7 days). Default 3 days; at most 6 days.
    /// </summary>
    public TimeSpan MaximumTimerInterval { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// Round the visibility delay of timer messages (and scheduled starts) up by a second: Azure Queues count whole
    /// seconds and the storage SDK truncates, so without it a timer fires up to a second before its due time. With it,
    /// a timer of a second or more fires at or after its due time, at most about a second late.
    /// </summary>
    public bool TimersNeverEarly { get; set; } = true;

    /// <summary>Run the worker in this process. A process that only starts and queries instances sets this to false.</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>
    /// Orchestration version stamped on new instances (and sub-orchestrations) when the caller gives none; orchestrators
    /// read it as <c>context.Version</c>. It is also the worker's own version for <see cref="VersionMatchStrategy"/>.
    /// </summary>
    public string DefaultVersion { get; set; } = "1";

    /// <summary>
    /// Which instance versions this worker runs (DurableTask.Core's worker versioning). Default: the worker's version
    /// (<see cref="DefaultVersion"/>) or older, so a worker that is not yet upgraded leaves newer instances to newer workers.
    /// </summary>
    public VersioningSettings.VersionMatchStrategy VersionMatchStrategy { get; set; } = VersioningSettings.VersionMatchStrategy.CurrentOrOlder;

    /// <summary>What happens to an instance whose version does not match: left in the queue (Reject, retried with back-off) or failed.</summary>
    public VersioningSettings.VersionFailureStrategy VersionFailureStrategy { get; set; } = VersioningSettings.VersionFailureStrategy.Reject;

    /// <summary>
    /// Identity of this worker in the partition table; defaults to the machine name. Two worker processes on one
    /// machine need different ids; a restarted process with the same id resumes its partitions at once.
    /// </summary>
    public string? WorkerId { get; set; }

    /// <summary>
    /// How long a dequeued orchestration message stays invisible to other workers. DurableTask.Core renews it 30 s
    /// before it lapses while the message is processed; after a crash, or when a partition moves between workers while
    /// its messages are in memory, it is the delay before the message is seen again. 1 minute (DurableTask.AzureStorage: 5).
    /// </summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The same for activity messages (renewed while the activity runs). 1 minute.</summary>
    public TimeSpan WorkItemQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Time allowed for one read-and-write of the partition (lease) table. DurableTask.AzureStorage's 2 s was too short
    /// on a loaded machine where Azurite is one Node.js thread: renewals timed out, leases lapsed and partitions moved
    /// between two workers mid-work, stranding messages until their visibility timeout. 10 s.
    /// </summary>
    public TimeSpan PartitionTableOperationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a graceful stop may take before the worker is stopped forcibly.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Serializer for inputs, outputs, events and custom status, shared by the worker's shims and the client.</summary>
    public DataConverter DataConverter { get; set; } = JsonDataConverter.Default;

    /// <summary>
    /// Policies added to every storage client (blob, queue, table) at <see cref="HttpPipelinePosition.PerRetry"/>,
    /// so they see every request sent, retries included (the host counts storage requests with one).
    /// </summary>
    public IList<HttpPipelinePolicy> StoragePipelinePolicies { get; } = new List<HttpPipelinePolicy>();

    /// <summary>Last word on DurableTask.AzureStorage's own settings (lease intervals and the like), applied after everything above.</summary>
    public Action<AzureStorageOrchestrationServiceSettings>? ConfigureStorageService { get; set; }
}

/// <summary>Checks <see cref="TaskHubSettings"/> when they are first read (at start-up), with one precise message per problem.</summary>
internal sealed partial class TaskHubSettingsValidator : IValidateOptions<TaskHubSettings>
{
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$", RegexOptions.CultureInvariant)]
    private static partial Regex TaskHubNamePattern();

    public ValidateOptionsResult Validate(string? name, TaskHubSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Errors(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static IEnumerable<string> Errors(TaskHubSettings o)
    {
        const string P = "KamFlows task hub: ";
        if (string.IsNullOrEmpty(o.TaskHubName) || !TaskHubNamePattern().IsMatch(o.TaskHubName))
        {
            yield return P + $"TaskHubName '{o.TaskHubName}' is invalid: it must be 3 to 45 characters, letters (A-Z, a-z) and digits only, starting with a letter " +
                         "(it prefixes the hub's queues, tables and blob containers).";
        }

        var anyUri = o.TableServiceUri is not null || o.QueueServiceUri is not null || o.BlobServiceUri is not null;
        var hasConnectionString = !string.IsNullOrWhiteSpace(o.ConnectionString);
        if (hasConnectionString && (anyUri || o.TokenCredential is not null))
        {
            yield return P + "set either ConnectionString or TableServiceUri, QueueServiceUri, BlobServiceUri and TokenCredential, not both.";
        }
        else if (!hasConnectionString)
        {
            var missing = new[]
            {
                o.TableServiceUri is null ? nameof(o.TableServiceUri) : null,
                o.QueueServiceUri is null ? nameof(o.QueueServiceUri) : null,
                o.BlobServiceUri is null ? nameof(o.BlobServiceUri) : null,
                o.TokenCredential is null ? nameof(o.TokenCredential) : null,
            }.OfType<string>().ToList();
            if (missing.Count == 4)
            {
                yield return P + "no storage configured: set ConnectionString, or TableServiceUri, QueueServiceUri, BlobServiceUri and TokenCredential.";
            }
            else if (missing.Count > 0)
            {
                yield return P + $"identity-based storage needs {string.Join(", ", missing)} as well.";
            }

            foreach (var (uri, label) in new[] { (o.TableServiceUri, nameof(o.TableServiceUri)), (o.QueueServiceUri, nameof(o.QueueServiceUri)), (o.BlobServiceUri, nameof(o.BlobServiceUri)) })
            {
                if (uri is not null && (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
                {
                    yield return P + $"{label} '{uri}' must be an absolute http(s) URI.";
                }
            }
        }

        if (o.PartitionCount is < 1 or > 16)
        {
            yield return P + $"PartitionCount {o.PartitionCount} is out of range: 1 to 16.";
        }

        if (o.ControlQueueBatchSize is < 1 or > 32)
        {
            yield return P + $"ControlQueueBatchSize {o.ControlQueueBatchSize} is out of range: 1 to 32 (the most Azure Queues return per request).";
        }

        if (o.MaxQueuePollingInterval < TimeSpan.FromMilliseconds(100) || o.MaxQueuePollingInterval > TimeSpan.FromMinutes(5))
        {
            yield return P + $"MaxQueuePollingInterval {o.MaxQueuePollingInterval} is out of range: 100 ms to 5 minutes.";
        }

        if (o.MaxConcurrentOrchestrations < 1)
        {
            yield return P + $"MaxConcurrentOrchestrations must be at least 1 (was {o.MaxConcurrentOrchestrations}).";
        }

        if (o.MaxConcurrentActivities < 1)
        {
            yield return P + $"MaxConcurrentActivities must be at least 1 (was {o.MaxConcurrentActivities}).";
        }

        if (o.MaximumTimerInterval <= TimeSpan.Zero || o.MaximumTimerInterval > TaskHubSettings.MaximumAllowedTimerInterval)
        {
            yield return P + $"MaximumTimerInterval {o.MaximumTimerInterval} is out of range: more than zero and at most 6 days " +
                         "(DurableTask.AzureStorage does not split timers, and Azure Queues refuse a message visibility delay over 7 days).";
        }

        if (string.IsNullOrWhiteSpace(o.DefaultVersion))
        {
            yield return P + "DefaultVersion must not be empty (it is stamped on new instances and read as context.Version).";
        }

        if (o.WorkerId is not null && string.IsNullOrWhiteSpace(o.WorkerId))
        {
            yield return P + "WorkerId must not be blank (leave it null for the machine name).";
        }

        if (o.ControlQueueVisibilityTimeout < TimeSpan.FromSeconds(5) || o.WorkItemQueueVisibilityTimeout < TimeSpan.FromSeconds(5))
        {
            yield return P + "ControlQueueVisibilityTimeout and WorkItemQueueVisibilityTimeout must be at least 5 seconds (messages are renewed while processed).";
        }

        if (o.PartitionTableOperationTimeout < TimeSpan.FromSeconds(1) || o.PartitionTableOperationTimeout >= TimeSpan.FromSeconds(30))
        {
            yield return P + $"PartitionTableOperationTimeout {o.PartitionTableOperationTimeout} is out of range: 1 s to less than 30 s (the lease interval).";
        }

        if (o.ShutdownTimeout < TimeSpan.Zero)
        {
            yield return P + "ShutdownTimeout must not be negative.";
        }

        if (o.DataConverter is null)
        {
            yield return P + "DataConverter must be set.";
        }
    }
}
