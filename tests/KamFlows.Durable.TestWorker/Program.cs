// Usage: KamFlows.Durable.TestWorker <connection-string> <task-hub> <activity-log-file> [lease-seconds]
// Runs the durable runtime with the test workflows until killed. Every activity execution appends one line
// "instanceId|executionId|taskId|pid" to the log file, so tests can count executions across crashes.
using KamFlows.Durable;
using KamFlows.Durable.TestWorker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: KamFlows.Durable.TestWorker <connection-string> <task-hub> <activity-log-file> [lease-seconds]");
    return 2;
}

var lease = TimeSpan.FromSeconds(args.Length > 3 ? double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 3);
var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton(new ActivityLog(args[2]));
builder.Services.AddDurableTasks(o =>
{
    o.StorageConnectionString = args[0];
    o.TaskHub = args[1];
    o.WorkItemLease = lease;
    o.MaxPollInterval = TimeSpan.FromMilliseconds(200);
    o.TimerScanInterval = TimeSpan.FromMilliseconds(500);
    o.TimerLookahead = TimeSpan.FromSeconds(2);
    o.RetryBackoffBase = TimeSpan.FromMilliseconds(200);
    o.MaxDequeueCount = 1000; // Kills raise dequeue counts; this test is about recovery, not poison.
}, r => r
    .AddOrchestrator<CrashWorkflow>()
    .AddActivity<StepActivity>());
using var host = builder.Build();
await host.RunAsync();
return 0;
