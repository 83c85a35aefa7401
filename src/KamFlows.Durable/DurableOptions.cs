using System.Text.RegularExpressions;
using Azure.Core;

namespace KamFlows.Durable;

/// <summary>Settings of the durable runtime. Validated at start-up; every error names the setting.</summary>
public sealed partial class DurableOptions
{
    /// <summary>Prefix of every table, queue and container (letters and digits, 3–20, starting with a letter).</summary>
    public string TaskHub { get; set; } = "kamflows";

    /// <summary>Storage connection string (Azurite, or an account key where allowed).</summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>Table service endpoint, with <see cref="Credential"/> (managed identity in Azure).</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Queue service endpoint, with <see cref="Credential"/>.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>Blob service endpoint, with <see cref="Credential"/>.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>Credential for the service endpoints.</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>
    /// How long a host owns a work item (queue message invisibility and the instance's activity claim) before
    /// another host may take over after a crash. Renewed while work goes on.
    /// </summary>
    public TimeSpan WorkItemLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Work items (instances) processed at once by this host.</summary>
    public int MaxConcurrentWorkItems { get; set; } = 64;

    /// <summary>Activities executed at once by this host.</summary>
    public int MaxConcurrentActivities { get; set; } = 64;

    /// <summary>Receives after which a failing message is parked and its instance marked Failed.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Longest wait between queue polls when idle (local mode).</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the due-time index is read (local mode).</summary>
    public TimeSpan TimerScanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How far ahead a scan loads timers into memory to fire them on time; more than the scan interval.</summary>
    public TimeSpan TimerLookahead { get; set; } = TimeSpan.FromSeconds(75);

    /// <summary>Inbox messages applied in one step (each costs one operation of a 100-operation transaction).</summary>
    public int MaxInboxMessagesPerStep { get; set; } = 64;

    /// <summary>How long an event id is remembered after its event was applied, to refuse a re-send as duplicate.</summary>
    public TimeSpan EventIdRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>First delay before a failed work message is retried; doubles per attempt, at most one minute.</summary>
    public TimeSpan RetryBackoffBase { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Payloads longer than this (characters) are stored in blobs instead of table rows.</summary>
    public int MaxInlinePayloadChars { get; set; } = 16 * 1024;

    /// <summary>How long an instance may wait for an orchestrator version this host does not have before it is failed.</summary>
    public TimeSpan MissingVersionPatience { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How soon a host without the instance's orchestrator version hands the work back to the queue.</summary>
    public TimeSpan MissingVersionRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Run the queue and timer loops in this process (false in Azure Functions, where triggers drive them).</summary>
    public bool RunBackgroundLoops { get; set; } = true;

    /// <summary>JSON used for inputs, outputs and event data.</summary>
    public DataConverter DataConverter { get; set; } = DataConverter.Default;

    /// <summary>Returns the problems, each naming its setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(TaskHub) || !TaskHubPattern().IsMatch(TaskHub))
        {
            errors.Add($"TaskHub '{TaskHub}' must be 3–20 letters or digits starting with a letter (it prefixes table and queue names).");
        }

        var hasUris = TableServiceUri is not null || QueueServiceUri is not null || BlobServiceUri is not null;
        if (string.IsNullOrWhiteSpace(StorageConnectionString) && !hasUris)
        {
            errors.Add("Storage is not configured: set StorageConnectionString, or TableServiceUri, QueueServiceUri and BlobServiceUri with a Credential.");
        }

        if (hasUris && (TableServiceUri is null || QueueServiceUri is null || BlobServiceUri is null || Credential is null))
        {
            errors.Add("TableServiceUri, QueueServiceUri, BlobServiceUri and Credential must be set together.");
        }

        Positive(errors, nameof(WorkItemLease), WorkItemLease, TimeSpan.FromSeconds(1));
        Positive(errors, nameof(MaxPollInterval), MaxPollInterval, TimeSpan.FromMilliseconds(10));
        Positive(errors, nameof(TimerScanInterval), TimerScanInterval, TimeSpan.FromMilliseconds(10));
        if (TimerLookahead <= TimerScanInterval)
        {
            errors.Add($"TimerLookahead ({TimerLookahead}) must be longer than TimerScanInterval ({TimerScanInterval}), or timers would fire late.");
        }

        if (MaxConcurrentWorkItems < 1) { errors.Add("MaxConcurrentWorkItems must be at least 1."); }
        if (MaxConcurrentActivities < 1) { errors.Add("MaxConcurrentActivities must be at least 1."); }
        if (MaxDequeueCount < 1) { errors.Add("MaxDequeueCount must be at least 1."); }
        if (MaxInboxMessagesPerStep is < 1 or > 80) { errors.Add("MaxInboxMessagesPerStep must be between 1 and 80."); }
        if (MaxInlinePayloadChars is < 256 or > 30_000) { errors.Add("MaxInlinePayloadChars must be between 256 and 30000."); }
        return errors;
    }

    private static void Positive(List<string> errors, string name, TimeSpan value, TimeSpan minimum)
    {
        if (value < minimum)
        {
            errors.Add($"{name} must be at least {minimum}.");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,19}$")]
    private static partial Regex TaskHubPattern();
}
