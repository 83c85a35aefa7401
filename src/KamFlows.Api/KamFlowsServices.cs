using KamFlows.Api.Email;
using KamFlows.Api.Management;
using KamFlows.Api.Webhooks;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Intake;
using KamFlows.Infrastructure.Intake.Storage;
using KamFlows.Infrastructure.Notifications;
using KamFlows.Infrastructure.Notifications.Digests;
using KamFlows.Infrastructure.Planning;
using KamFlows.Infrastructure.Storage;
using KamFlows.Infrastructure.Timeline;
using KamFlows.Workflows;
using KamFlows.Workflows.Ports;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace KamFlows.Api;

/// <summary>Who runs the work that follows a request: intake processing and email delivery.</summary>
public enum BackgroundWork
{
    /// <summary>Loops in this process (the local host).</summary>
    InProcess,

    /// <summary>Timer triggers call <c>IntakeProcessor.ProcessAllOnceAsync</c> and <c>EmailDelivery.RunOnceAsync</c> (the Azure Functions app).</summary>
    Triggered,
}

/// <summary>
/// The services both hosts share: storage clients, the workflows' options and ports, intake (store, processor, account
/// state, timeline), webhook sources, the API-key check, email. Every options class is validated at start-up, naming the
/// key at fault. The durable engine (local task hub or Durable Functions), telemetry and routing stay with each host.
/// </summary>
public static class KamFlowsServices
{
    public static IServiceCollection AddKamFlows(this IServiceCollection services, IConfiguration configuration, ResolvedStorage storage,
        StorageRequestCounter counter, BackgroundWork work)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(counter);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(storage);
        services.AddSingleton(counter);
        services.AddSingleton(sp => new StorageClients(sp.GetRequiredService<ResolvedStorage>(), sp.GetRequiredService<StorageRequestCounter>()));
        services.AddKamFlowsWorkflows(configuration).AddUpcomingActionsTable();
        services.AddSingleton(sp => new MissedActionStore(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ITimelineWriter>()));
        services.AddSingleton<IMissedActions>(sp => sp.GetRequiredService<MissedActionStore>()); // Items missed while catching up: timeline and next digest.
        AddAccountState(services, configuration, work);
        AddWebhooks(services, configuration);
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>>(new DelegateValidator<ApiOptions>(o => o.Validate()));
        services.AddSingleton<ApiKeyCheck>();
        services.AddSingleton<IPipelineFigures, AccountPipelineFigures>(); // The head's report shows each KAM's open pipeline.
        services.AddKamFlowsEmail(configuration, runLoop: work == BackgroundWork.InProcess);
        IgnoreUnresolvedSecrets(services);
        return services;
    }

    /// <summary>
    /// Storage from <c>KamFlows:Storage</c> where it must be configured (Azure): the three service URIs with the managed
    /// identity, or a connection string. Fails naming the keys when neither is set.
    /// </summary>
    public static ResolvedStorage ConfiguredStorage(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        return options.IsConfigured
            ? ResolvedStorage.FromOptions(options)
            : throw new InvalidOperationException(
                $"No storage configured. Set {StorageOptions.Section}:TableServiceUri, QueueServiceUri and BlobServiceUri " +
                $"(and ClientId for a user-assigned identity), or {StorageOptions.Section}:ConnectionString.");
    }

    /// <summary>
    /// Everything a durable engine of KamFlows runs: the KAM workflows (or, in tests, what stands in for them) and the
    /// health probe. The local task hub registers exactly this; the Functions app has one function per entry.
    /// </summary>
    public static DurableTaskRegistry RegisterTasks(DurableTaskRegistry registry, Action<DurableTaskRegistry>? workflows = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        (workflows ?? (r => WorkflowsRegistration.Register(r)))(registry);
        return Health.HealthApi.RegisterHealthProbe(registry);
    }

    /// <summary>Secrets whose Key Vault reference did not resolve count as not set (see <see cref="KeyVaultReferences"/>).</summary>
    private static void IgnoreUnresolvedSecrets(IServiceCollection services)
    {
        services.PostConfigure<WebhookOptions>(o =>
        {
            foreach (var source in o.Secrets.Where(s => KeyVaultReferences.IsUnresolved(s.Value)).Select(s => s.Key).ToList())
            {
                o.Secrets.Remove(source);
            }
        });
        services.PostConfigure<ApiOptions>(o => o.Keys.RemoveAll(KeyVaultReferences.IsUnresolved));
        services.PostConfigure<EmailOptions>(o => o.SendGridApiKey = KeyVaultReferences.IsUnresolved(o.SendGridApiKey) ? null : o.SendGridApiKey);
        services.AddHostedService<KeyVaultReferenceReport>();
    }

    private static void AddAccountState(IServiceCollection services, IConfiguration configuration, BackgroundWork work)
    {
        services.AddOptions<IntakeOptions>().Bind(configuration.GetSection(IntakeOptions.Section))
            .PostConfigure(o => o.ProcessInBackground &= work == BackgroundWork.InProcess)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<IntakeOptions>>(new DelegateValidator<IntakeOptions>(o => o.Validate()));
        services.AddOptions<PortfolioSettings>().Bind(configuration.GetSection(PortfolioSettings.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PortfolioSettings>>(new DelegateValidator<PortfolioSettings>(o => o.Validate()));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<IntakeOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PortfolioSettings>>().Value);
        services.AddSingleton<IntakeStore>();
        services.AddSingleton<ParkedEvents>();
        services.AddSingleton<TimelineStore>();
        services.AddSingleton<ITimelineWriter>(sp => sp.GetRequiredService<TimelineStore>());
        services.AddSingleton<AccountStore>();
        services.AddSingleton<AccountReader>();
        services.AddSingleton<IAccountReader>(sp => sp.GetRequiredService<AccountReader>());
        services.AddSingleton(sp => new PortfolioClassification(sp.GetRequiredService<AccountStore>(), sp.GetRequiredService<AccountReader>(),
            sp.GetRequiredService<PortfolioSettings>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IntakeProcessor>();
        services.AddHostedService(sp => sp.GetRequiredService<IntakeProcessor>());
    }

    private static void AddWebhooks(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        services.AddSingleton(sp => new WebhookSources(sp.GetRequiredService<IOptions<WebhookOptions>>().Value, sp.GetRequiredService<IHostEnvironment>()));
    }
}
