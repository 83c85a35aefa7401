// Usage: KamFlows.TaskHub.TestWorker <connection-string> <task-hub> <outbox-table> <worker-id> [visibility-seconds]
// Runs the task hub worker with the test tasks until killed. Prints "ready" once the worker runs and
// "ran <instance>|<step>" after each outbox activity, so a test can see work in progress before it kills the process.
using System.Globalization;
using Azure.Data.Tables;
using KamFlows.TaskHub;
using KamFlows.TaskHub.TestWorker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

if (args.Length < 4)
{
    await Console.Error.WriteLineAsync("usage: KamFlows.TaskHub.TestWorker <connection-string> <task-hub> <outbox-table> <worker-id> [visibility-seconds]");
    return 2;
}

var visibility = TimeSpan.FromSeconds(args.Length > 4 ? double.Parse(args[4], CultureInfo.InvariantCulture) : 60);
var output = Console.Out;
var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton(new Outbox(new TableClient(args[0], args[2]), key => output.WriteLine("ran " + key)));
builder.Services.AddKamFlowsTaskHub(s =>
{
    s.ConnectionString = args[0];
    s.TaskHubName = args[1];
    s.WorkerId = args[3];
    s.MaxQueuePollingInterval = TimeSpan.FromSeconds(1);
    s.ControlQueueVisibilityTimeout = visibility;
    s.WorkItemQueueVisibilityTimeout = visibility;
    s.ShutdownTimeout = TimeSpan.FromSeconds(5);
}, TestTasks.Register);
using var host = builder.Build();
await host.StartAsync();
await output.WriteLineAsync("ready");
await host.WaitForShutdownAsync();
return 0;
