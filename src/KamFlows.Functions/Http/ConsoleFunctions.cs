using KamFlows.WebConsole;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace KamFlows.Functions.Http;

/// <summary>
/// The web console at /api/console/...: one trigger hands every page and form to the router the local host maps at
/// /console. Anonymous at the Functions level: App Service Authentication (infra/app/api.bicep) signs people in with Entra
/// ID and the console reads the principal it passes (KamFlows__Console__TrustEasyAuthPrincipal).
/// </summary>
public static class ConsoleFunctions
{
    [Function("Console")]
    public static Task<IResult> ConsoleAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = ConsoleRegistration.Route)] HttpRequest req, string? path,
        [DurableClient] DurableTaskClient client) =>
        ConsoleApp.HandleAsync(req.HttpContext, path, client);
}
