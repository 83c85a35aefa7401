using KamFlows.Api.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace KamFlows.Functions.Http;

/// <summary>Health as in the local host: the storage in use, and a durable round trip through this app's task hub.</summary>
public static class HealthFunctions
{
    [Function("Health")]
    public static IResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req) =>
        HealthApi.Get(req.HttpContext);

    [Function("RunHealthProbe")]
    public static Task<IResult> RunHealthProbeAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "health/probe")] HttpRequest req,
        [DurableClient] DurableTaskClient client) =>
        HealthApi.ProbeAsync(req.HttpContext, client);

    [Function(nameof(HealthProbe))]
    public static Task<HealthProbeResult> HealthProbeAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new HealthProbe().RunAsync(context, context.GetInput<int>());

    [Function(nameof(HealthProbeEcho))]
    public static Task<string> HealthProbeEchoAsync([ActivityTrigger] string input, string instanceId, FunctionContext context) =>
        Workflows.ActivityRunner.RunAsync<HealthProbeEcho, string, string>(nameof(HealthProbeEcho), input, instanceId, context);
}
