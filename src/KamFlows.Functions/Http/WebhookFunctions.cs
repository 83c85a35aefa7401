using KamFlows.Api.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace KamFlows.Functions.Http;

public static class WebhookFunctions
{
    /// <summary>POST /api/webhooks/{source}: the request as it arrived (raw body, headers, query), so signatures verify.</summary>
    [Function("ReceiveWebhook")]
    public static Task<IResult> ReceiveWebhookAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "webhooks/{source}")] HttpRequest req, string source) =>
        WebhookApi.ReceiveAsync(req.HttpContext, source);
}
