using KamFlows.Api.Management;
using KamFlows.Infrastructure.Notifications.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace KamFlows.Functions.Http;

/// <summary>The email endpoints: outbox and recipients behind the API key; unsubscribe public (its signed token is the authorization).</summary>
public static class EmailFunctions
{
    [Function("ListOutbox")]
    public static Task<IResult> ListOutboxAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "outbox")] HttpRequest req) =>
        ApiKeyCheck.ProtectAsync(req, EmailApi.ListAsync);

    [Function("GetOutboxMessage")]
    public static Task<IResult> GetOutboxMessageAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "outbox/{id}")] HttpRequest req, string id) =>
        ApiKeyCheck.ProtectAsync(req, http => EmailApi.GetAsync(http, id));

    [Function("GetOutboxMessageEml")]
    public static Task<IResult> GetOutboxMessageEmlAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "outbox/{id}/eml")] HttpRequest req, string id) =>
        ApiKeyCheck.ProtectAsync(req, http => EmailApi.GetEmlAsync(http, id));

    [Function("GetRecipient")]
    public static Task<IResult> GetRecipientAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "email/recipients/{email}")] HttpRequest req, string email) =>
        ApiKeyCheck.ProtectAsync(req, http => EmailApi.GetRecipientAsync(http, email));

    [Function("RegisterRecipient")]
    public static Task<IResult> RegisterRecipientAsync([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "email/recipients/{email}")] HttpRequest req, string email) =>
        ApiKeyCheck.ProtectAsync(req, http => EmailApi.RegisterRecipientAsync(http, email));

    [Function("SetRecipientPreferences")]
    public static Task<IResult> SetRecipientPreferencesAsync([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "email/recipients/{email}/preferences")] HttpRequest req,
        string email) =>
        ApiKeyCheck.ProtectAsync(req, http => EmailApi.SetPreferencesAsync(http, email));

    [Function("Unsubscribe")]
    public static Task<IResult> UnsubscribeAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "unsubscribe/{token}")] HttpRequest req, string token) =>
        EmailApi.UnsubscribeAsync(req.HttpContext, token);
}
