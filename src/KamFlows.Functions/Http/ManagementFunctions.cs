using KamFlows.Api.Management;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace KamFlows.Functions.Http;

/// <summary>The management API under /api, each behind the same API-key check the local host applies (X-Api-Key).</summary>
public static class ManagementFunctions
{
    [Function("ListAccounts")]
    public static Task<IResult> ListAccountsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "accounts")] HttpRequest req) =>
        ApiKeyCheck.ProtectAsync(req, ManagementApi.ListAccountsAsync);

    [Function("GetAccount")]
    public static Task<IResult> GetAccountAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "accounts/{accountId}")] HttpRequest req, string accountId,
        [DurableClient] DurableTaskClient client) =>
        ApiKeyCheck.ProtectAsync(req, http => ManagementApi.GetAccountAsync(http, accountId, client));

    [Function("GetTimeline")]
    public static Task<IResult> GetTimelineAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "accounts/{accountId}/timeline")] HttpRequest req, string accountId) =>
        ApiKeyCheck.ProtectAsync(req, http => ManagementApi.GetTimelineAsync(http, accountId));

    [Function("GetUpcomingForPerson")]
    public static Task<IResult> GetUpcomingForPersonAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "people/{email}/upcoming")] HttpRequest req, string email) =>
        ApiKeyCheck.ProtectAsync(req, http => ManagementApi.GetUpcomingForPersonAsync(http, email));

    [Function("GetPortfolio")]
    public static Task<IResult> GetPortfolioAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "portfolio")] HttpRequest req) =>
        ApiKeyCheck.ProtectAsync(req, ManagementApi.GetPortfolioAsync);

    [Function("QueryInstances")]
    public static Task<IResult> QueryInstancesAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "instances")] HttpRequest req,
        [DurableClient] DurableTaskClient client) =>
        ApiKeyCheck.ProtectAsync(req, http => ManagementApi.QueryInstancesAsync(http, client));

    [Function("GetInstance")]
    public static Task<IResult> GetInstanceAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "instances/{instanceId}")] HttpRequest req, string instanceId,
        [DurableClient] DurableTaskClient client) =>
        ApiKeyCheck.ProtectAsync(req, http => ManagementApi.GetInstanceAsync(http, instanceId, client));

    [Function("RaiseEvent")]
    public static Task<IResult> RaiseEventAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "instances/{instanceId}/events/{eventName}")] HttpRequest req,
        string instanceId, string eventName, [DurableClient] DurableTaskClient client) =>
        ApiKeyCheck.ProtectAsync(req, http => ManagementApi.RaiseEventAsync(http, instanceId, eventName, client));

    [Function("TerminateInstance")]
    public static Task<IResult> TerminateInstanceAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "instances/{instanceId}/terminate")] HttpRequest req,
        string instanceId, [DurableClient] DurableTaskClient client) =>
        ApiKeyCheck.ProtectAsync(req, http => ManagementApi.TerminateAsync(http, instanceId, client));

    [Function("SuspendInstance")]
    public static Task<IResult> SuspendInstanceAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "instances/{instanceId}/suspend")] HttpRequest req,
        string instanceId, [DurableClient] DurableTaskClient client) =>
        ApiKeyCheck.ProtectAsync(req, http => ManagementApi.SuspendAsync(http, instanceId, client));

    [Function("ResumeInstance")]
    public static Task<IResult> ResumeInstanceAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "instances/{instanceId}/resume")] HttpRequest req,
        string instanceId, [DurableClient] DurableTaskClient client) =>
        ApiKeyCheck.ProtectAsync(req, http => ManagementApi.ResumeAsync(http, instanceId, client));
}
