// A real TaskHubWorker on the shared Azurite, in a task hub of its own (fresh name: no leftover leases to take over).
using Azure.Data.Tables;
using DurableTask.AzureStorage;
using KamFlows.Testing;
using KamFlows.TaskHub.TestWorker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KamFlows.TaskHub.Tests;

public sealed class TaskHubTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private TaskHubTestHost(IHost host, string taskHub, string outboxTable)
    {
        _host = host;
        TaskHub = taskHub;
        OutboxTable = outboxTable;
    }

    public string TaskHub { get; }

    /// <summary>Delete the task hub's queues, tables and containers when disposed (off when another host shares the hub).</summary>
    public bool DeleteHubOnDispose { get; set; } = true;
    public string OutboxTable { get; }
    public IServiceProvider Services => _host.Services;
    public DurableTaskClient Client => Services.GetRequiredService<DurableTaskClient>();

    public static async Task<TaskHubTestHost> StartAsync(
        Action<TaskHubSettings>? configure = null,
        Action<DurableTaskRegistry>? register = null,
        string? taskHub = null,
        Action<IServiceCollection>? services = null)
    {
        var cs = await SharedAzurite.ConnectionStringAsync();
        var hub = taskHub ?? Names.TaskHub();
        var outbox = hub + "outbox";
        var table = new TableClient(cs, outbox);
        await table.CreateIfNotExistsAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("KAMFLOWS_TEST_LOGS") is { Length: > 0 } level)
        {
            builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ");
            builder.Logging.SetMinimumLevel(Enum.Parse<LogLevel>(level));
        }

        builder.Services.AddSingleton(new Outbox(table));
        services?.Invoke(builder.Services);
        builder.Services.AddKamFlowsTaskHub(s =>
        {
            s.ConnectionString = cs;
            s.TaskHubName = hub;
            s.MaxQueuePollingInterval = TimeSpan.FromSeconds(1);
            s.ShutdownTimeout = TimeSpan.FromSeconds(5);
            configure?.Invoke(s);
        }, register ?? TestTasks.Register);
        var host = builder.Build();
        await host.StartAsync();
        return new TaskHubTestHost(host, hub, outbox);
    }

    /// <summary>Waits for the instance to finish (Completed, Failed or Terminated); generous deadline, not a timing assertion.</summary>
    public async Task<OrchestrationMetadata> WaitForCompletionAsync(string instanceId, TimeSpan? deadline = null)
    {
        using var cts = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(90));
        try
        {
            return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cts.Token);
        }
        catch (OperationCanceledException)
        {
            var m = await Client.GetInstanceAsync(instanceId, true);
            throw new TimeoutException($"{instanceId} did not finish: {m?.RuntimeStatus} {m?.SerializedCustomStatus} {m?.FailureDetails}");
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds for the instance; throws with its last state at the deadline.</summary>
    public async Task<OrchestrationMetadata> WaitForAsync(string instanceId, Func<OrchestrationMetadata, bool> condition, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(60));
        OrchestrationMetadata? m = null;
        while (DateTime.UtcNow < until)
        {
            m = await Client.GetInstanceAsync(instanceId, true);
            if (m is not null && condition(m))
            {
                return m;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{instanceId}: condition not met; last {m?.RuntimeStatus} {m?.SerializedCustomStatus} {m?.FailureDetails}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
            if (DeleteHubOnDispose)
            {
                await Services.GetRequiredService<AzureStorageOrchestrationService>().DeleteAsync();
            }
        }
        finally
        {
            _host.Dispose();
        }
    }
}

public static class AsyncEnumerableExtensions
{
    /// <summary>All items (System.Linq.Async and .NET 10 both define ToListAsync; this avoids the ambiguity).</summary>
    public static async Task<List<T>> CollectAsync<T>(this IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
