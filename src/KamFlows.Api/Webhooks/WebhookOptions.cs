using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Intake.Events;
using KamFlows.Infrastructure.Intake.Mapping;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;
using NodaTime;

namespace KamFlows.Api.Webhooks;

/// <summary>
/// Webhook settings (section <c>KamFlows:Webhooks</c>). A source is enabled by its secret:
/// <c>Secrets:events</c> (comma-separated <c>whsec_…</c> list, several during rotation), <c>Secrets:hubspot</c> (app client
/// secret), <c>Secrets:pipedrive</c> (<c>user:password</c> of the webhook's basic auth), <c>Secrets:bitrix24</c>
/// (application token), <c>Secrets:amocrm</c> (token expected in the URL). CRM sources also need
/// <c>Mappings:{source}</c>, the path of their mapping file. <c>PublicBaseUrl</c> is the address CRMs call (HubSpot signs it).
/// </summary>
public sealed class WebhookOptions
{
    public const string Section = "KamFlows:Webhooks";

    public static readonly IReadOnlyList<string> Sources = ["events", "hubspot", "pipedrive", "bitrix24", "amocrm"];

    public Dictionary<string, string> Secrets { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, string> Mappings { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Scheme and host as CRMs see them (e.g. https://kamflows.example.com), when a proxy rewrites them.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>How far in the future an event's <c>time</c> may lie (producers' clocks drift); later events are refused.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = EventTimeLimits.DefaultMaxFutureSkew.ToTimeSpan();

    /// <summary>The earliest <c>time</c> an event may have; earlier events are refused.</summary>
    public DateTimeOffset EarliestEventTime { get; set; } = EventTimeLimits.DefaultEarliest.ToDateTimeOffset();

    /// <summary>The limits as the domain checks them.</summary>
    public EventTimeLimits TimeLimits => new(Instant.FromDateTimeOffset(EarliestEventTime), Duration.FromTimeSpan(MaxFutureSkew));

    public string? SecretOf(string source) => Secrets.TryGetValue(source, out var s) && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    /// <summary>Resolves a mapping path: absolute, or relative to the content root, then to the working directory.</summary>
    public string? MappingPath(string source, string contentRoot)
    {
        if (!Mappings.TryGetValue(source, out var path) || string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        if (Path.IsPathRooted(path))
        {
            return path;
        }

        var underRoot = Path.GetFullPath(Path.Combine(contentRoot, path));
        return File.Exists(underRoot) ? underRoot : Path.GetFullPath(path);
    }
}

/// <summary>Checks secrets and loads every configured mapping at start-up; each message names the key (never a secret's value).</summary>
internal sealed class WebhookOptionsValidator(IHostEnvironment environment, TimeProvider clock) : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var errors = new List<string>();
        foreach (var key in options.Secrets.Keys.Concat(options.Mappings.Keys).Where(k => !WebhookOptions.Sources.Contains(k, StringComparer.OrdinalIgnoreCase)).Distinct())
        {
            errors.Add($"{WebhookOptions.Section}: '{key}' is not a webhook source (known: {string.Join(", ", WebhookOptions.Sources)}).");
        }

        if (options.SecretOf("events") is { } events)
        {
            var i = 0;
            foreach (var secret in events.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                try
                {
                    if (!secret.StartsWith(StandardWebhookVerifier.SecretPrefix, StringComparison.Ordinal))
                    {
                        throw new FormatException("missing prefix");
                    }

                    StandardWebhookVerifier.KeyOf(secret);
                }
                catch (FormatException)
                {
                    errors.Add($"{WebhookOptions.Section}:Secrets:events: secret #{i + 1} must be whsec_ followed by base64.");
                }

                i++;
            }
        }

        if (options.MaxFutureSkew < TimeSpan.Zero || options.MaxFutureSkew > TimeSpan.FromDays(366))
        {
            errors.Add($"{WebhookOptions.Section}:{nameof(WebhookOptions.MaxFutureSkew)} must be from 00:00:00 to 366.00:00:00 (got {options.MaxFutureSkew}).");
        }

        var earliestAllowed = EventDateRange.Earliest.AtStartOfDayInZone(DateTimeZone.Utc).ToDateTimeOffset();
        if (options.EarliestEventTime < earliestAllowed || options.EarliestEventTime > clock.GetUtcNow())
        {
            errors.Add($"{WebhookOptions.Section}:{nameof(WebhookOptions.EarliestEventTime)} must be from {earliestAllowed:yyyy-MM-dd} to now (got {options.EarliestEventTime:O}).");
        }

        if (options.SecretOf("pipedrive") is { } pipedrive && !pipedrive.Contains(':', StringComparison.Ordinal))
        {
            errors.Add($"{WebhookOptions.Section}:Secrets:pipedrive must be user:password (the webhook's HTTP basic auth).");
        }

        foreach (var crm in WebhookOptions.Sources.Skip(1))
        {
            var path = options.MappingPath(crm, environment.ContentRootPath);
            if (options.SecretOf(crm) is not null && path is null)
            {
                errors.Add($"{WebhookOptions.Section}:Mappings:{crm} is required when {crm} is enabled (see samples/mappings/{crm}.json).");
            }

            if (path is not null)
            {
                try
                {
                    CrmMapping.Load(path);
                }
                catch (CrmMappingException ex)
                {
                    errors.Add($"{WebhookOptions.Section}:Mappings:{crm}: {ex.Message}");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
