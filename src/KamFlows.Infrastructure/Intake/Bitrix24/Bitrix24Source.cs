using KamFlows.Infrastructure.Intake.Mapping;

namespace KamFlows.Infrastructure.Intake.Bitrix24;

/// <summary>
/// Bitrix24 outbound webhooks: form-encoded <c>event</c> (e.g. <c>ONCRMDEALUPDATE</c>), <c>data[FIELDS][ID]</c>, <c>ts</c>
/// and <c>auth[…]</c>, authenticated by <c>auth[application_token]</c>. Automation "webhook" robots may add more fields
/// (<c>data[FIELDS][STAGE_ID]</c>, <c>data[FIELDS][UF_CRM_…]</c>), which mapping rules read by their form names. The
/// record's fields are the form fields without the tokens; its id is a hash of them, so a retry is a duplicate.
/// </summary>
public sealed class Bitrix24Source(string applicationToken, CrmMapping mapping) : IWebhookSource
{
    private static readonly HashSet<string> Secrets = new(StringComparer.Ordinal)
    {
        "auth[application_token]", "auth[access_token]", "auth[refresh_token]",
    };

    public string Name => "bitrix24";

    public IReadOnlyList<string> MediaTypes { get; } = ["application/x-www-form-urlencoded"];

    public string? Authenticate(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fields = FormFields.Parse(request.Body.Span);
        return WebhookText.SecretEquals(fields.GetValueOrDefault("auth[application_token]"), applicationToken)
            ? null
            : "auth[application_token] is missing or wrong";
    }

    public IntakeReadResult Read(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fields = FormFields.Parse(request.Body.Span).Where(f => !Secrets.Contains(f.Key)).ToDictionary(StringComparer.Ordinal);
        if (!fields.TryGetValue("event", out var name) || name.Length == 0)
        {
            return IntakeReadResult.Invalid("event", "is required (the Bitrix24 event name, e.g. ONCRMDEALUPDATE)");
        }

        return CrmMapper.Map(mapping, Name, [new CrmRecord(0, WebhookText.ContentId(fields), fields)]);
    }
}
