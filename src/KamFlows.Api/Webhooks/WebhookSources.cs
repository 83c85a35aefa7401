using KamFlows.Infrastructure.Intake;
using KamFlows.Infrastructure.Intake.AmoCrm;
using KamFlows.Infrastructure.Intake.Bitrix24;
using KamFlows.Infrastructure.Intake.Events;
using KamFlows.Infrastructure.Intake.HubSpot;
using KamFlows.Infrastructure.Intake.Mapping;
using KamFlows.Infrastructure.Intake.Pipedrive;
using Microsoft.Extensions.Hosting;

namespace KamFlows.Api.Webhooks;

/// <summary>The webhook sources enabled by configuration (a source without a secret stays disabled).</summary>
public sealed class WebhookSources
{
    private readonly Dictionary<string, IWebhookSource> _enabled = new(StringComparer.Ordinal);

    public WebhookSources(WebhookOptions options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (options.SecretOf("events") is { } events)
        {
            Add(new CloudEventsSource(new StandardWebhookVerifier(events.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))));
        }

        CrmMapping Mapping(string crm) => CrmMapping.Load(options.MappingPath(crm, environment.ContentRootPath)
            ?? throw new InvalidOperationException($"{WebhookOptions.Section}:Mappings:{crm} is not set."));

        if (options.SecretOf("hubspot") is { } hubspot)
        {
            Add(new HubSpotSource(hubspot, Mapping("hubspot")));
        }

        if (options.SecretOf("pipedrive") is { } pipedrive)
        {
            Add(new PipedriveSource(pipedrive, Mapping("pipedrive")));
        }

        if (options.SecretOf("bitrix24") is { } bitrix)
        {
            Add(new Bitrix24Source(bitrix, Mapping("bitrix24")));
        }

        if (options.SecretOf("amocrm") is { } amo)
        {
            Add(new AmoCrmSource(amo, Mapping("amocrm")));
        }
    }

    public IReadOnlyCollection<string> Enabled => _enabled.Keys;

    public bool TryGet(string name, out IWebhookSource source) => _enabled.TryGetValue(name, out source!);

    private void Add(IWebhookSource source) => _enabled[source.Name] = source;
}
