// The local sink: each message becomes {folder}/{stable name of its notification id}.eml.
// Invariant: the file appears whole or not at all (written to a temporary name, then renamed without overwrite), so
// "the file exists" means "delivered", and sending the same notification again delivers nothing new. That makes the
// local sink exactly-once even when a sender dies after writing and before recording it.
namespace KamFlows.Infrastructure.Notifications.Senders;

/// <summary>Writes messages as .eml files (RFC 5322) to a folder; the default when no SendGrid key is configured.</summary>
public sealed class LocalSinkEmailSender : IEmailSender
{
    public const string ProviderName = "LocalSink";

    private readonly EmailOptions _options;
    private readonly TimeProvider _time;

    public LocalSinkEmailSender(string folder, EmailOptions options, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
        _options = options;
        _time = time;
    }

    public string Folder { get; }

    public string Name => ProviderName;

    public bool DeduplicatesByNotificationId => true;

    /// <summary>The file a notification is (or would be) written to.</summary>
    public string PathFor(string notificationId) => Path.Combine(Folder, Outbox.OutboxKeys.FileSafeName(notificationId) + ".eml");

    public async Task<SendOutcome> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var target = PathFor(message.NotificationId);
        var name = Path.GetFileName(target);
        if (File.Exists(target))
        {
            return new SendOutcome.Accepted(name); // Delivered by an earlier attempt whose outcome was not recorded.
        }

        Directory.CreateDirectory(Folder);
        var from = string.IsNullOrWhiteSpace(_options.FromAddress) ? "kamflows@localhost" : _options.FromAddress;
        var content = EmailMime.Write(message, from, _options.FromName, _options.ReplyTo, _time.GetUtcNow());
        var temporary = Path.Combine(Folder, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllBytesAsync(temporary, content, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another attempt renamed its copy first: the message is there once.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SendOutcome.RetryLater(null, $"Cannot write to the local sink folder {Folder}: {e.Message}");
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }

        return new SendOutcome.Accepted(name);
    }
}
