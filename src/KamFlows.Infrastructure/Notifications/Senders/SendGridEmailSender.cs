using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace KamFlows.Infrastructure.Notifications.Senders;

/// <summary>
/// Sends through SendGrid's v3 mail/send API with the official client. Maps answers to outcomes: 2xx accepted (with
/// X-Message-Id), 429 retry after <c>Retry-After</c>, 5xx and 401/403 retry with back-off (nothing was delivered; a
/// fixed key or a recovered service lets them through), other 4xx rejected with SendGrid's reason. A lost connection
/// before the request went out is a retry; a timeout or a connection lost mid-request is <see cref="SendOutcome.Unknown"/>.
/// The API key is only ever passed to the client, never logged.
/// </summary>
public sealed class SendGridEmailSender : IEmailSender
{
    public const string ProviderName = "SendGrid";

    private readonly SendGridClient _client;
    private readonly EmailOptions _options;

    public SendGridEmailSender(HttpClient http, EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _client = new SendGridClient(http, new SendGridClientOptions
        {
            ApiKey = options.SendGridApiKey,
            Host = options.SendGridHost.ToString().TrimEnd('/'),
            HttpErrorAsException = false,
        });
    }

    public string Name => ProviderName;

    public bool DeduplicatesByNotificationId => false;

    public async Task<SendOutcome> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mail = Build(message);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.SendTimeout);
        Response response;
        try
        {
            response = await _client.SendEmailAsync(mail, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
        {
            return new SendOutcome.RetryLater(null, $"SendGrid unreachable ({e.HttpRequestError}): {e.Message}");
        }
        catch (HttpRequestException e)
        {
            return new SendOutcome.Unknown($"Connection to SendGrid lost during the request ({e.HttpRequestError}): {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome.Unknown($"SendGrid did not answer within {_options.SendTimeout}.");
        }

        return await InterpretAsync(response).ConfigureAwait(false);
    }

    /// <summary>The SendGrid message for <paramref name="message"/> (public for inspection in tests and tools).</summary>
    public SendGridMessage Build(EmailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mail = new SendGridMessage();
        mail.SetFrom(new EmailAddress(_options.FromAddress, _options.FromName));
        if (!string.IsNullOrWhiteSpace(_options.ReplyTo))
        {
            mail.SetReplyTo(new EmailAddress(_options.ReplyTo));
        }

        mail.AddTo(new EmailAddress(message.ToEmail, message.ToName is null ? null : EmailHeaders.SingleLine(message.ToName)));
        mail.SetSubject(EmailHeaders.SingleLine(message.Subject));

        // SendGrid requires text/plain before text/html.
        mail.AddContent(MimeType.Text, message.Text);
        mail.AddContent(MimeType.Html, message.Html);
        foreach (var a in message.Attachments)
        {
            mail.AddAttachment(a.FileName, Convert.ToBase64String(a.Content), a.ContentType, "attachment");
        }

        mail.AddCategories([.. message.Categories]);
        mail.AddGlobalCustomArgs(new Dictionary<string, string>(message.TraceIds));
        mail.AddGlobalHeaders(EmailHeaders.For(message).ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase)); // What the .eml carries too.

        mail.SetSandBoxMode(_options.SandboxMode);
        return mail;
    }

    private static async Task<SendOutcome> InterpretAsync(Response response)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            var id = response.Headers is not null && response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.FirstOrDefault() : null;
            return new SendOutcome.Accepted(id);
        }

        var reason = $"SendGrid answered {status} {response.StatusCode}: {await ErrorTextAsync(response).ConfigureAwait(false)}";
        return status switch
        {
            429 => new SendOutcome.RetryLater(RetryAfter(response.Headers), reason),
            401 or 403 or >= 500 => new SendOutcome.RetryLater(null, reason),
            _ => new SendOutcome.Rejected(reason),
        };
    }

    /// <summary>Retry-After as seconds or an HTTP date; else SendGrid's X-RateLimit-Reset (epoch seconds); else null.</summary>
    private static TimeSpan? RetryAfter(HttpResponseHeaders? headers)
    {
        if (headers?.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta;
            }

            if (retryAfter.Date is { } date)
            {
                var wait = date - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        if (headers is not null && headers.TryGetValues("X-RateLimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds(epoch) - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>SendGrid's error messages ({"errors":[{"message":…,"field":…}]}), or the start of the body.</summary>
    private static async Task<string> ErrorTextAsync(Response response)
    {
        var body = response.Body is null ? string.Empty : await response.Body.ReadAsStringAsync().ConfigureAwait(false);
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var parts = errors.EnumerateArray().Select(e =>
                {
                    var text = e.TryGetProperty("message", out var m) ? m.GetString() : null;
                    var field = e.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                    return field is null ? text : $"{text} (field {field})";
                }).Where(s => !string.IsNullOrEmpty(s));
                return string.Join("; ", parts);
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the raw text.
        }

        return body.Length > 500 ? body[..500] : body;
    }
}

/// <summary>The HttpClient handler SendGrid calls use: pooled connections renewed so DNS changes are seen.</summary>
public static class SendGridHttp
{
    public static HttpClient CreateClient() => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan, // The sender applies its own per-request timeout.
    };
}
