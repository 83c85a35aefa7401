using KamFlows.Domain.Events;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;
using KamFlows.Workflows.Simulation;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Workflows.Tests.Support;

/// <summary>
/// The KAM workflows on DurableTask.Core's replay on virtual time (<see cref="VirtualTaskHub"/>) with in-memory ports.
/// Events are delivered through the intake's own signal-with-start (<see cref="WorkflowRouting"/>); time moves from
/// one due timer to the next, so every timer fires at its exact virtual time. Deterministic: no waiting at all.
/// </summary>
public sealed class WorkflowHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private WorkflowHost(ServiceProvider services, VirtualTaskHub hub, RecordingOutbox outbox, InMemoryAccountReader accounts, InMemoryUpcomingActions upcoming, WorkflowsOptions options,
        SimulatedMissedActions missed)
    {
        Missed = missed;
        _services = services;
        Hub = hub;
        Client = new VirtualTaskHubClient(hub);
        Outbox = outbox;
        Accounts = accounts;
        Upcoming = upcoming;
        Options = options;
    }

    public VirtualTaskHub Hub { get; }

    public DurableTaskClient Client { get; }

    public VirtualClock Clock => Hub.Clock;

    public DateTimeOffset Now => Clock.GetUtcNow();

    public RecordingOutbox Outbox { get; }

    public InMemoryAccountReader Accounts { get; }

    public InMemoryUpcomingActions Upcoming { get; }

    /// <summary>Items the workflows recorded as missed while catching up.</summary>
    public SimulatedMissedActions Missed { get; }

    public WorkflowsOptions Options { get; }

    /// <summary>Starts a host whose clock reads <paramref name="now"/>.</summary>
    public static Task<WorkflowHost> StartAsync(DateTimeOffset now, Action<WorkflowsOptions>? configure = null, Action<InMemoryAccountReader>? accounts = null,
        Action<DurableTaskRegistry>? registry = null)
    {
        var options = new WorkflowsOptions();
        configure?.Invoke(options);
        Assert.Empty(options.Validate());
        var reader = new InMemoryAccountReader();
        accounts?.Invoke(reader);
        var upcoming = new InMemoryUpcomingActions();
        var clock = new VirtualClock(now);
        var outbox = new RecordingOutbox(clock);
        var missed = new SimulatedMissedActions();
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(options))
            .AddSingleton<IAccountReader>(reader)
            .AddSingleton<IUpcomingActions>(upcoming)
            .AddSingleton<INotificationOutbox>(outbox)
            .AddSingleton<IMissedActions>(missed)
            .BuildServiceProvider();
        var tasks = WorkflowsRegistration.Register(new DurableTaskRegistry());
        registry?.Invoke(tasks);
        var hub = new VirtualTaskHub(tasks, services, clock);
        return Task.FromResult(new WorkflowHost(services, hub, outbox, reader, upcoming, options, missed));
    }

    /// <summary>Delivers a canonical event to its primary workflow (or to <paramref name="keys"/>) and runs what it causes.</summary>
    public async Task SendAsync(string json, params string[] keys)
    {
        var canonical = CanonicalEventParser.ParseOrThrow(json);
        await DeliverAsync(json, keys.Length > 0 ? keys : [BusinessKey.For(canonical).ToString()]);
    }

    /// <summary>Delivers a canonical event to every workflow it concerns, as intake does.</summary>
    public Task<IReadOnlyList<string>> SendToAllAsync(string json) => DeliverAsync(json, null);

    /// <summary>Moves the clock to <paramref name="target"/>, firing every timer on the way at its time.</summary>
    public async Task AdvanceToAsync(DateTimeOffset target)
    {
        await Hub.AdvanceToAsync(target);
        ThrowIfAnyFailed();
    }

    /// <summary>The instance's custom status, or null before its first step.</summary>
    public Task<WorkflowStatus?> StatusAsync(string key) =>
        Task.FromResult(Hub.GetInstance(key) is { SerializedCustomStatus: not null } m ? m.ReadCustomStatusAs<WorkflowStatus>() : null);

    public Task<OrchestrationMetadata> InstanceAsync(string key) =>
        Task.FromResult(Hub.GetInstance(key) ?? throw new InvalidOperationException($"No instance {key}."));

    public async Task<WorkflowResult> ResultAsync(string key)
    {
        var m = await InstanceAsync(key);
        Assert.True(m.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{key} is {m.RuntimeStatus} ({m.FailureDetails}), custom status {m.SerializedCustomStatus}");
        return m.ReadOutputAs<WorkflowResult>()!;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private async Task<IReadOnlyList<string>> DeliverAsync(string json, IReadOnlyCollection<string>? keys)
    {
        var canonical = CanonicalEventParser.ParseOrThrow(json);
        var routes = WorkflowRouting.Routes(canonical).ToDictionary(r => r.InstanceId, StringComparer.Ordinal);
        var targets = keys is { Count: > 0 } ? [.. keys] : routes.Keys.ToList();
        foreach (var key in targets)
        {
            var route = routes.GetValueOrDefault(key) ?? new WorkflowDeliveryRoute(key, WorkflowCatalog.OrchestratorFor(BusinessKey.Parse(key).Kind), StartsIfAbsent: false);
            await WorkflowRouting.DeliverAsync(Client, route, json, TimeSpan.Zero);
            await Hub.RunUntilIdleAsync();
        }

        ThrowIfAnyFailed();
        return targets;
    }

    private void ThrowIfAnyFailed()
    {
        foreach (var id in Hub.InstanceIds)
        {
            var m = Hub.GetInstance(id)!;
            if (m.RuntimeStatus is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
            {
                throw new InvalidOperationException($"{id} is {m.RuntimeStatus}: {m.FailureDetails}");
            }
        }
    }
}
