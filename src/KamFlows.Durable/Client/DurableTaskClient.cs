// Starts, signals, inspects and manages instances. Invariants: every write lands in the instance's partition
// first and the wake-up message is sent after it, so a failed call can simply be retried: starts with the same
// instance id and input, and events with the same EventId, are idempotent and re-send the wake-up.
using System.Text;
using Azure.Data.Tables;
using KamFlows.Durable.History;
using KamFlows.Durable.Storage;
using KamFlows.Durable.Worker;

namespace KamFlows.Durable;

/// <summary>The client API of the runtime.</summary>
public sealed class DurableTaskClient
{
    private readonly InstanceStore _store;
    private readonly TimerIndex _timers;
    private readonly WorkQueue _queue;
    private readonly DurableStorage _storage;
    private readonly DurableTaskRegistry _registry;
    private readonly DurableOptions _options;
    private readonly TimeProvider _clock;
    private readonly TimeProvider _leaseClock;
    private readonly InstanceEvents _events;

    internal DurableTaskClient(InstanceStore store, TimerIndex timers, WorkQueue queue, DurableStorage storage, DurableTaskRegistry registry,
        DurableOptions options, TimeProvider clock, DurableHostIdentity host, InstanceEvents events)
    {
        _store = store;
        _timers = timers;
        _queue = queue;
        _storage = storage;
        _registry = registry;
        _options = options;
        _clock = clock;
        _leaseClock = host.LeaseClock;
        _events = events;
    }

