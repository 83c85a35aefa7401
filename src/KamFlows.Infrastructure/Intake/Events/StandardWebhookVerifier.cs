using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KamFlows.Infrastructure.Intake.Events;

/// <summary>
/// Standard Webhooks symmetric signatures: <c>webhook-signature</c> holds space-separated <c>v1,{base64}</c> entries, each an
/// HMAC-SHA256 of <c>{webhook-id}.{webhook-timestamp}.{body}</c> keyed with the bytes of the base64 secret after
/// <c>whsec_</c>. Several secrets may be active at once (rotation); one matching signature from any of them suffices.
/// The timestamp (Unix seconds) must be within ±5 minutes of now. Comparisons are constant-time.
/// </summary>
public sealed class StandardWebhookVerifier
{
    public const string SecretPrefix = "whsec_";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private readonly List<byte[]> _keys;

    public StandardWebhookVerifier(IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _keys = secrets.Select(KeyOf).ToList();
        if (_keys.Count == 0)
        {
            throw new ArgumentException("At least one secret is needed.", nameof(secrets));
        }
    }

    /// <summary>The key bytes of a <c>whsec_</c> secret (the prefix is optional, as in the reference libraries).</summary>
    public static byte[] KeyOf(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var base64 = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        try
        {
            var key = Convert.FromBase64String(base64);
            return key.Length > 0 ? key : throw new FormatException("empty");
        }
        catch (FormatException ex)
        {
            throw new FormatException("A Standard Webhooks secret is whsec_ followed by base64.", ex);
        }
    }

    /// <summary>The <c>v1,{base64}</c> signature of a message (senders and tests).</summary>
    public static string Sign(byte[] key, string messageId, long timestamp, ReadOnlySpan<byte> body) =>
        "v1," + Convert.ToBase64String(Compute(key, messageId, timestamp.ToString(CultureInfo.InvariantCulture), body));

    /// <summary>Null when authentic; otherwise the reason.</summary>
    public string? Verify(string? messageId, string? timestamp, string? signatures, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(messageId) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signatures))
        {
            return "webhook-id, webhook-timestamp and webhook-signature headers are required";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return "webhook-timestamp must be Unix seconds";
        }

        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
        {
            return "webhook-timestamp is more than 5 minutes away from now";
        }

        var presented = new List<byte[]>();
        foreach (var entry in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0 && entry.AsSpan(0, comma).SequenceEqual("v1"))
            {
                var decoded = new byte[32];
                if (Convert.TryFromBase64String(entry[(comma + 1)..], decoded, out var written) && written == 32
                    && string.Equals(Convert.ToBase64String(decoded), entry[(comma + 1)..], StringComparison.Ordinal))
                {
                    presented.Add(decoded);
                }
            }
        }

        var valid = false;
        foreach (var key in _keys)
        {
            var expected = Compute(key, messageId, timestamp, body);
            foreach (var signature in presented)
            {
                valid |= CryptographicOperations.FixedTimeEquals(expected, signature);
            }
        }

        return valid ? null : "no webhook-signature matches";
    }

    private static byte[] Compute(byte[] key, string messageId, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(messageId + "." + timestamp + ".");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, content);
    }
}
