namespace KamFlows.Infrastructure.Notifications.Senders;

/// <summary>
/// The headers of a message beyond From, To, Reply-To and Subject, one list for every provider, so the local sink's
/// <c>.eml</c> and what SendGrid sends carry the same ones: the one-click unsubscribe pair (RFC 8058) for non-essential
/// mail, <c>X-KamFlows-{TraceId}</c> per trace id and <c>X-KamFlows-Categories</c>. Names are unique (SendGrid takes a map).
/// CR and LF never reach a value, so no value can add a header.
/// </summary>
public static class EmailHeaders
{
    public const string CategoriesHeader = "X-KamFlows-Categories";

    public static IReadOnlyList<KeyValuePair<string, string>> For(EmailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var headers = new List<KeyValuePair<string, string>>();
        if (message.UnsubscribeUrl is { } unsubscribe)
        {
            headers.Add(new("List-Unsubscribe", $"<{unsubscribe.AbsoluteUri}>"));
            headers.Add(new("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"));
        }

        foreach (var (key, value) in message.TraceIds.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            headers.Add(new("X-KamFlows-" + TraceHeaderName(key), SingleLine(value)));
        }

        if (message.Categories.Count > 0)
        {
            headers.Add(new(CategoriesHeader, SingleLine(string.Join(", ", message.Categories))));
        }

        return headers;
    }

    /// <summary>A text with line breaks turned into spaces (header values, display names).</summary>
    public static string SingleLine(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
    }

    /// <summary><c>notification_id</c> → <c>NotificationId</c>.</summary>
    private static string TraceHeaderName(string key) =>
        string.Concat(key.Split('_', StringSplitOptions.RemoveEmptyEntries).SelectMany(p => char.ToUpperInvariant(p[0]) + p[1..]).Where(char.IsAsciiLetterOrDigit));
}
