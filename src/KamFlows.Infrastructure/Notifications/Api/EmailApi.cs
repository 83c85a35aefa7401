using System.Net;
using System.Text.Json;
using KamFlows.Infrastructure.Http;
using KamFlows.Infrastructure.Notifications.Digests;
using KamFlows.Infrastructure.Notifications.Invites;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Infrastructure.Notifications.Senders;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Infrastructure.Notifications.Api;

/// <summary>
/// HTTP endpoints of the email area. Management (behind the API key): <c>GET /api/outbox</c>
/// (filters, paged), <c>GET /api/outbox/{id}</c> (the row and the rendered message), <c>GET /api/outbox/{id}/eml</c>
/// (the local sink's file), <c>GET/PUT /api/email/recipients/{email}</c> and <c>PUT …/preferences</c>. Public, signed:
/// <c>GET</c> and one-click <c>POST /api/unsubscribe/{token}</c>. The handlers take the request's HttpContext (services
/// from its services, filters from its query string), so the local host maps them and Azure Functions triggers call them.
/// </summary>
public static class EmailApi
{
    public static void MapEmailApi(this IEndpointRouteBuilder routes, IEndpointFilter protect)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var management = routes.MapGroup("/api").AddEndpointFilter(protect).WithTags("Email");
        management.MapGet("/outbox", (Func<HttpContext, Task<IResult>>)ListAsync).WithName("ListOutbox");
        management.MapGet("/outbox/{id}", (HttpContext http, string id) => GetAsync(http, id)).WithName("GetOutboxMessage");
        management.MapGet("/outbox/{id}/eml", (HttpContext http, string id) => GetEmlAsync(http, id)).WithName("GetOutboxMessageEml");
        management.MapGet("/email/recipients/{email}", (HttpContext http, string email) => GetRecipientAsync(http, email)).WithName("GetRecipient");
        management.MapPut("/email/recipients/{email}", (HttpContext http, string email) => RegisterRecipientAsync(http, email)).WithName("RegisterRecipient")
            .Accepts<RecipientRegistration>("application/json");
        management.MapPut("/email/recipients/{email}/preferences", (HttpContext http, string email) => SetPreferencesAsync(http, email)).WithName("SetRecipientPreferences")
            .Accepts<PreferencesUpdate>("application/json");
        routes.MapGet("/api/unsubscribe/{token}", (HttpContext http, string token) => UnsubscribeAsync(http, token)).WithTags("Email");
        routes.MapPost("/api/unsubscribe/{token}", (HttpContext http, string token) => UnsubscribeAsync(http, token)).WithTags("Email");
    }

    /// <summary>GET /api/outbox[?status=&amp;kind=&amp;recipient=&amp;account=&amp;from=&amp;until=&amp;pageSize=&amp;continuation=].</summary>
    public static async Task<IResult> ListAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!QueryValues.TryTime(http, "from", out var from, out var invalid) || !QueryValues.TryTime(http, "until", out var until, out invalid)
            || !QueryValues.TryInt(http, "pageSize", out var pageSize, out invalid))
        {
            return invalid;
        }

        var (status, kind, recipient, account, continuation) = (QueryValues.Text(http, "status"), QueryValues.Text(http, "kind"), QueryValues.Text(http, "recipient"),
            QueryValues.Text(http, "account"), QueryValues.Text(http, "continuation"));
        var store = http.RequestServices.GetRequiredService<OutboxStore>();
        OutboxStatus? s = null;
        NotificationKind? k = null;
        if (status is not null)
        {
            if (!Enum.TryParse<OutboxStatus>(status, ignoreCase: true, out var parsed))
            {
                return Results.Problem(statusCode: 400, title: "Unknown status", detail: $"status must be one of {string.Join(", ", Enum.GetNames<OutboxStatus>())}.");
            }

            s = parsed;
        }

        if (kind is not null)
        {
            if (!Enum.TryParse<NotificationKind>(kind, ignoreCase: true, out var parsed))
            {
                return Results.Problem(statusCode: 400, title: "Unknown kind", detail: $"kind must be a notification kind such as {nameof(NotificationKind.ProposalExpired)}.");
            }

            k = parsed;
        }

        var page = await store.ListAsync(new OutboxQuery
        {
            Status = s,
            Kind = k,
            RecipientEmail = recipient,
            AccountId = account,
            SendFrom = from,
            SendUntil = until,
            PageSize = pageSize ?? 50,
            ContinuationToken = continuation,
        }, http.RequestAborted).ConfigureAwait(false);
        return Results.Ok(new { items = page.Messages.Select(OutboxItem.From), continuation = page.ContinuationToken });
    }

    /// <summary>GET /api/outbox/{id}: the row and the message as it renders now.</summary>
    public static async Task<IResult> GetAsync(HttpContext http, string id)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(id);
        var (store, renderer, sender) = (http.RequestServices.GetRequiredService<OutboxStore>(), http.RequestServices.GetRequiredService<NotificationRenderer>(),
            http.RequestServices.GetRequiredService<IEmailSender>());
        var message = await store.GetAsync(Uri.UnescapeDataString(id), http.RequestAborted).ConfigureAwait(false);
        if (message is null)
        {
            return Results.NotFound();
        }

        var email = renderer.Render(message);
        var ics = email.Attachments.FirstOrDefault(a => a.FileName == CalendarInviteWriter.FileName);
        var file = sender is LocalSinkEmailSender sink && File.Exists(sink.PathFor(message.NotificationId)) ? sink.PathFor(message.NotificationId) : null;
        return Results.Ok(new
        {
            message = OutboxItem.From(message),
            rendered = new
            {
                subject = email.Subject,
                html = email.Html,
                text = email.Text,
                ics = ics is null ? null : System.Text.Encoding.UTF8.GetString(ics.Content),
                unsubscribeUrl = email.UnsubscribeUrl?.AbsoluteUri,
                categories = email.Categories,
                customArgs = email.TraceIds,
            },
            localSinkFile = file,
        });
    }

    /// <summary>GET /api/outbox/{id}/eml: the local sink's .eml file.</summary>
    public static async Task<IResult> GetEmlAsync(HttpContext http, string id)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(id);
        var (sender, ct) = (http.RequestServices.GetRequiredService<IEmailSender>(), http.RequestAborted);
        if (sender is not LocalSinkEmailSender sink)
        {
            return Results.Problem(statusCode: 404, title: "No local copy", detail: "Messages go through SendGrid; only the local sink keeps .eml files.");
        }

        var path = sink.PathFor(Uri.UnescapeDataString(id));
        return File.Exists(path)
            ? Results.File(await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false), "message/rfc822", Path.GetFileName(path))
            : Results.NotFound();
    }

    /// <summary>GET /api/email/recipients/{email}.</summary>
    public static async Task<IResult> GetRecipientAsync(HttpContext http, string email)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(email);
        var recipients = http.RequestServices.GetRequiredService<RecipientDirectory>();
        return await recipients.GetAsync(Uri.UnescapeDataString(email), http.RequestAborted).ConfigureAwait(false) is { } r ? Results.Ok(RecipientView.From(r)) : Results.NotFound();
    }

    /// <summary>PUT /api/email/recipients/{email} with a <see cref="RecipientRegistration"/>.</summary>
    public static async Task<IResult> RegisterRecipientAsync(HttpContext http, string email)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(email);
        var (body, invalid) = await ReadBodyAsync<RecipientRegistration>(http).ConfigureAwait(false);
        if (body is null)
        {
            return invalid!;
        }

        var (recipients, ct) = (http.RequestServices.GetRequiredService<RecipientDirectory>(), http.RequestAborted);
        var address = Uri.UnescapeDataString(email);
        if (body.Validate(address) is { } problem)
        {
            return Results.Problem(statusCode: 400, title: "Invalid recipient", detail: problem);
        }

        var profile = new TeamMemberProfile(address, body.Name, body.Locale, body.TimeZone, body.WorkingDays ?? ["mon", "tue", "wed", "thu", "fri"],
            body.Opens ?? "09:00", body.Closes ?? "18:00", body.Holidays ?? []);
        var r = await recipients.RegisterAsync(profile, body.IsKam, body.IsHead, body.HeadEmail, ct).ConfigureAwait(false);
        return Results.Ok(RecipientView.From(r));
    }

    /// <summary>PUT /api/email/recipients/{email}/preferences with a <see cref="PreferencesUpdate"/>.</summary>
    public static async Task<IResult> SetPreferencesAsync(HttpContext http, string email)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(email);
        var (body, invalid) = await ReadBodyAsync<PreferencesUpdate>(http).ConfigureAwait(false);
        if (body is null)
        {
            return invalid!;
        }

        var (recipients, ct) = (http.RequestServices.GetRequiredService<RecipientDirectory>(), http.RequestAborted);
        DigestPreference? digest = null;
        if (body.Digest is not null)
        {
            if (!Enum.TryParse<DigestPreference>(body.Digest, ignoreCase: true, out var parsed))
            {
                return Results.Problem(statusCode: 400, title: "Unknown digest preference", detail: "digest must be daily, weekly or off.");
            }

            digest = parsed;
        }

        var r = await recipients.SetPreferencesAsync(Uri.UnescapeDataString(email), digest, body.NonEssentialOptOut, ct).ConfigureAwait(false);
        return Results.Ok(RecipientView.From(r));
    }

    /// <summary>GET or one-click POST /api/unsubscribe/{token}: public, the signed token is the authorization.</summary>
    public static async Task<IResult> UnsubscribeAsync(HttpContext http, string token)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(token);
        var (links, recipients, ct) = (http.RequestServices.GetRequiredService<UnsubscribeLinks>(), http.RequestServices.GetRequiredService<RecipientDirectory>(), http.RequestAborted);
        if (!links.TryRead(token, out var email))
        {
            // The link's signature is its only credential: a link that does not verify is refused like a missing key.
            return Results.Content(Page("This unsubscribe link is not valid. It may have been cut off when it was copied."), "text/html; charset=utf-8", statusCode: 403);
        }

        await recipients.SetPreferencesAsync(email, DigestPreference.Off, nonEssentialOptOut: true, ct).ConfigureAwait(false);
        return Results.Content(Page($"{WebUtility.HtmlEncode(email)} no longer receives KamFlows digests and reminders that are not essential. Tasks, escalations and approvals still arrive."), "text/html; charset=utf-8");
    }

    /// <summary>The JSON body (web defaults: camelCase, case-insensitive), or a 400 problem when it is missing or not that JSON.</summary>
    private static async Task<(T? Body, IResult? Invalid)> ReadBodyAsync<T>(HttpContext http)
        where T : class
    {
        try
        {
            var body = await http.Request.ReadFromJsonAsync<T>(http.RequestAborted).ConfigureAwait(false);
            return body is null ? (null, Results.Problem(statusCode: 400, title: "Invalid body", detail: "A JSON object is required.")) : (body, null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: no JSON content type.
            return (null, Results.Problem(statusCode: 400, title: "Invalid body", detail: ex.Message));
        }
    }

    private static string Page(string message) =>
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>KamFlows</title></head><body style=\"font-family: Arial, sans-serif; margin: 32px;\"><p>{message}</p></body></html>";
}

