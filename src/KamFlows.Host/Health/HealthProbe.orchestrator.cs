using KamFlows.Durable;

namespace KamFlows.Host.Health;

/// <summary>
/// A deep health check: exercises the whole durable path (queue, step commit, activity, durable timer) and reports
/// how long each took. Started by <c>POST /api/health/probe</c>; also what the deployment tests drive.
/// </summary>
public sealed class HealthProbe : TaskOrchestrator<int, HealthProbeResult>
{
    public override async Task<HealthProbeResult> RunAsync(TaskOrchestrationContext context, int timerSeconds)
    {
        var started = context.CurrentUtcDateTime;
        var echo = await context.CallActivityAsync<string>(nameof(HealthProbeEcho), context.InstanceId);
        await context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(Math.Clamp(timerSeconds, 0, 60)), CancellationToken.None);
        return new HealthProbeResult(echo, started, context.CurrentUtcDateTime);
    }
}

public sealed record HealthProbeResult(string Echo, DateTimeOffset Started, DateTimeOffset Finished);

/// <summary>Returns its input, proving activities run.</summary>
public sealed class HealthProbeEcho : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult("ok:" + input);
}