    /// <summary>Starts an instance. With an existing id: finished instances get a new execution; a pending one with the same
    /// input is accepted again (a retried call); anything else throws <see cref="OrchestrationAlreadyExistsException"/>.</summary>
    public async Task<string> ScheduleNewOrchestrationInstanceAsync(string orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        await _storage.EnsureCreatedAsync().ConfigureAwait(false);
        var record = NewRecord(orchestratorName, options?.InstanceId ?? Guid.NewGuid().ToString("N"), options?.Version, _options.DataConverter.Serialize(input), options?.StartAt);
        if (record.ScheduledStartAt is { } at)
        {
            await _timers.UpsertAsync([TimerRow.For(record.InstanceId, record.ExecutionId, TimerRow.StartTaskId, at)], cancellationToken).ConfigureAwait(false);
        }

        while (!await _store.TryCreateAsync(record, null, cancellationToken).ConfigureAwait(false))
        {
            var existing = await _store.GetRecordAsync(record.InstanceId, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                continue; // Purged meanwhile.
            }

            if (existing.Status == OrchestrationRuntimeStatus.Pending && existing.Name == record.Name
                && await _store.Payloads.ResolveAsync(existing.Input, cancellationToken).ConfigureAwait(false) == record.Input)
            {
                break; // The same start, retried: make sure its wake-up exists.
            }

            if (!existing.IsTerminal)
            {
                throw new OrchestrationAlreadyExistsException(record.InstanceId, existing.Status);
            }

            if (await _store.TryReplaceAsync(record with { ETag = existing.ETag, CreatedAt = record.CreatedAt }, null, cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }

        if (record.ScheduledStartAt is null)
        {
            await _queue.EnqueueAsync(new WorkMessage { InstanceId = record.InstanceId, Reason = "start" }, null, cancellationToken).ConfigureAwait(false);
        }

        return record.InstanceId;
    }

    /// <summary>Delivers an event. With <see cref="RaiseEventOptions.StartOrchestratorName"/>, starts the instance if needed (signal-with-start).</summary>
    public async Task<RaiseEventResult> RaiseEventAsync(string instanceId, string eventName, object? eventData = null, RaiseEventOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        KeyEncoding.ValidateInstanceId(instanceId);
        await _storage.EnsureCreatedAsync().ConfigureAwait(false);
        var ticks = _leaseClock.GetUtcNow().UtcTicks;
        var message = new InboxMessage
        {
            RowKey = options?.EventId is { } eventId ? InboxMessage.EventRowKey(eventId) : InboxMessage.NewRowKey(ticks),
            Kind = InboxKind.EventRaised,
            Name = eventName,
            Payload = _options.DataConverter.Serialize(eventData),
            Order = ticks,
        };

        var result = await DeliverAsync(instanceId, message, options, cancellationToken).ConfigureAwait(false);
        if (result != RaiseEventResult.InstanceNotFound)
        {
            await _queue.EnqueueAsync(new WorkMessage { InstanceId = instanceId, Reason = "event" }, null, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Stops an instance; it ends Terminated with <paramref name="reason"/> as output. False if it does not exist.</summary>
    public Task<bool> TerminateInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        ControlAsync(instanceId, InboxKind.Terminate, reason, cancellationToken);

    /// <summary>Pauses an instance: events and results are kept, the orchestrator does not run until resumed.</summary>
    public Task<bool> SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        ControlAsync(instanceId, InboxKind.Suspend, reason, cancellationToken);

    /// <summary>Resumes a suspended instance.</summary>
    public Task<bool> ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        ControlAsync(instanceId, InboxKind.Resume, reason, cancellationToken);

    /// <summary>Reads an instance; null if it does not exist.</summary>
    public async Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default)
    {
        KeyEncoding.ValidateInstanceId(instanceId);
        await _storage.EnsureCreatedAsync().ConfigureAwait(false);
        var record = await _store.GetRecordAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return record is null ? null : await ToMetadataAsync(record, getInputsAndOutputs, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The current execution's history, oldest first.</summary>
    public async Task<IReadOnlyList<HistoryEvent>> GetInstanceHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        KeyEncoding.ValidateInstanceId(instanceId);
        await _storage.EnsureCreatedAsync().ConfigureAwait(false);
        return await _store.GetHistoryAsync(instanceId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists instances matching <paramref name="query"/>, one page at a time.</summary>
    public async Task<OrchestrationQueryPage> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.PageSize is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.PageSize, "PageSize must be between 1 and 1000.");
        }

        await _storage.EnsureCreatedAsync().ConfigureAwait(false);
        var filter = BuildFilter(query);
        var token = query.ContinuationToken;
        var results = new List<OrchestrationMetadata>();
        // The service may return empty pages with a token (server-side filtering); keep reading a few.
        for (var reads = 0; reads < 20 && results.Count == 0; reads++)
        {
            Azure.Page<TableEntity>? page = null;
            await foreach (var p in _storage.Instances.QueryAsync<TableEntity>(filter, maxPerPage: query.PageSize, cancellationToken: cancellationToken)
                               .AsPages(token, query.PageSize).ConfigureAwait(false))
            {
                page = p;
                break;
            }

            if (page is null)
            {
                token = null;
                break;
            }

            foreach (var e in page.Values)
            {
                var record = InstanceRecord.FromEntity(e);
                if (query.CustomStatusContains is { } text)
                {
                    var status = await _store.Payloads.ResolveAsync(record.CustomStatus, cancellationToken).ConfigureAwait(false);
                    if (status is null || !status.Contains(text, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }
                }

                results.Add(await ToMetadataAsync(record, query.FetchInputsAndOutputs, cancellationToken).ConfigureAwait(false));
            }

            token = page.ContinuationToken;
            if (token is null)
            {
                break;
            }
        }

        return new OrchestrationQueryPage(results, token);
    }

    /// <summary>Deletes a finished instance and everything it stored. False if it does not exist.</summary>
    public async Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var record = await GetRecordOrNullAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return false;
        }

        if (!record.IsTerminal)
        {
            throw new InvalidOperationException($"Instance '{instanceId}' is {record.Status}; only Completed, Failed or Terminated instances can be purged. Terminate it first.");
        }

        await _store.DeletePartitionAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Purges every finished instance matching the filter; returns how many.</summary>
    public async Task<int> PurgeInstancesAsync(DateTimeOffset? createdFrom, DateTimeOffset? createdTo, IReadOnlyCollection<OrchestrationRuntimeStatus>? statuses = null, CancellationToken cancellationToken = default)
    {
        var terminal = (statuses is { Count: > 0 } ? statuses : [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated])
            .Where(s => s is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated).ToList();
        var purged = 0;
        string? token = null;
        do
        {
            var page = await QueryInstancesAsync(new OrchestrationQuery { Statuses = terminal, CreatedFrom = createdFrom, CreatedTo = createdTo, PageSize = 500, ContinuationToken = token }, cancellationToken).ConfigureAwait(false);
            foreach (var i in page.Instances)
            {
                await _store.DeletePartitionAsync(i.InstanceId, cancellationToken).ConfigureAwait(false);
                purged++;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
        return purged;
    }

    /// <summary>Starts a finished instance again with its original input (same id, or a new one).</summary>
    public async Task<string> RestartAsync(string instanceId, bool restartWithNewInstanceId = false, CancellationToken cancellationToken = default)
    {
        var record = await GetRecordOrNullAsync(instanceId, cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException($"Instance '{instanceId}' does not exist.", nameof(instanceId));
        if (!restartWithNewInstanceId && !record.IsTerminal)
        {
            throw new OrchestrationAlreadyExistsException(instanceId, record.Status);
        }

        var input = await _store.Payloads.ResolveAsync(record.Input, cancellationToken).ConfigureAwait(false);
        var fresh = NewRecord(record.Name, restartWithNewInstanceId ? Guid.NewGuid().ToString("N") : instanceId, null, input, null);
        var created = restartWithNewInstanceId
            ? await _store.TryCreateAsync(fresh, null, cancellationToken).ConfigureAwait(false)
            : await _store.TryReplaceAsync(fresh with { ETag = record.ETag }, null, cancellationToken).ConfigureAwait(false);
        if (!created)
        {
            throw new InvalidOperationException($"Instance '{fresh.InstanceId}' changed while it was being restarted; try again.");
        }

        await _queue.EnqueueAsync(new WorkMessage { InstanceId = fresh.InstanceId, Reason = "start" }, null, cancellationToken).ConfigureAwait(false);
        return fresh.InstanceId;
    }

    /// <summary>Waits until the instance is Completed, Failed or Terminated.</summary>
    public async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = true, CancellationToken cancellationToken = default)
    {
        var poll = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var changed = _events.NextChangeAsync(instanceId);
            var metadata = await GetInstanceAsync(instanceId, getInputsAndOutputs, cancellationToken).ConfigureAwait(false);
            if (metadata is { IsCompleted: true })
            {
                return metadata;
            }

            // Local steps announce themselves; other hosts' steps are seen by polling.
            await Task.WhenAny(changed, Task.Delay(poll, _leaseClock, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            poll = TimeSpan.FromMilliseconds(Math.Min(1000, poll.TotalMilliseconds * 2));
        }
    }

    private async Task<RaiseEventResult> DeliverAsync(string instanceId, InboxMessage message, RaiseEventOptions? options, CancellationToken cancellationToken)
    {
        if (options?.StartOrchestratorName is not { } startName)
        {
            return Map(await _store.AppendInboxAsync(instanceId, message, cancellationToken).ConfigureAwait(false));
        }

        var startInput = _options.DataConverter.Serialize(options.StartInput);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var existing = await _store.GetRecordAsync(instanceId, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                if (await _store.TryCreateAsync(NewRecord(startName, instanceId, null, startInput, null), message, cancellationToken).ConfigureAwait(false))
                {
                    return RaiseEventResult.Started;
                }

                continue; // Created concurrently: deliver to it.
            }

            if (existing.IsTerminal && options.RestartIfCompleted)
            {
                var fresh = NewRecord(startName, instanceId, null, startInput, null) with { ETag = existing.ETag };
                if (await _store.TryReplaceAsync(fresh, message, cancellationToken).ConfigureAwait(false))
                {
                    return RaiseEventResult.Started;
                }

                continue;
            }

            var delivered = await _store.AppendInboxAsync(instanceId, message, cancellationToken).ConfigureAwait(false);
            if (delivered != DeliveryResult.InstanceNotFound)
            {
                return Map(delivered);
            }
        }

        throw new InvalidOperationException($"Instance '{instanceId}' kept changing while an event was delivered to it; try again.");
    }

    private async Task<bool> ControlAsync(string instanceId, InboxKind kind, string? reason, CancellationToken cancellationToken)
    {
        KeyEncoding.ValidateInstanceId(instanceId);
        await _storage.EnsureCreatedAsync().ConfigureAwait(false);
        var ticks = _leaseClock.GetUtcNow().UtcTicks;
        var message = new InboxMessage { RowKey = InboxMessage.NewRowKey(ticks), Kind = kind, Reason = reason, Order = ticks };
        var result = await _store.AppendInboxAsync(instanceId, message, cancellationToken).ConfigureAwait(false);
        if (result == DeliveryResult.InstanceNotFound)
        {
            return false;
        }

        await _queue.EnqueueAsync(new WorkMessage { InstanceId = instanceId, Reason = kind.ToString().ToLowerInvariant() }, null, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private InstanceRecord NewRecord(string name, string instanceId, string? version, string? inputJson, DateTimeOffset? startAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        KeyEncoding.ValidateInstanceId(instanceId);
        var resolved = version ?? _registry.GetDefaultVersion(name)
            ?? throw new ArgumentException($"Orchestrator '{name}' is not registered (known: {string.Join(", ", _registry.OrchestratorNames)}). Pass a version to start it on another host.", nameof(name));
        var now = _clock.GetUtcNow();
        return new InstanceRecord
        {
            InstanceId = instanceId,
            Name = name,
            Version = resolved,
            ExecutionId = StepPlanner.NewExecutionId(),
            Status = OrchestrationRuntimeStatus.Pending,
            Input = inputJson,
            CreatedAt = now,
            LastUpdatedAt = now,
            ScheduledStartAt = startAt > now ? startAt.Value.ToUniversalTime() : null,
        };
    }

    private async Task<InstanceRecord?> GetRecordOrNullAsync(string instanceId, CancellationToken cancellationToken)
    {
        KeyEncoding.ValidateInstanceId(instanceId);
        await _storage.EnsureCreatedAsync().ConfigureAwait(false);
        return await _store.GetRecordAsync(instanceId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<OrchestrationMetadata> ToMetadataAsync(InstanceRecord r, bool withData, CancellationToken cancellationToken) => new()
    {
        InstanceId = r.InstanceId,
        Name = r.Name,
        Version = r.Version,
        ExecutionId = r.ExecutionId,
        RuntimeStatus = r.Status,
        CreatedAt = r.CreatedAt,
        LastUpdatedAt = r.LastUpdatedAt,
        CompletedAt = r.CompletedAt,
        ScheduledStartAt = r.ScheduledStartAt,
        ParentInstanceId = r.ParentInstanceId,
        FailureDetails = r.Failure,
        SerializedInput = withData ? await _store.Payloads.ResolveAsync(r.Input, cancellationToken).ConfigureAwait(false) : null,
        SerializedOutput = withData ? await _store.Payloads.ResolveAsync(r.Output, cancellationToken).ConfigureAwait(false) : null,
        SerializedCustomStatus = withData ? await _store.Payloads.ResolveAsync(r.CustomStatus, cancellationToken).ConfigureAwait(false) : null,
        Converter = _options.DataConverter,
    };

    private static string BuildFilter(OrchestrationQuery q)
    {
        var sb = new StringBuilder(TableClient.CreateQueryFilter($"RowKey eq {InstanceRecord.RowKey}"));
        if (q.Statuses is { Count: > 0 } statuses)
        {
            sb.Append(" and (").AppendJoin(" or ", statuses.Select(s => TableClient.CreateQueryFilter($"Status eq {s.ToString()}"))).Append(')');
        }

        if (q.Name is { } name)
        {
            sb.Append(" and ").Append(TableClient.CreateQueryFilter($"Name eq {name}"));
        }

        if (q.InstanceIdPrefix is { Length: > 0 } prefix)
        {
            var lo = KeyEncoding.Encode(prefix);
            sb.Append(" and ").Append(TableClient.CreateQueryFilter($"PartitionKey ge {lo}"))
              .Append(" and ").Append(TableClient.CreateQueryFilter($"PartitionKey lt {lo + '\uffff'}"));
        }

        if (q.CreatedFrom is { } from)
        {
            sb.Append(" and ").Append(TableClient.CreateQueryFilter($"CreatedAt ge {from}"));
        }

        if (q.CreatedTo is { } to)
        {
            sb.Append(" and ").Append(TableClient.CreateQueryFilter($"CreatedAt lt {to}"));
        }

        return sb.ToString();
    }

    private static RaiseEventResult Map(DeliveryResult r) => r switch
    {
        DeliveryResult.Delivered => RaiseEventResult.Delivered,
        DeliveryResult.Duplicate => RaiseEventResult.Duplicate,
        _ => RaiseEventResult.InstanceNotFound,
    };
}