/// <summary>An outbox row as the management API shows it.</summary>
public sealed record OutboxItem(
    string Id, NotificationKind Kind, OutboxStatus Status, string RecipientEmail, string? RecipientName, RecipientRole Role, string Locale, string TimeZone,
    string AccountId, string SourceKey, bool Essential, bool HasInvite, DateTimeOffset SendAt, DateTimeOffset DueAt, DateTimeOffset CreatedAt, int Attempts,
    string? LastError, string? Note, string? Provider, string? ProviderMessageId, DateTimeOffset? SentAt)
{
    public static OutboxItem From(OutboxMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var r = m.Request;
        return new(r.NotificationId, r.Kind, m.Status, r.Recipient.Email, r.Recipient.Name, r.Recipient.Role, r.Recipient.Locale, r.Recipient.TimeZone,
            r.AccountId, r.SourceKey, m.IsEssential, r.Invite is not null, r.SendAt, m.DueAt, m.CreatedAt, m.Attempts, m.LastError, m.Note, m.Provider,
            m.ProviderMessageId, m.SentAt);
    }
}

public sealed record RecipientView(string Email, string? Name, string Locale, string TimeZone, bool IsKam, bool IsHead, IReadOnlyList<string> Heads,
    DigestPreference Digest, bool NonEssentialOptOut, DateTimeOffset? NextAgendaAt, DateTimeOffset? NextReportAt)
{
    public static RecipientView From(EmailRecipient r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Email, r.Name, r.Locale, r.TimeZone, r.IsKam, r.IsHead, r.Heads, r.Digest, r.NonEssentialOptOut, r.NextAgendaAt, r.NextReportAt);
    }
}

