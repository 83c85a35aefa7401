using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KamFlows.Infrastructure.Notifications.Senders;

/// <summary>
/// Writes an RFC 5322 / MIME message: multipart/alternative (text, then HTML) inside multipart/mixed when there are
/// attachments. Bodies are base64 (any UTF-8 survives); non-ASCII header values are RFC 2047 encoded words; CR and LF
/// are removed from header values so a subject cannot inject headers. Boundaries derive from the notification id, so the
/// same message always produces the same bytes (except the Date header).
/// </summary>
public static class MimeWriter
{
    public static string Write(EmailMessage message, string fromAddress, string fromName, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(message);
        var seed = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message.NotificationId)))[..24];
        var sb = new StringBuilder();
        Header(sb, "From", Mailbox(fromName, fromAddress));
        Header(sb, "To", Mailbox(message.ToName, message.ToEmail));
        Header(sb, "Subject", EncodeWords(message.Subject));
        Header(sb, "Date", date.ToString("ddd, dd MMM yyyy HH':'mm':'ss ", CultureInfo.InvariantCulture) + date.ToString("zzz", CultureInfo.InvariantCulture).Replace(":", string.Empty, StringComparison.Ordinal));
        Header(sb, "Message-ID", $"<{seed}@kamflows.local>");
        Header(sb, "MIME-Version", "1.0");
        foreach (var (name, value) in message.TraceIds.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            Header(sb, "X-KamFlows-" + HeaderName(name), EncodeWords(value));
        }

        foreach (var category in message.Categories)
        {
            Header(sb, "X-KamFlows-Category", EncodeWords(category));
        }

        if (message.UnsubscribeUrl is { } unsubscribe)
        {
            Header(sb, "List-Unsubscribe", $"<{unsubscribe.AbsoluteUri}>");
            Header(sb, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        var alternative = "alt-" + seed;
        if (message.Attachments.Count == 0)
        {
            Header(sb, "Content-Type", $"multipart/alternative; boundary=\"{alternative}\"");
            sb.Append("\r\n");
            Alternative(sb, alternative, message);
            return sb.ToString();
        }

        var mixed = "mix-" + seed;
        Header(sb, "Content-Type", $"multipart/mixed; boundary=\"{mixed}\"");
        sb.Append("\r\n");
        sb.Append("--").Append(mixed).Append("\r\n");
        Header(sb, "Content-Type", $"multipart/alternative; boundary=\"{alternative}\"");
        sb.Append("\r\n");
        Alternative(sb, alternative, message);
        foreach (var a in message.Attachments)
        {
            sb.Append("--").Append(mixed).Append("\r\n");
            var fileName = Clean(a.FileName).Replace("\"", string.Empty, StringComparison.Ordinal);
            Header(sb, "Content-Type", $"{a.ContentType}; name=\"{fileName}\"");
            Header(sb, "Content-Disposition", $"attachment; filename=\"{fileName}\"");
            Header(sb, "Content-Transfer-Encoding", "base64");
            sb.Append("\r\n");
            Base64(sb, a.Content);
        }

        sb.Append("--").Append(mixed).Append("--\r\n");
        return sb.ToString();
    }

    private static void Alternative(StringBuilder sb, string boundary, EmailMessage message)
    {
        foreach (var (type, body) in new[] { ("text/plain", message.Text), ("text/html", message.Html) })
        {
            sb.Append("--").Append(boundary).Append("\r\n");
            Header(sb, "Content-Type", type + "; charset=utf-8");
            Header(sb, "Content-Transfer-Encoding", "base64");
            sb.Append("\r\n");
            Base64(sb, Encoding.UTF8.GetBytes(body));
        }

        sb.Append("--").Append(boundary).Append("--\r\n");
    }

    private static void Base64(StringBuilder sb, byte[] content)
    {
        var text = Convert.ToBase64String(content);
        for (var i = 0; i < text.Length; i += 76)
        {
            sb.Append(text, i, Math.Min(76, text.Length - i)).Append("\r\n");
        }
    }

    private static void Header(StringBuilder sb, string name, string value) => sb.Append(name).Append(": ").Append(value).Append("\r\n");

    private static string Mailbox(string? name, string address) =>
        string.IsNullOrWhiteSpace(name) ? $"<{Clean(address)}>" : $"{EncodeWords(name)} <{Clean(address)}>";

    private static string HeaderName(string key)
    {
        var parts = key.Split('_', StringSplitOptions.RemoveEmptyEntries);
        return string.Concat(parts.Select(p => char.ToUpperInvariant(p[0]) + p[1..])).Where(char.IsAsciiLetterOrDigit).Aggregate(new StringBuilder(), (b, c) => b.Append(c)).ToString();
    }

    private static string Clean(string value) => value.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>ASCII printable text as it is; anything else as UTF-8 base64 encoded words of at most 75 characters, folded.</summary>
    private static string EncodeWords(string value)
    {
        value = Clean(value);
        if (value.All(c => c is >= ' ' and <= '~') && !value.Contains("=?", StringComparison.Ordinal))
        {
            return value;
        }

        var words = new List<string>();
        var chunk = new StringBuilder();
        foreach (var rune in value.EnumerateRunes())
        {
            // 45 bytes of UTF-8 become 60 base64 characters: with "=?utf-8?B?" and "?=" a word stays under 75.
            if (Encoding.UTF8.GetByteCount(chunk.ToString()) + rune.Utf8SequenceLength > 45)
            {
                words.Add(Word(chunk.ToString()));
                chunk.Clear();
            }

            chunk.Append(rune.ToString());
        }

        if (chunk.Length > 0)
        {
            words.Add(Word(chunk.ToString()));
        }

        return string.Join("\r\n ", words);
    }

    private static string Word(string text) => "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) + "?=";
}
