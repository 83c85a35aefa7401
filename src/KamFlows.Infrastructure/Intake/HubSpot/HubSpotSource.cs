using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KamFlows.Infrastructure.Intake.Mapping;

namespace KamFlows.Infrastructure.Intake.HubSpot;

/// <summary>
/// HubSpot webhooks: a JSON array of events (<c>eventId</c>, <c>subscriptionType</c> such as <c>deal.propertyChange</c>,
/// <c>objectId</c>, <c>occurredAt</c> in epoch ms, <c>propertyName</c>/<c>propertyValue</c> …), signed with signature v3:
/// <c>X-HubSpot-Signature-v3</c> = base64(HMAC-SHA256(client secret, method + URI + body + timestamp)), with
/// <c>X-HubSpot-Request-Timestamp</c> (epoch ms) no more than 5 minutes old. Each array element is a record; its fields are
/// the element's scalar members plus <c>prop:{name}</c> for every property change of the same object in the request, so
/// a rule can combine properties HubSpot sent together. Record id: a hash of <c>portalId</c> and <c>eventId</c> (stable across retries).
/// </summary>
public sealed class HubSpotSource(string clientSecret, CrmMapping mapping) : IWebhookSource
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    public const int MaxEvents = 1000;

    // HubSpot signs the URI with these characters decoded.
    private static readonly (string Encoded, string Decoded)[] DecodedInUri =
    [
        ("%3A", ":"), ("%2F", "/"), ("%3F", "?"), ("%40", "@"), ("%21", "!"), ("%24", "$"), ("%27", "'"), ("%28", "("), ("%29", ")"), ("%2A", "*"), ("%2C", ","), ("%3B", ";"),
    ];

    public string Name => "hubspot";

    public IReadOnlyList<string> MediaTypes { get; } = ["application/json"];

    public static string Sign(string clientSecret, string method, string uri, ReadOnlySpan<byte> body, string timestamp)
    {
        ArgumentNullException.ThrowIfNull(clientSecret);
        var source = Encoding.UTF8.GetBytes(method + NormalizeUri(uri)).Concat(body.ToArray()).Concat(Encoding.UTF8.GetBytes(timestamp)).ToArray();
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), source));
    }

    public string? Authenticate(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var signature = request.Header("X-HubSpot-Signature-v3");
        var timestamp = request.Header("X-HubSpot-Request-Timestamp");
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp))
        {
            return "X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp headers are required";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return "X-HubSpot-Request-Timestamp must be epoch milliseconds";
        }

        if ((request.ReceivedAt - DateTimeOffset.FromUnixTimeMilliseconds(ms)).Duration() > MaxAge)
        {
            return "X-HubSpot-Request-Timestamp is more than 5 minutes away from now";
        }

        var expected = Convert.FromBase64String(Sign(clientSecret, request.Method, request.Url, request.Body.Span, timestamp));
        var presented = new byte[32];
        var ok = Convert.TryFromBase64String(signature, presented, out var written) && written == 32
            && string.Equals(Convert.ToBase64String(presented), signature, StringComparison.Ordinal);
        return CryptographicOperations.FixedTimeEquals(expected, presented) && ok ? null : "X-HubSpot-Signature-v3 does not match";
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
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() is 0 or > MaxEvents)
            {
                return IntakeReadResult.Invalid("$", $"must be a JSON array of 1 to {MaxEvents} HubSpot events");
            }

            var elements = new List<Dictionary<string, string>>();
            var i = 0;
            foreach (var element in root.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object)
                {
                    return IntakeReadResult.Invalid($"events[{i}]", "must be a HubSpot event object");
                }

                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var p in element.EnumerateObject())
                {
                    if (p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                    {
                        fields[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
                    }
                }

                foreach (var required in new[] { "eventId", "portalId", "subscriptionType", "objectId", "occurredAt" })
                {
                    if (!fields.TryGetValue(required, out var value) || value.Length == 0 || value.Length > 64)
                    {
                        return IntakeReadResult.Invalid($"events[{i}].{required}", "is required (a HubSpot webhook event carries it)");
                    }
                }

                elements.Add(fields);
                i++;
            }

            var bags = elements
                .Where(f => f.ContainsKey("propertyName") && f.ContainsKey("propertyValue"))
                .GroupBy(f => ObjectKey(f))
                .ToDictionary(g => g.Key, g => g.ToList());
            var records = elements.Select((fields, index) =>
            {
                if (bags.TryGetValue(ObjectKey(fields), out var changes))
                {
                    foreach (var change in changes)
                    {
                        fields["prop:" + change["propertyName"]] = change["propertyValue"];
                    }
                }

                return new CrmRecord(index, WebhookText.ContentId([new("portal", fields["portalId"]), new("event", fields["eventId"])]), fields);
            }).ToList();
            return CrmMapper.Map(mapping, Name, records);
        }
    }

    private static string ObjectKey(Dictionary<string, string> fields) =>
        fields["subscriptionType"].Split('.')[0] + "|" + fields["objectId"];

    private static string NormalizeUri(string uri)
    {
        foreach (var (encoded, decoded) in DecodedInUri)
        {
            uri = uri.Replace(encoded, decoded, StringComparison.OrdinalIgnoreCase);
        }

        return uri;
    }
}
