using KamFlows.Infrastructure.Notifications.Digests;
using KamFlows.Infrastructure.Notifications.Invites;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Infrastructure.Notifications.Senders;
using KamFlows.Infrastructure.Notifications.Templates;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Notifications;

/// <summary>
/// Turns an outbox row into the email a provider sends: templates in the recipient's language and zone, the .ics for
/// an invite, an unsubscribe link on everything not essential, categories (kind, "kamflows") and the ids that trace the
/// message to its row (notification, account, workflow). Deterministic: the same row renders the same message.
/// </summary>
public sealed class NotificationRenderer
{
    public const string Category = "kamflows";

    private readonly NotificationTemplates _templates;
    private readonly CalendarInviteWriter _invites;
    private readonly UnsubscribeLinks _unsubscribe;
    private readonly EmailOptions _options;

    public NotificationRenderer(NotificationTemplates templates, CalendarInviteWriter invites, UnsubscribeLinks unsubscribe, EmailOptions options)
    {
        _templates = templates;
        _invites = invites;
        _unsubscribe = unsubscribe;
        _options = options;
    }

    /// <summary>
    /// A row stored by an earlier build lacks the fields its kind gained since (enqueueing checks the current ones): they
    /// read as unknown, so the message still renders, claiming nothing it did not carry.
    /// </summary>
    private static IReadOnlyDictionary<string, TemplateValue> WithFieldsAddedSinceStored(NotificationRequest request)
    {
        var missing = NotificationCatalog.MissingFields(request);
        if (missing.Count == 0)
        {
            return request.Fields;
        }

        var sample = NotificationCatalog.For(request.Kind).SampleFields;
        var fields = new Dictionary<string, TemplateValue>(request.Fields, StringComparer.Ordinal);
        foreach (var name in missing)
        {
            fields[name] = TemplateValue.OfUnknown(sample[name].Kind);
        }

        return fields;
    }

    public EmailMessage Render(OutboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var r = message.Request;
        var format = new LocaleFormat(r.Recipient.Locale, r.Recipient.TimeZone);
        var unsubscribe = message.IsEssential ? null : _unsubscribe.UrlFor(r.Recipient.Email);
        var rendered = _templates.Render(r.Kind, WithFieldsAddedSinceStored(r), format, unsubscribe);
        var attachments = r.Invite is { } invite
            ? new[] { new EmailAttachment(CalendarInviteWriter.FileName, CalendarInviteWriter.ContentType(invite), _invites.WriteBytes(invite, Organizer, r.Recipient.Email, r.Recipient.Name)) }
            : [];
        return new EmailMessage
        {
            NotificationId = r.NotificationId,
            Kind = r.Kind,
            ToEmail = r.Recipient.Email,
            ToName = r.Recipient.Name,
            Subject = rendered.Subject,
            Html = rendered.Html,
            Text = rendered.Text,
            Attachments = attachments,
            UnsubscribeUrl = unsubscribe,
            Categories = [r.Kind.ToString(), Category],
            TraceIds = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["notification_id"] = r.NotificationId,
                ["account_id"] = r.AccountId,
                ["source_key"] = r.SourceKey,
            },
        };
    }

    private string Organizer => string.IsNullOrWhiteSpace(_options.FromAddress) ? "kamflows@localhost" : _options.FromAddress;
}
