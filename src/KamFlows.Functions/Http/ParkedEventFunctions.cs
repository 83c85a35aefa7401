using KamFlows.Api.Management;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace KamFlows.Functions.Http;

/// <summary>Events intake parked as failed, as in the local host: list, inspect, retry, discard, behind the API key.</summary>
public static class ParkedEventFunctions
{
    [Function("ListFailedEvents")]
    public static Task<IResult> ListFailedEventsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "intake/failed")] HttpRequest req) =>
        ApiKeyCheck.ProtectAsync(req, ParkedEventsApi.ListFailedAsync);

    [Function("GetIntakeEvent")]
    public static Task<IResult> GetIntakeEventAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "intake/events/{eventId}")] HttpRequest req, string eventId) =>
        ApiKeyCheck.ProtectAsync(req, http => ParkedEventsApi.GetAsync(http, eventId));

    [Function("RetryFailedEvent")]
    public static Task<IResult> RetryFailedEventAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "intake/events/{eventId}/retry")] HttpRequest req, string eventId) =>
        ApiKeyCheck.ProtectAsync(req, http => ParkedEventsApi.RetryAsync(http, eventId));

    [Function("DiscardFailedEvent")]
    public static Task<IResult> DiscardFailedEventAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "intake/events/{eventId}/discard")] HttpRequest req, string eventId) =>
        ApiKeyCheck.ProtectAsync(req, http => ParkedEventsApi.DiscardAsync(http, eventId));
}
