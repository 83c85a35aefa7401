using System.Collections.Concurrent;
using Azure.Data.Tables;
using KamFlows.Infrastructure.Notifications;
using KamFlows.Infrastructure.Notifications.Digests;
using KamFlows.Infrastructure.Notifications.Invites;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Infrastructure.Notifications.Senders;
using KamFlows.Infrastructure.Notifications.Templates;
using KamFlows.Testing;
using KamFlows.Workflows.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>Everything the email area needs, on the shared Azurite in tables of its own, on a fake clock.</summary>
public sealed class EmailTestKit
{
    public const string Helsinki = "Europe/Helsinki";

    private static readonly Lazy<NotificationTemplates> SharedTemplates = new(() => NotificationTemplates.Load(null));

    private EmailTestKit(FakeTimeProvider clock, EmailOptions options, string hub, string connectionString)
    {
        Clock = clock;
        Options = options;
        TaskHub = hub;
        Store = new OutboxStore(new TableClient(connectionString, hub + "Outbox"), clock);
        Budget = new TouchBudget(new TableClient(connectionString, hub + "Outbox"));
        Schedule = new DigestSchedule(options);
        Recipients = new RecipientDirectory(new TableClient(connectionString, hub + "EmailRecipients"), Schedule, clock);
        Outbox = new TableNotificationOutbox(Store, Signal, clock);
        Links = new UnsubscribeLinks("test-signing-key-0123456789abcdef"u8.ToArray(), options.PublicBaseUrl);
        Renderer = new NotificationRenderer(Templates, new CalendarInviteWriter(clock), Links, options);
    }

    public static NotificationTemplates Templates => SharedTemplates.Value;

    public FakeTimeProvider Clock { get; }

    public EmailOptions Options { get; }

    public string TaskHub { get; }

    public OutboxStore Store { get; }

    public TouchBudget Budget { get; }

    public DigestSchedule Schedule { get; }

    public RecipientDirectory Recipients { get; }

    public OutboxSignal Signal { get; } = new();

    public TableNotificationOutbox Outbox { get; }

    public UnsubscribeLinks Links { get; }

    public NotificationRenderer Renderer { get; }

    public RecordingLogger<OutboxSender> SenderLogs { get; } = new();

    public static async Task<EmailTestKit> CreateAsync(DateTimeOffset start, Action<EmailOptions>? configure = null)
    {
        var options = new EmailOptions { FromAddress = "kamflows@supplier.example", ReplyTo = "kam-desk@supplier.example", PublicBaseUrl = new Uri("https://kamflows.supplier.example/") };
        configure?.Invoke(options);
        Assert.Empty(options.Validate());
        var kit = new EmailTestKit(new FakeTimeProvider(start), options, Names.TaskHub("e"), await SharedAzurite.ConnectionStringAsync());
        await kit.Store.EnsureCreatedAsync(CancellationToken.None);
        await kit.Recipients.EnsureCreatedAsync(CancellationToken.None);
        return kit;
    }

    /// <summary>A sender as a separate process would have it (own id), on this kit's storage and clock.</summary>
    public OutboxSender Sender(IEmailSender provider, string id = "sender-a") =>
        new(Store, provider, Renderer, Recipients, Budget, Options, Clock, SenderLogs, id);

    public SendGridEmailSender SendGridSender() => new(SendGridHttp.CreateClient(), Options);

    /// <summary>A request of <paramref name="kind"/> with the catalog's sample fields, to a KAM in Helsinki unless told otherwise.</summary>
    public static NotificationRequest Request(NotificationKind kind, string id, DateTimeOffset sendAt, NotificationRecipient? recipient = null,
        IReadOnlyDictionary<string, TemplateValue>? fields = null, CalendarInvite? invite = null) => new()
    {
        NotificationId = id,
        Kind = kind,
        Recipient = recipient ?? new NotificationRecipient("anna.virtanen@supplier.example", "Anna Virtanen", "fi", Helsinki, NotificationCatalog.For(kind).Audience),
        SendAt = sendAt,
        AccountId = "A-1",
        SourceKey = "proposal:P-1001",
        Fields = fields ?? NotificationCatalog.For(kind).SampleFields,
        Invite = invite,
        Essential = NotificationCatalog.For(kind).Essential,
    };

    /// <summary>A local wall-clock time in Helsinki as an instant.</summary>
    /// <summary>The kind's catalog sample with <paramref name="changes"/> applied, rendered in <paramref name="language"/> for a Helsinki reader.</summary>
    public static RenderedEmail RenderSample(NotificationKind kind, string language, params (string Key, TemplateValue Value)[] changes)
    {
        var fields = new Dictionary<string, TemplateValue>(NotificationCatalog.For(kind).SampleFields, StringComparer.Ordinal);
        foreach (var (key, value) in changes)
        {
            fields[key] = value;
        }

        return Templates.Render(kind, fields, new LocaleFormat(language, Helsinki), null);
    }

    public static DateTimeOffset InHelsinki(int year, int month, int day, int hour, int minute = 0) =>
        NodaTime.LocalDateTime.FromDateTime(new DateTime(year, month, day, hour, minute, 0)).InZoneLeniently(NodaTime.DateTimeZoneProviders.Tzdb[Helsinki]).ToDateTimeOffset();
}

internal static class EmailOptionsTestExtensions
{
    public static EmailOptions WithSendGrid(this EmailOptions o, Uri host)
    {
        o.SendGridApiKey = "test-sendgrid-api-key";
        o.SendGridHost = host;
        return o;
    }
}

/// <summary>Thrown by a test probe to stop a sender at an exact point, as a killed process would stop.</summary>
public sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException()
        : base("Simulated crash.")
    {
    }

    public SimulatedCrashException(string message)
        : base(message)
    {
    }

    public SimulatedCrashException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>Keeps every log entry, so a test can count alerts.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, EventId EventId, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, eventId, formatter(state, exception)));

    public int Count(int eventId) => Entries.Count(e => e.EventId.Id == eventId);
}
