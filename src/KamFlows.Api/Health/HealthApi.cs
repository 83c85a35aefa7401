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

    /// <summary>GET /api/health (API key): storage in use, task hub and the storage requests KamFlows' own code made.</summary>
    public static IResult Get(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var storage = http.RequestServices.GetRequiredService<ResolvedStorage>();
        return TypedResults.Ok(new HealthReport("ok", storage.Description, storage.TaskHub, http.RequestServices.GetRequiredService<StorageRequestCounter>().Total));
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
public sealed record HealthReport(string Status, string Storage, string TaskHub, long StorageRequests);

/// <summary>What a completed probe answers.</summary>
public sealed record ProbeReport(string InstanceId, HealthProbeResult? Result);
