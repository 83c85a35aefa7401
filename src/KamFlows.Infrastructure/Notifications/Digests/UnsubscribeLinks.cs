using System.Security.Cryptography;
using System.Text;

namespace KamFlows.Infrastructure.Notifications.Digests;

/// <summary>
/// Signed unsubscribe links: <c>{PublicBaseUrl}/api/unsubscribe/{token}</c>, token = base64url(address) "." base64url(first
/// 16 bytes of HMAC-SHA256(key, purpose|address)). Anyone holding the link can unsubscribe that address and nothing else;
/// the signature is compared in constant time. The key is a secret and is never logged.
/// </summary>
public sealed class UnsubscribeLinks
{
    private const string Purpose = "kamflows-unsubscribe|";

    private readonly byte[] _key;
    private readonly Uri _baseUrl;

    public UnsubscribeLinks(byte[] key, Uri publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        if (key.Length < 16)
        {
            throw new ArgumentException("The unsubscribe signing key must be at least 16 bytes.", nameof(key));
        }

        _key = key;
        _baseUrl = publicBaseUrl;
    }

    public string TokenFor(string email)
    {
        var address = Normalize(email);
        return Base64Url(Encoding.UTF8.GetBytes(address)) + "." + Base64Url(Sign(address));
    }

    public Uri UrlFor(string email) => new(_baseUrl, "api/unsubscribe/" + TokenFor(email));

    /// <summary>The address a token was made for, if the token is intact.</summary>
    public bool TryRead(string? token, out string email)
    {
        email = string.Empty;
        var dot = token?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (token is null || dot <= 0 || dot == token.Length - 1)
        {
            return false;
        }

        try
        {
            var address = Encoding.UTF8.GetString(FromBase64Url(token[..dot]));
            var signature = FromBase64Url(token[(dot + 1)..]);
            if (!CryptographicOperations.FixedTimeEquals(signature, Sign(address)))
            {
                return false;
            }

            email = address;
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    private byte[] Sign(string address) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(Purpose + address))[..16];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
