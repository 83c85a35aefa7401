using System.Security.Cryptography;
using System.Text;
using KamFlows.Infrastructure.Intake.Mapping;

namespace KamFlows.Infrastructure.Intake;

/// <summary>An incoming webhook as the intake sees it: raw body bytes (signatures are over them) and accessors for headers and query.</summary>
public sealed record WebhookRequest(
    string Method,
    string Url,
    string? ContentType,
    ReadOnlyMemory<byte> Body,
    DateTimeOffset ReceivedAt,
    Func<string, string?> Header,
    Func<string, string?> Query);

/// <summary>
/// One webhook source (<c>events</c>, <c>hubspot</c>, <c>pipedrive</c>, <c>bitrix24</c>, <c>amocrm</c>): the media types it
/// accepts, how a request proves where it comes from, and how its body becomes canonical events. Pure code: no I/O.
/// </summary>
public interface IWebhookSource
{
    string Name { get; }

    /// <summary>Accepted media types (without parameters), lower-case.</summary>
    IReadOnlyList<string> MediaTypes { get; }

    /// <summary>Null when the request is authentic; otherwise why not (for the 401 answer; never contains a secret).</summary>
    string? Authenticate(WebhookRequest request);

    /// <summary>The canonical events of an authenticated request, or every problem with its path.</summary>
    IntakeReadResult Read(WebhookRequest request);
}

/// <summary>Helpers shared by the sources.</summary>
public static class WebhookText
{
    /// <summary>The media type without parameters, lower-case; null when absent.</summary>
    public static string? MediaType(string? contentType) =>
        string.IsNullOrWhiteSpace(contentType) ? null : contentType.Split(';')[0].Trim().ToLowerInvariant();

    /// <summary>Constant-time comparison of two texts (length differences leak only the length).</summary>
    public static bool SecretEquals(string? presented, string expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (presented is null)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }

    /// <summary>A short stable id from the content of a CRM record that carries no id of its own (its retry has the same content).</summary>
    public static string ContentId(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var canonical = string.Join("\n", fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + f.Value));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..32];
    }
}
