using System.Text;
using System.Text.Json;
using KamFlows.Infrastructure.Intake.Mapping;

namespace KamFlows.Infrastructure.Intake.Pipedrive;

/// <summary>
/// Pipedrive webhooks v2: a JSON object with <c>meta</c> (<c>id</c> of the event, <c>action</c> create/change/delete,
/// <c>entity</c> deal/person/organization…, <c>timestamp</c>), <c>data</c> (the object now, custom fields under
/// <c>data.custom_fields.{key}.value</c>) and <c>previous</c> (changed fields before). Authenticated with HTTP basic auth
/// configured on the webhook. The record's fields are every scalar under a dotted path (<c>meta.action</c>,
/// <c>data.stage_id</c>, <c>previous.stage_id</c>); its id is derived from <c>meta.id</c>, which a retry repeats.
/// </summary>
public sealed class PipedriveSource(string userAndPassword, CrmMapping mapping) : IWebhookSource
{
    public string Name => "pipedrive";

    public IReadOnlyList<string> MediaTypes { get; } = ["application/json"];

    public string? Authenticate(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Header("Authorization");
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return "HTTP basic authentication is required";
        }

        var presented = new byte[header.Length];
        if (!Convert.TryFromBase64String(header[6..].Trim(), presented, out var written))
        {
            return "the basic authentication header is not base64";
        }

        string credentials;
        try
        {
            credentials = new UTF8Encoding(false, true).GetString(presented, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return "the basic authentication credentials are not UTF-8";
        }

        return WebhookText.SecretEquals(credentials, userAndPassword) ? null : "wrong user or password";
    }

    public IntakeReadResult Read(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request.Body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            return IntakeReadResult.Invalid("$", "is not valid JSON: " + ex.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("meta", out var meta) || meta.ValueKind != JsonValueKind.Object)
            {
                return IntakeReadResult.Invalid("meta", "is required: a Pipedrive webhooks v2 body has meta, data and previous");
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            Flatten(root, string.Empty, fields);
            foreach (var required in new[] { "meta.id", "meta.action", "meta.entity" })
            {
                if (!fields.TryGetValue(required, out var value) || value.Length == 0)
                {
                    return IntakeReadResult.Invalid(required, "is required (webhooks v2 meta)");
                }
            }

            return CrmMapper.Map(mapping, Name, [new CrmRecord(0, WebhookText.ContentId([new("meta.id", fields["meta.id"])]), fields)]);
        }
    }

    private static void Flatten(JsonElement element, string path, Dictionary<string, string> fields)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    Flatten(p.Value, path.Length == 0 ? p.Name : path + "." + p.Name, fields);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, $"{path}[{i++}]", fields);
                }

                break;
            case JsonValueKind.String:
                fields[path] = element.GetString()!;
                break;
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                fields[path] = element.GetRawText();
                break;
            default:
                break;
        }
    }
}
