using KamFlows.Domain.Common;

namespace KamFlows.Infrastructure.Notifications;

/// <summary>
/// How KamFlows delivers email (section <c>KamFlows:Email</c>). With <see cref="SendGridApiKey"/> set, mail goes
/// through SendGrid and <see cref="FromAddress"/> is required; without it, every message is written as an .eml
/// file to <see cref="LocalSinkFolder"/> (the local sink).
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "KamFlows:Email";

    /// <summary>SendGrid API key; a secret: never logged. Empty means the local sink.</summary>
    public string? SendGridApiKey { get; set; }

    /// <summary>SendGrid's API address; only tests and proxies change it.</summary>
    public Uri SendGridHost { get; set; } = new("https://api.sendgrid.com");

    /// <summary>Puts SendGrid in sandbox mode: requests are validated, nothing is delivered.</summary>
    public bool SandboxMode { get; set; }

    public string? FromAddress { get; set; }

    public string FromName { get; set; } = "KamFlows";

    public string? ReplyTo { get; set; }

    /// <summary>Where the local sink writes .eml files; default <c>.kamflows/outbox</c> in the repository.</summary>
    public string? LocalSinkFolder { get; set; }

    /// <summary>Folder with template files that replace the built-in ones of the same name (checked at start-up).</summary>
    public string? TemplateOverrideFolder { get; set; }

    /// <summary>Address of this KamFlows as recipients reach it; unsubscribe links point here.</summary>
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:5080");

    /// <summary>Key that signs unsubscribe links (a secret). Empty: a key generated once and kept in storage.</summary>
    public string? UnsubscribeSigningKey { get; set; }

    /// <summary>Automated client-facing messages one client contact may receive per ISO week; more wait for the next week.</summary>
    public int ClientTouchBudgetPerWeek { get; set; } = 2;

    /// <summary>Attempts before a message that keeps failing temporarily is marked failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How long a sender owns a claimed message; after a crash another sender takes over when it lapses.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Time limit of one call to the provider; shorter than the lease.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First delay after a provider error (5xx, connection refused); doubles per attempt.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// After a crash while the provider was handling a request, whether to send again (a rare duplicate) or to mark
    /// the message <c>OutcomeUnknown</c> (a rare loss, visible in the outbox). The local sink never needs this.
    /// </summary>
    public bool ResendWhenOutcomeUnknown { get; set; }

    /// <summary>A message found due later than this after its send time waits for the recipient's next working morning.</summary>
    public TimeSpan LateSendGrace { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Local time the daily agenda and the weekly report are sent, on the recipient's business days.</summary>
    public TimeOnly DigestTime { get; set; } = new(8, 0);

    /// <summary>Longest sleep of the local sender loop when nothing is due.</summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Due messages handled per pass.</summary>
    public int BatchSize { get; set; } = 100;

    public bool UsesSendGrid => !string.IsNullOrWhiteSpace(SendGridApiKey);

    /// <summary>The problems, each naming its setting; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (UsesSendGrid)
        {
            if (!EmailAddress.IsValid(FromAddress))
            {
                errors.Add($"{Section}:FromAddress must be an email address when {Section}:SendGridApiKey is set (got '{FromAddress}').");
            }

            if (!SendGridHost.IsAbsoluteUri)
            {
                errors.Add($"{Section}:SendGridHost must be an absolute URI.");
            }
        }

        if (!string.IsNullOrWhiteSpace(ReplyTo) && !EmailAddress.IsValid(ReplyTo))
        {
            errors.Add($"{Section}:ReplyTo must be an email address (got '{ReplyTo}').");
        }

        if (!PublicBaseUrl.IsAbsoluteUri)
        {
            errors.Add($"{Section}:PublicBaseUrl must be an absolute URI.");
        }

        if (ClientTouchBudgetPerWeek < 1)
        {
            errors.Add($"{Section}:ClientTouchBudgetPerWeek must be at least 1.");
        }

        if (MaxAttempts < 1)
        {
            errors.Add($"{Section}:MaxAttempts must be at least 1.");
        }

        if (SendTimeout <= TimeSpan.Zero || ClaimLease <= SendTimeout)
        {
            errors.Add($"{Section}:ClaimLease ({ClaimLease}) must be longer than {Section}:SendTimeout ({SendTimeout}), or a slow send could be taken over and sent twice.");
        }

        if (RetryBaseDelay <= TimeSpan.Zero || MaxRetryDelay < RetryBaseDelay)
        {
            errors.Add($"{Section}:RetryBaseDelay must be positive and at most {Section}:MaxRetryDelay.");
        }

        if (LateSendGrace < TimeSpan.Zero)
        {
            errors.Add($"{Section}:LateSendGrace must not be negative.");
        }

        if (IdlePollInterval < TimeSpan.FromMilliseconds(10))
        {
            errors.Add($"{Section}:IdlePollInterval must be at least 10 ms.");
        }

        if (BatchSize is < 1 or > 1000)
        {
            errors.Add($"{Section}:BatchSize must be between 1 and 1000.");
        }

        if (TemplateOverrideFolder is { Length: > 0 } folder && !Directory.Exists(folder))
        {
            errors.Add($"{Section}:TemplateOverrideFolder '{folder}' does not exist.");
        }

        return errors;
    }
}
