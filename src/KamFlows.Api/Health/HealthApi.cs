using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Intake;
using KamFlows.Infrastructure.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Api.Health;

/// <summary>Health of either host: what storage it uses, and a durable round trip through the task hub.</summary>
public static class HealthApi
{
    /// <summary>Registers the probe's orchestrator and activity (both hosts run them, so the probe exercises each one's engine).</summary>
    public static DurableTaskRegistry RegisterHealthProbe(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.AddOrchestrator<HealthProbe>().AddActivity<HealthProbeEcho>();
    }

    /// <summary>GET /health: liveness for probes without the API key; read-only and tells nothing about the deployment.</summary>
    public static IResult Live(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return TypedResults.Ok(new LivenessReport("ok"));
    }

    /// <summary>GET /api/health (API key): storage in use, task hub, the storage requests KamFlows' own code made, and the intake's backlog.</summary>
    public static IResult Get(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var storage = http.RequestServices.GetRequiredService<ResolvedStorage>();
        var processor = http.RequestServices.GetRequiredService<IntakeProcessor>();
        return TypedResults.Ok(new HealthReport("ok", storage.Description, storage.TaskHub, http.RequestServices.GetRequiredService<StorageRequestCounter>().Total,
            IntakeHealth.Of(processor)));
    }

    /// <summary>POST /api/health/probe[?timerSeconds=] (API key; it starts an orchestration): runs <see cref="HealthProbe"/> (queue, activity, durable timer) and waits for it.</summary>
    public static async Task<IResult> ProbeAsync(HttpContext http, DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(client);
        var timerText = http.Request.Query["timerSeconds"].ToString();
        var timerSeconds = 1;
        if (timerText.Length > 0 && !int.TryParse(timerText, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out timerSeconds))
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid query", detail: $"timerSeconds must be a whole number (got '{timerText}').");
        }

        var ct = http.RequestAborted;
        var id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(HealthProbe), timerSeconds, ct).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30 + Math.Clamp(timerSeconds, 0, 60)));
        try
        {
            var done = await client.WaitForInstanceCompletionAsync(id, true, timeout.Token).ConfigureAwait(false);
            return done.RuntimeStatus == OrchestrationRuntimeStatus.Completed
                ? TypedResults.Ok(new ProbeReport(id, done.ReadOutputAs<HealthProbeResult>()))
                : TypedResults.Problem($"The probe ended {done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return TypedResults.Problem($"The probe {id} did not complete in time: queue or timer processing is stuck.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}

/// <summary>What GET /health answers to anyone.</summary>
public sealed record LivenessReport(string Status);

/// <summary>What GET /api/health answers.</summary>
public sealed record HealthReport(string Status, string Storage, string TaskHub, long StorageRequests, IntakeHealth Intake);

/// <summary>
/// The intake's backlog as this host's processor last read it (<c>ObservedAt</c>; null before its first read):
/// events accepted and not processed yet, the age of the oldest, and per shard with pending events (<c>Complete</c> is
/// false when a shard holds more than the processor keeps in memory, so <c>Pending</c> is a lower bound); counters
/// since start.
/// </summary>
public sealed record IntakeHealth(int Pending, double OldestPendingAgeSeconds, bool Complete, DateTimeOffset? ObservedAt, IReadOnlyList<ShardHealth> Shards,
    long Processed, long Parked, long AccountWriteConflicts)
{
    public static IntakeHealth Of(IntakeProcessor processor)
    {
        ArgumentNullException.ThrowIfNull(processor);
        var backlog = processor.Backlog();
        return new IntakeHealth(backlog.Pending, Math.Round(backlog.OldestPendingAge.TotalSeconds, 3), backlog.Complete, backlog.ObservedAt,
            [.. backlog.Shards.Where(s => s.Pending > 0).Select(s => new ShardHealth(s.Shard, s.Pending, Math.Round(s.OldestPendingAge.TotalSeconds, 3)))],
            processor.Processed, processor.Parked, AccountStore.WriteConflicts);
    }
}

/// <summary>One intake shard's pending events and the age of its oldest, in seconds.</summary>
public sealed record ShardHealth(int Shard, int Pending, double OldestPendingAgeSeconds);

/// <summary>What a completed probe answers.</summary>
public sealed record ProbeReport(string InstanceId, HealthProbeResult? Result);