/// <summary>Body of <c>PUT /api/email/recipients/{email}</c>.</summary>
public sealed record RecipientRegistration(string? Name, string Locale, string TimeZone, bool IsKam, bool IsHead, string? HeadEmail,
    IReadOnlyList<string>? WorkingDays, string? Opens, string? Closes, IReadOnlyList<DateOnly>? Holidays)
{
    public string? Validate(string email)
    {
        if (!KamFlows.Domain.Common.EmailAddress.IsValid(email))
        {
            return $"'{email}' is not an email address.";
        }

        if (!KamFlows.Domain.Common.Locale.IsValid(Locale))
        {
            return $"locale '{Locale}' is not a language tag such as en or fi-FI.";
        }

        if (NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZone ?? string.Empty) is null)
        {
            return $"timeZone '{TimeZone}' is not an IANA time zone such as Europe/Helsinki.";
        }

        if (!IsKam && !IsHead)
        {
            return "isKam or isHead must be true.";
        }

        if (HeadEmail is not null && !KamFlows.Domain.Common.EmailAddress.IsValid(HeadEmail))
        {
            return $"headEmail '{HeadEmail}' is not an email address.";
        }

        try
        {
            _ = (new EmailRecipient { Email = email, TimeZone = TimeZone!, WorkingDays = WorkingDays ?? ["mon", "tue", "wed", "thu", "fri"], Opens = Opens ?? "09:00", Closes = Closes ?? "18:00" }).Calendar();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NodaTime.Text.UnparsableValueException)
        {
            return "Working calendar is invalid: " + e.Message;
        }

        return null;
    }
}

/// <summary>Body of <c>PUT /api/email/recipients/{email}/preferences</c>; omitted fields stay as they are.</summary>
public sealed record PreferencesUpdate(string? Digest, bool? NonEssentialOptOut);
