// Drives the KAM workflows on virtual time: delivers canonical events the way intake does (signal-with-start, the
// business key as start input, the event id as idempotency key) and moves a controllable clock from one instance
// wake-up to the next, so every timer fires at its exact time. Used by the tests and meant for the simulator CLI:
// give it the runtime's client and a way to move the clock the runtime uses (e.g. a FakeTimeProvider).
using System.Text.Json;
using KamFlows.Domain.Events;
using KamFlows.Durable;
using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.Simulation;

/// <summary>Delivers events and advances virtual time until every instance has done what was due.</summary>
public sealed class WorkflowDriver
{
    private readonly DurableTaskClient _client;
    private readonly Func<DateTimeOffset> _now;
    private readonly Action<TimeSpan> _advance;
    private readonly TimeSpan _stepTimeout;
    private readonly HashSet<string> _instances = new(StringComparer.Ordinal);

    /// <param name="client">The runtime's client.</param>
    /// <param name="now">The runtime's clock.</param>
    /// <param name="advance">Moves the runtime's clock forward (timers due by then fire).</param>
    /// <param name="stepTimeout">Real time an instance may take to finish a step before the driver gives up.</param>
    public WorkflowDriver(DurableTaskClient client, Func<DateTimeOffset> now, Action<TimeSpan> advance, TimeSpan? stepTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(now);
        ArgumentNullException.ThrowIfNull(advance);
        _client = client;
        _now = now;
        _advance = advance;
        _stepTimeout = stepTimeout ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>Instances the driver delivered events to.</summary>
    public IReadOnlyCollection<string> Instances => _instances;

    /// <summary>
    /// Delivers <paramref name="canonicalEventJson"/> to the workflows it concerns (every route of
    /// <see cref="BusinessKey.RoutesFor(CanonicalEvent)"/>, or only <paramref name="keys"/>) and waits until each
    /// instance has applied it and finished the resulting work. Returns the keys it went to.
    /// </summary>
    public async Task<IReadOnlyList<string>> DeliverAsync(string canonicalEventJson, IReadOnlyCollection<string>? keys = null, CancellationToken cancellationToken = default)
    {
        var canonical = CanonicalEventParser.ParseOrThrow(canonicalEventJson);
        var routes = WorkflowRouting.Deliveries(canonical).ToDictionary(d => d.InstanceId, d => d.Options, StringComparer.Ordinal);
        var targets = keys is { Count: > 0 } ? [.. keys] : routes.Keys.ToList();
        foreach (var key in targets)
        {
            var before = (await StatusAsync(key, cancellationToken).ConfigureAwait(false))?.EventsReceived ?? 0;
            var options = routes.GetValueOrDefault(key) ?? new RaiseEventOptions
            {
                StartOrchestratorName = WorkflowCatalog.OrchestratorFor(BusinessKey.Parse(key).Kind),
                StartInput = key,
                EventId = canonical.Id,
            };
            await _client.RaiseEventAsync(key, WorkflowCatalog.CanonicalEventName, canonicalEventJson, options, cancellationToken).ConfigureAwait(false);
            _instances.Add(key);
            await WaitAsync(key, s => s.EventsReceived > before, $"to apply {canonical.Type} {canonical.Id}", cancellationToken).ConfigureAwait(false);
        }

        return targets;
    }

    /// <summary>Moves the clock to <paramref name="target"/>, stopping at every wake-up of every instance on the way.</summary>
    public async Task AdvanceToAsync(DateTimeOffset target, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            DateTimeOffset? next = null;
            var waits = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var key in _instances)
            {
                var status = await WaitAsync(key, _ => true, "to settle", cancellationToken).ConfigureAwait(false);
                if (status.Phase is "waiting" or "holding")
                {
                    waits[key] = status.Waits;
                    if (status.NextWakeAt is { } wake && (next is null || wake < next))
                    {
                        next = wake;
                    }
                }
            }

            if (next is null || next > target)
            {
                if (target > _now())
                {
                    _advance(target - _now());
                }

                return;
            }

            if (next > _now())
            {
                _advance(next.Value - _now());
            }

            foreach (var (key, w) in waits)
            {
                var status = await StatusAsync(key, cancellationToken).ConfigureAwait(false);
                if (status?.NextWakeAt is { } wake && wake <= next)
                {
                    await WaitAsync(key, s => s.Waits > w, $"to wake at {wake:O}", cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The instance's custom status, or null before its first step.</summary>
    public async Task<WorkflowStatus?> StatusAsync(string key, CancellationToken cancellationToken = default)
    {
        var m = await _client.GetInstanceAsync(key, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        return Read(m);
    }

    private static WorkflowStatus? Read(OrchestrationMetadata? m) =>
        m?.SerializedCustomStatus is { } json ? JsonSerializer.Deserialize<WorkflowStatus>(json, DataConverter.Default.Options) : null;

    private async Task<WorkflowStatus> WaitAsync(string key, Func<WorkflowStatus, bool> condition, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _stepTimeout;
        while (true)
        {
            var m = await _client.GetInstanceAsync(key, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
            if (m is { RuntimeStatus: OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated })
            {
                throw new InvalidOperationException($"{key} is {m.RuntimeStatus}: {m.FailureDetails}");
            }

            var status = Read(m);
            if (m is { RuntimeStatus: OrchestrationRuntimeStatus.Completed })
            {
                return status ?? new WorkflowStatus { Phase = "finished" };
            }

            if (status is { Phase: "waiting" or "holding" } && condition(status))
            {
                return status;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{key} did not get {what} (status {m?.RuntimeStatus}, custom status {m?.SerializedCustomStatus}, clock {_now():O}).");
            }

            await Task.Delay(15, cancellationToken).ConfigureAwait(false);
        }
    }
}
