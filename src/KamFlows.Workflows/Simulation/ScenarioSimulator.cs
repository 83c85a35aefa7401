// Runs the real KAM workflows over a scenario on virtual time: each event is applied to the simulated account state
// and delivered to its workflows exactly as intake does (WorkflowRouting), at its own time; between events the clock
// jumps from one due timer to the next. The result is every notification the workflows asked to send.
using KamFlows.Domain.Events;
using Microsoft.DurableTask.Client;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KamFlows.Workflows.Simulation;

/// <summary>The outcome of a simulation.</summary>
public sealed record SimulationResult(
    IReadOnlyList<NotificationRequest> Notifications,
    IReadOnlyList<OrchestrationMetadata> Instances,
    DateTimeOffset Until,
    long Steps,
    long ActivityExecutions,
    IReadOnlyList<Common.MissedAction>? Missed = null);

/// <summary>Simulates scenarios. Settings come from <c>KamFlows:Workflows</c> in <paramref name="configuration"/> (defaults otherwise).</summary>
public sealed class ScenarioSimulator(IConfiguration? configuration = null, ILoggerFactory? loggerFactory = null)
{
    /// <summary>
    /// Runs <paramref name="scenario"/> until <paramref name="until"/> (default: the scenario's, else 90 days after its last event).
    /// <paramref name="lowMemory"/> keeps no history of past episodes (large portfolios).
    /// </summary>
    public Task<SimulationResult> RunAsync(Scenario scenario, DateTimeOffset? until = null, bool lowMemory = false, CancellationToken cancellationToken = default) =>
        RunCoreAsync(scenario, until, lowMemory, null, cancellationToken);

    /// <summary>
    /// Runs <paramref name="scenario"/> as a backlog: every event arrives at <paramref name="deliverAllAt"/>, in time order
    /// (a CRM's history at first connection), instead of at its own time; then until <paramref name="until"/>.
    /// </summary>
    public Task<SimulationResult> RunAsBacklogAsync(Scenario scenario, DateTimeOffset deliverAllAt, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        RunCoreAsync(scenario, until, lowMemory: false, deliverAllAt, cancellationToken);

    private async Task<SimulationResult> RunCoreAsync(Scenario scenario, DateTimeOffset? until, bool lowMemory, DateTimeOffset? deliverAllAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var events = scenario.Events.Select((e, i) => (Event: e, At: e.Time.ToInstant().ToDateTimeOffset(), Index: i))
            .OrderBy(x => x.At).ThenBy(x => x.Index).Select(x => deliverAllAt is { } backlog ? x with { At = backlog } : x).ToList();
        var end = until ?? scenario.Until ?? events[^1].At.AddDays(90);
        var clock = new VirtualClock(events[0].At);
        var accounts = new SimulatedAccounts();
        var outbox = new SimulatedOutbox();
        var missed = new SimulatedMissedActions();

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<IAccountReader>(accounts);
        services.AddSingleton<INotificationOutbox>(outbox);
        services.AddSingleton<IUpcomingActions, SimulatedUpcomingActions>();
        services.AddSingleton<IMissedActions>(missed);
        services.AddSingleton(loggerFactory ?? NullLoggerFactory.Instance);
        services.AddLogging();
        var settings = configuration ?? new ConfigurationBuilder().Build();
        services.AddOptions<Common.WorkflowsOptions>().Bind(settings.GetSection(Common.WorkflowsOptions.Section));
        await using var provider = services.BuildServiceProvider();
        var problems = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Common.WorkflowsOptions>>().Value.Validate();
        if (problems.Count > 0)
        {
            throw new ScenarioException("Workflow settings are invalid:\n  " + string.Join("\n  ", problems));
        }

        var runtime = new VirtualTaskHub(WorkflowsRegistration.Register(new Microsoft.DurableTask.DurableTaskRegistry()), provider, clock, loggerFactory: loggerFactory)
        {
            KeepHistory = !lowMemory,
        };
        var client = new VirtualTaskHubClient(runtime);
        foreach (var (e, at, _) in events.Where(x => x.At <= end))
        {
            await runtime.AdvanceToAsync(at, cancellationToken).ConfigureAwait(false);
            await DeliverAsync(client, accounts, e, cancellationToken).ConfigureAwait(false);
        }

        await runtime.AdvanceToAsync(end, cancellationToken).ConfigureAwait(false);
        var failed = runtime.InstanceIds.Select(runtime.GetInstance).Where(m => m!.RuntimeStatus == OrchestrationRuntimeStatus.Failed).ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"Workflow {failed[0]!.InstanceId} failed during the simulation: {failed[0]!.FailureDetails}");
        }

        return new SimulationResult(
            [.. outbox.Requests.Where(r => r.SendAt <= end)],
            [.. runtime.InstanceIds.Order(StringComparer.Ordinal).Select(id => runtime.GetInstance(id)!)],
            end,
            runtime.Episodes,
            runtime.ActivityExecutions,
            [.. missed.Items.Select(m => m.Item)]);
    }

    /// <summary>What intake does with an accepted event: account state first, then every workflow it concerns.</summary>
    internal static async Task DeliverAsync(DurableTaskClient client, SimulatedAccounts accounts, CanonicalEvent canonicalEvent, CancellationToken cancellationToken)
    {
        accounts.Apply(canonicalEvent);
        var json = CanonicalEventJson.Serialize(canonicalEvent.Data is Domain.Events.Data.ContactUpserted c ? canonicalEvent with { Data = c.WithoutPersonalData() } : canonicalEvent);
        foreach (var route in WorkflowRouting.Routes(canonicalEvent))
        {
            await WorkflowRouting.DeliverAsync(client, route, json, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
    }
}
