using Microsoft.DurableTask;

namespace KamFlows.Api.Health;

/// <summary>
/// A deep health check: exercises the whole durable path (control queue, history, work-item queue, activity, durable
/// timer) and reports how long it took. Started by <c>POST /api/health/probe</c>.
/// </summary>
public sealed class HealthProbe : TaskOrchestrator<int, HealthProbeResult>
{
    public override async Task<HealthProbeResult> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = context.CurrentUtcDateTime;
        var echo = await context.CallActivityAsync<string>(nameof(HealthProbeEcho), context.InstanceId);
        await context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(Math.Clamp(input, 0, 60)), CancellationToken.None);
        return new HealthProbeResult(echo, new DateTimeOffset(started, TimeSpan.Zero), new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero));
    }
}

public sealed record HealthProbeResult(string Echo, DateTimeOffset Started, DateTimeOffset Finished);

/// <summary>Returns its input, proving activities run.</summary>
public sealed class HealthProbeEcho : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult("ok:" + input);
}
