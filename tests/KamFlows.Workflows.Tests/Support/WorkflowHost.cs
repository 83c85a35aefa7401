using KamFlows.Domain.Events;
using KamFlows.Durable;
using KamFlows.Testing;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;
using KamFlows.Workflows.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace KamFlows.Workflows.Tests.Support;

/// <summary>
/// The KAM workflows on a real durable runtime (Azurite) with a fake clock and in-memory ports. Events are routed like
/// intake does (signal-with-start, key as start input); time moves from one instance wake-up to the next, so every
/// timer fires at its exact virtual time. Waiting is on the instances' custom status, never on sleeps.
/// </summary>
public sealed class WorkflowHost : IAsyncDisposable
{
    private WorkflowHost(DurableTestHost host, RecordingOutbox outbox, InMemoryAccountReader accounts, InMemoryUpcomingActions upcoming, WorkflowsOptions options)
    {
        Host = host;
        Outbox = outbox;
        Accounts = accounts;
        Upcoming = upcoming;
        Options = options;
        Driver = new WorkflowDriver(host.Client, () => host.Clock!.GetUtcNow(), by => host.Clock!.Advance(by));
    }

    public WorkflowDriver Driver { get; }

    public DurableTestHost Host { get; }

    public DurableTaskClient Client => Host.Client;

    public FakeTimeProvider Clock => Host.Clock!;

    public DateTimeOffset Now => Clock.GetUtcNow();

    public RecordingOutbox Outbox { get; }

    public InMemoryAccountReader Accounts { get; }

    public InMemoryUpcomingActions Upcoming { get; }

    public WorkflowsOptions Options { get; }

    /// <summary>Starts a host whose clock reads <paramref name="now"/> (not before <see cref="DurableTestHost.Epoch"/>).</summary>
    public static async Task<WorkflowHost> StartAsync(DateTimeOffset now, Action<WorkflowsOptions>? configure = null, Action<InMemoryAccountReader>? accounts = null)
    {
        var options = new WorkflowsOptions();
        configure?.Invoke(options);
        Assert.Empty(options.Validate());
        var reader = new InMemoryAccountReader();
        accounts?.Invoke(reader);
        var upcoming = new InMemoryUpcomingActions();
        RecordingOutbox? outbox = null;
        var host = await DurableTestHost.StartAsync(r => WorkflowsRegistration.Register(r), fakeClock: true, services: s =>
        {
            s.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
            s.AddSingleton<IAccountReader>(reader);
            s.AddSingleton<IUpcomingActions>(upcoming);
            s.AddSingleton<INotificationOutbox>(sp => outbox ??= new RecordingOutbox(sp.GetRequiredService<TimeProvider>()));
        });
        var clock = host.Clock!;
        if (now < clock.GetUtcNow())
        {
            throw new ArgumentOutOfRangeException(nameof(now), now, "Scenarios start on or after the test epoch.");
        }

        clock.Advance(now - clock.GetUtcNow());
        outbox = (RecordingOutbox)host.Services.GetRequiredService<INotificationOutbox>();
        return new WorkflowHost(host, outbox, reader, upcoming, options);
    }

    /// <summary>Delivers a canonical event to its primary workflow (or to <paramref name="keys"/>) and waits until each instance has applied it.</summary>
    public async Task SendAsync(string json, params string[] keys)
    {
        var canonical = CanonicalEventParser.ParseOrThrow(json);
        await Driver.DeliverAsync(json, keys.Length > 0 ? keys : [BusinessKey.For(canonical).ToString()]);
    }

    /// <summary>Delivers a canonical event to every workflow it concerns, as intake does.</summary>
    public Task<IReadOnlyList<string>> SendToAllAsync(string json) => Driver.DeliverAsync(json);

    /// <summary>Moves the clock to <paramref name="target"/>, stopping at every wake-up of every instance on the way.</summary>
    public Task AdvanceToAsync(DateTimeOffset target) => Driver.AdvanceToAsync(target);

    /// <summary>The instance's custom status, or null before its first step.</summary>
    public Task<WorkflowStatus?> StatusAsync(string key) => Driver.StatusAsync(key);

    public async Task<OrchestrationMetadata> InstanceAsync(string key) =>
        await Client.GetInstanceAsync(key, getInputsAndOutputs: true) ?? throw new InvalidOperationException($"No instance {key}.");

    public async Task<WorkflowResult> ResultAsync(string key)
    {
        var m = await InstanceAsync(key);
        Assert.True(m.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{key} is {m.RuntimeStatus} ({m.FailureDetails}), custom status {m.SerializedCustomStatus}");
        return m.ReadOutputAs<WorkflowResult>();
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
