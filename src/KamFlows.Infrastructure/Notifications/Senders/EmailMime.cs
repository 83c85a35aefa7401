using System.Security.Cryptography;
using System.Text;
using MimeKit;
using MimeKit.Text;

namespace KamFlows.Infrastructure.Notifications.Senders;

/// <summary>
/// Builds the RFC 5322 / MIME message of an email with MimeKit: multipart/alternative (text, then HTML) inside
/// multipart/mixed when there are attachments, the <see cref="EmailHeaders"/> every provider carries, display names
/// quoted or RFC 2047-encoded as needed (<c>Kaisa &lt;i&gt;Kam&lt;/i&gt;</c> stays a name). Message-ID and boundaries derive from
/// the notification id, so the same message always produces the same bytes (except the Date header).
/// </summary>
public static class EmailMime
{
    private static readonly FormatOptions EmlFormat = CrLf();

    public static MimeMessage Build(EmailMessage message, string fromAddress, string fromName, string? replyTo, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(message);
        var seed = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message.NotificationId)))[..24];
        var mime = new MimeMessage { Subject = EmailHeaders.SingleLine(message.Subject), Date = date, MessageId = $"{seed}@kamflows.local" };
        mime.From.Add(new MailboxAddress(EmailHeaders.SingleLine(fromName), fromAddress));
        mime.To.Add(new MailboxAddress(message.ToName is null ? null : EmailHeaders.SingleLine(message.ToName), message.ToEmail));
        if (!string.IsNullOrWhiteSpace(replyTo))
        {
            mime.ReplyTo.Add(MailboxAddress.Parse(replyTo));
        }

        foreach (var (name, value) in EmailHeaders.For(message))
        {
            mime.Headers.Add(name, Encoding.UTF8, value);
        }

        var alternative = new MultipartAlternative { Part(TextFormat.Plain, message.Text), Part(TextFormat.Html, message.Html) };
        alternative.Boundary = "alt-" + seed;
        if (message.Attachments.Count == 0)
        {
            mime.Body = alternative;
            return mime;
        }

        var mixed = new Multipart("mixed") { alternative };
        mixed.Boundary = "mix-" + seed;
        foreach (var a in message.Attachments)
        {
            var type = ContentType.Parse(a.ContentType);
            mixed.Add(new MimePart(type)
            {
                Content = new MimeContent(new MemoryStream(a.Content)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = a.FileName,
            });
        }

        mime.Body = mixed;
        return mime;
    }

    /// <summary>The message as the bytes of an <c>.eml</c> file (CRLF line ends).</summary>
    public static byte[] Write(EmailMessage message, string fromAddress, string fromName, string? replyTo, DateTimeOffset date)
    {
        using var stream = new MemoryStream();
        Build(message, fromAddress, fromName, replyTo, date).WriteTo(EmlFormat, stream);
        return stream.ToArray();
    }

    private static FormatOptions CrLf()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }

    // Base64 keeps any UTF-8 intact and lines short, whatever the template produced.
    private static TextPart Part(TextFormat format, string body)
    {
        var part = new TextPart(format) { ContentTransferEncoding = ContentEncoding.Base64 };
        part.SetText(Encoding.UTF8, body);
        return part;
    }
}
