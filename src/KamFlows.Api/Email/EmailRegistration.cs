using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Notifications;
using KamFlows.Infrastructure.Notifications.Digests;
using KamFlows.Infrastructure.Notifications.Invites;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Infrastructure.Notifications.Senders;
using KamFlows.Infrastructure.Notifications.Templates;
using KamFlows.Infrastructure.Storage;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KamFlows.Api.Email;

/// <summary>Wires email into a host: outbox, sender (SendGrid or the local sink), templates, digests; the delivery loop only where loops run.</summary>
public static class EmailRegistration
{
    /// <remarks><c>runLoop</c>: run <see cref="EmailDeliveryService"/> in-process (the local host); the Functions app calls <see cref="EmailDelivery.RunOnceAsync"/> from a timer instead.</remarks>
    public static IServiceCollection AddKamFlowsEmail(this IServiceCollection services, IConfiguration configuration, bool runLoop)
    {
        services.AddOptions<EmailOptions>()
            .Bind(configuration.GetSection(EmailOptions.Section))
            .PostConfigure<IHostEnvironment>((o, env) => o.LocalSinkFolder ??= Path.Combine(env.ContentRootPath, ".kamflows", "outbox"))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value);

        services.AddSingleton<OutboxSignal>();
        services.AddSingleton(sp => new OutboxStore(sp.GetRequiredService<StorageClients>().Table("Outbox"), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new TouchBudget(sp.GetRequiredService<StorageClients>().Table("Outbox")));
        services.AddSingleton<INotificationOutbox, TableNotificationOutbox>();
        services.AddSingleton<DigestSchedule>();
        services.AddSingleton(sp => new RecipientDirectory(sp.GetRequiredService<StorageClients>().Table("EmailRecipients"), sp.GetRequiredService<DigestSchedule>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<KamFlows.Infrastructure.Intake.IAccountTeamListener, DigestTeamListener>(); // KAMs and heads get digests once their account arrives.
        services.AddSingleton(sp => NotificationTemplates.Load(sp.GetRequiredService<EmailOptions>().TemplateOverrideFolder));
        services.AddSingleton(sp => new DigestComposer(sp.GetRequiredService<NotificationTemplates>().Terms));
        services.AddSingleton<CalendarInviteWriter>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<EmailOptions>();
            var key = string.IsNullOrEmpty(options.UnsubscribeSigningKey)
                ? sp.GetRequiredService<RecipientDirectory>().GetOrCreateSigningKeyAsync(CancellationToken.None).GetAwaiter().GetResult() // Once, at start-up (EmailStartup resolves it).
                : System.Text.Encoding.UTF8.GetBytes(options.UnsubscribeSigningKey);
            return new UnsubscribeLinks(key, options.PublicBaseUrl);
        });
        services.AddSingleton<IEmailSender>(sp =>
        {
            var options = sp.GetRequiredService<EmailOptions>();
            return options.UsesSendGrid
                ? new SendGridEmailSender(SendGridHttp.CreateClient(), options)
                : new LocalSinkEmailSender(options.LocalSinkFolder!, options, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<NotificationRenderer>();
        services.AddSingleton(sp => new OutboxSender(sp.GetRequiredService<OutboxStore>(), sp.GetRequiredService<IEmailSender>(), sp.GetRequiredService<NotificationRenderer>(),
            sp.GetRequiredService<RecipientDirectory>(), sp.GetRequiredService<TouchBudget>(), sp.GetRequiredService<EmailOptions>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<OutboxSender>>(), timeline: sp.GetService<Infrastructure.Timeline.ITimelineWriter>()));
        services.AddSingleton(sp => sp.GetService<IUpcomingActions>() is { } upcoming
            ? new EmailDelivery(sp.GetRequiredService<OutboxSender>(), new DigestScheduler(sp.GetRequiredService<RecipientDirectory>(), sp.GetRequiredService<INotificationOutbox>(),
                upcoming, sp.GetRequiredService<DigestComposer>(), sp.GetRequiredService<DigestSchedule>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<DigestScheduler>>(), sp.GetService<IPipelineFigures>(), sp.GetService<IAccountReader>(),
                sp.GetService<MissedActionStore>(), sp.GetRequiredService<EmailOptions>().PublicBaseUrl.AbsoluteUri,
                sp.GetService<AccountReader>() is { } accountReader ? new DormantKeyAccounts(accountReader, DormantAfterDays(sp)) : null))
            : new EmailDelivery(sp.GetRequiredService<OutboxSender>(), null));
        services.AddHostedService<EmailStartup>();
        if (runLoop)
        {
            services.AddHostedService<EmailDeliveryService>();
        }

        return services;
    }

    /// <summary>The AccountCare option the KAM's dormant alert uses, so the head's list agrees with it.</summary>
    private static int DormantAfterDays(IServiceProvider sp) =>
        sp.GetService<IOptions<KamFlows.Workflows.Common.WorkflowsOptions>>()?.Value.AccountCare.DormantAfterDays ?? new KamFlows.Workflows.AccountCare.AccountCareOptions().DormantAfterDays;

    private sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
    {
        public ValidateOptionsResult Validate(string? name, EmailOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

/// <summary>Start-up checks: templates parse and render (else start-up fails naming file and line), tables exist, the signing key is loaded.</summary>
internal sealed partial class EmailStartup(IServiceProvider services, ILogger<EmailStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<NotificationTemplates>();
        await services.GetRequiredService<OutboxStore>().EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<RecipientDirectory>().EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        _ = services.GetRequiredService<UnsubscribeLinks>();
        var options = services.GetRequiredService<EmailOptions>();
        LogMode(logger, options.UsesSendGrid ? "SendGrid" + (options.SandboxMode ? " (sandbox mode)" : string.Empty) : "the local sink in " + options.LocalSinkFolder,
            services.GetRequiredService<EmailDelivery>().DigestsEnabled ? "on" : "off (no IUpcomingActions registered)");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5130, Level = LogLevel.Information, Message = "Email goes through {Mode}; digests {Digests}")]
    private static partial void LogMode(ILogger logger, string mode, string digests);
}
