using KamFlows.Api.Health;
using KamFlows.Api.Management;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace KamFlows.Functions.Http;

/// <summary>Health as in the local host, behind the API key: the storage in use, and a durable round trip through this app's task hub.</summary>
public static class HealthFunctions
{
    [Function("Health")]
    public static Task<IResult> HealthAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req) =>
        ApiKeyCheck.ProtectAsync(req, http => Task.FromResult(HealthApi.Get(http)));

    [Function("RunHealthProbe")]
    public static Task<IResult> RunHealthProbeAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "health/probe")] HttpRequest req,
        [DurableClient] DurableTaskClient client) =>
        ApiKeyCheck.ProtectAsync(req, http => HealthApi.ProbeAsync(http, client));

    [Function(nameof(HealthProbe))]
    public static Task<HealthProbeResult> HealthProbeAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new HealthProbe().RunAsync(context, context.GetInput<int>());

    [Function(nameof(HealthProbeEcho))]
    public static Task<string> HealthProbeEchoAsync([ActivityTrigger] string input, string instanceId, FunctionContext context) =>
        Workflows.ActivityRunner.RunAsync<HealthProbeEcho, string, string>(nameof(HealthProbeEcho), input, instanceId, context);
}
