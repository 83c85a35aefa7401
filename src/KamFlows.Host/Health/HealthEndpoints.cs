using KamFlows.Infrastructure.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace KamFlows.Host.Health;

public static class HealthEndpoints
{
    public static void RegisterHealthProbe(DurableTaskRegistry registry) =>
        registry.AddOrchestrator<HealthProbe>().AddActivity<HealthProbeEcho>();

    /// <summary>GET /health (and /api/health): storage in use and its request count. POST /api/health/probe: a durable round trip.</summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        IResult Health(ResolvedStorage storage, StorageRequestCounter requests) => Results.Ok(new
        {
            status = "ok",
            storage = storage.Description,
            taskHub = storage.TaskHub,
            storageRequests = requests.Total,
        });
        app.MapGet("/health", Health).WithTags("Health");
        app.MapGet("/api/health", Health).WithTags("Health");
        app.MapPost("/api/health/probe", async (DurableTaskClient client, int? timerSeconds, CancellationToken ct) =>
        {
            var id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(HealthProbe), timerSeconds ?? 1, ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30 + (timerSeconds ?? 1)));
            try
            {
                var done = await client.WaitForInstanceCompletionAsync(id, true, timeout.Token);
                return done.RuntimeStatus == OrchestrationRuntimeStatus.Completed
                    ? Results.Ok(new { instanceId = id, result = done.ReadOutputAs<HealthProbeResult>() })
                    : Results.Problem($"The probe ended {done.RuntimeStatus}: {done.FailureDetails?.ErrorMessage}", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return Results.Problem($"The probe {id} did not complete in time: queue or timer processing is stuck.", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).WithTags("Health");
        return app;
    }
}
