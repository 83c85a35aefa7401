// A real runtime (poller, scheduler, processor) on the shared Azurite, in a task hub of its own.
using KamFlows.Durable;
using KamFlows.Durable.History;
using KamFlows.Durable.Storage;
using KamFlows.Durable.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace KamFlows.Testing;

public sealed class DurableTestHost : IAsyncDisposable
{
    /// <summary>Where fake clocks start: a Monday in winter (no DST in effect in Europe).</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    private readonly IHost _host;

    private DurableTestHost(IHost host, FakeTimeProvider? clock, string taskHub)
    {
        _host = host;
        Clock = clock;
        TaskHub = taskHub;
    }

    public IServiceProvider Services => _host.Services;
    public DurableTaskClient Client => Services.GetRequiredService<DurableTaskClient>();
    public FakeTimeProvider? Clock { get; }
    public string TaskHub { get; }
    public StorageRequestCounter Counter => Services.GetRequiredService<StorageRequestCounter>();
    public WorkItemProcessor Processor => Services.GetRequiredService<WorkItemProcessor>();

    public static async Task<DurableTestHost> StartAsync(
        Action<DurableTaskRegistry> register,
        Action<DurableOptions>? configure = null,
        bool fakeClock = false,
        string? taskHub = null,
        Action<IServiceCollection>? services = null)
    {
        var cs = await SharedAzurite.ConnectionStringAsync();
        var hub = taskHub ?? Names.TaskHub();
        var clock = fakeClock ? new FakeTimeProvider(Epoch) : null;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("KAMFLOWS_TEST_LOGS") is { Length: > 0 } level)
        {
            builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ");
            builder.Logging.SetMinimumLevel(Enum.Parse<LogLevel>(level));
        }
        else
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        }
        if (clock is not null)
        {
            builder.Services.AddSingleton<TimeProvider>(clock);
        }

        services?.Invoke(builder.Services);
        builder.Services.AddDurableTasks(o =>
        {
            o.TaskHub = hub;
            o.StorageConnectionString = cs;
            o.MaxPollInterval = TimeSpan.FromMilliseconds(500);
            o.TimerScanInterval = TimeSpan.FromSeconds(1);
            o.TimerLookahead = TimeSpan.FromSeconds(5);
            configure?.Invoke(o);
        }, register);
        var host = builder.Build();
        await host.StartAsync();
        return new DurableTestHost(host, clock, hub);
    }

    /// <summary>Waits (real time) until the instance reaches one of <paramref name="statuses"/>.</summary>
    public async Task<OrchestrationMetadata> WaitForStatusAsync(string instanceId, TimeSpan? timeout = null, params OrchestrationRuntimeStatus[] statuses)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var m = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            if (m is not null && statuses.Contains(m.RuntimeStatus))
            {
                return m;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Instance {instanceId} is {m?.RuntimeStatus.ToString() ?? "missing"}, expected {string.Join("/", statuses)}. Failure: {m?.FailureDetails}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits for completion (real time), failing the test with the instance's state on timeout.</summary>
    public async Task<OrchestrationMetadata> WaitForCompletionAsync(string instanceId, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            return await Client.WaitForInstanceCompletionAsync(instanceId, true, cts.Token);
        }
        catch (OperationCanceledException)
        {
            var m = await Client.GetInstanceAsync(instanceId, true);
            throw new TimeoutException($"Instance {instanceId} did not complete: {m?.RuntimeStatus}, custom status {m?.SerializedCustomStatus}.");
        }
    }

    /// <summary>Waits (real time) until the instance has an open durable timer, and returns its due time.</summary>
    public async Task<DateTimeOffset> WaitForOpenTimerAsync(string instanceId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var history = await Client.GetInstanceHistoryAsync(instanceId);
            var fired = history.Where(e => e.Kind == HistoryEventKind.TimerFired).Select(e => e.TaskId).ToHashSet();
            var open = history.Where(e => e.Kind == HistoryEventKind.TimerCreated && !fired.Contains(e.TaskId)).Select(e => e.FireAt!.Value).ToList();
            if (open.Count > 0)
            {
                return open.Min();
            }

            var m = await Client.GetInstanceAsync(instanceId);
            if (m is { IsCompleted: true } || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Instance {instanceId} has no open timer (status {m?.RuntimeStatus}).");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Moves the fake clock to the instance's next timer, repeatedly, until it completes.</summary>
    public async Task<OrchestrationMetadata> RunToCompletionOnFakeClockAsync(string instanceId, int maxTimers = 1000)
    {
        var clock = Clock ?? throw new InvalidOperationException("This host has no fake clock.");
        for (var i = 0; i < maxTimers; i++)
        {
            var m = await Client.GetInstanceAsync(instanceId, true);
            if (m is { IsCompleted: true })
            {
                return m;
            }

            DateTimeOffset next;
            try
            {
                next = await WaitForOpenTimerAsync(instanceId, TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException)
            {
                m = await Client.GetInstanceAsync(instanceId, true);
                if (m is { IsCompleted: true })
                {
                    return m;
                }

                throw;
            }

            if (next > clock.GetUtcNow())
            {
                clock.Advance(next - clock.GetUtcNow());
            }

            try
            {
                await WaitUntilAsync(async () =>
                {
                    var h = await Client.GetInstanceHistoryAsync(instanceId);
                    var mm = await Client.GetInstanceAsync(instanceId);
                    return mm is { IsCompleted: true } || h.Any(e => e.Kind == HistoryEventKind.TimerFired && e.FireAt == next) || h.All(e => e.FireAt != next);
                });
            }
            catch (TimeoutException)
            {
                var h = await Client.GetInstanceHistoryAsync(instanceId);
                throw new TimeoutException($"Timer due {next:O} of {instanceId} did not fire (clock {clock.GetUtcNow():O}). History:\n" +
                    string.Join("\n", h.Select(e => $"{e.Kind} task={e.TaskId} fireAt={e.FireAt:O} at={e.Timestamp:O}")));
            }
        }

        throw new TimeoutException($"Instance {instanceId} did not complete within {maxTimers} timers.");
    }

    /// <summary>Rows left in the due-time index (a fired timer must leave none behind).</summary>
    public async Task<int> CountTimerRowsAsync()
    {
        var table = new Azure.Data.Tables.TableClient(await SharedAzurite.ConnectionStringAsync(), TaskHub + "Timers");
        var n = 0;
        await foreach (var _ in table.QueryAsync<Azure.Data.Tables.TableEntity>(select: ["PartitionKey"]))
        {
            n++;
        }

        return n;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Condition not met in time.");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(cts.Token);
        _host.Dispose();
    }
}
