// One call wires the local engine; repeated calls compose (settings actions and task registrations accumulate), so
// the workflows project, the host and a health probe can each add their own orchestrators without knowing the others.
using DurableTask.AzureStorage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KamFlows.TaskHub;

/// <summary>Registers the local Durable Task engine.</summary>
public static class TaskHubServiceCollectionExtensions
{
    /// <summary>Name of the <see cref="DurableTaskRegistry"/> options instance the worker reads.</summary>
    public const string RegistryName = "KamFlows.TaskHub";

    /// <summary>
    /// Adds the task hub: <see cref="TaskHubSettings"/> (validated when first read), the
    /// <see cref="AzureStorageOrchestrationService"/> (singleton), a <see cref="DurableTaskClient"/> singleton
    /// (<see cref="TaskHubDurableClient"/>), and <see cref="TaskHubWorkerService"/> as a hosted service that runs the
    /// worker when <see cref="TaskHubSettings.WorkerEnabled"/>. Call it again to add settings or tasks: actions compose.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets task hub settings (may be null when another call does).</param>
    /// <param name="register">Adds orchestrators and activities (may be null).</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddKamFlowsTaskHub(
        this IServiceCollection services,
        Action<TaskHubSettings>? configure = null,
        Action<DurableTaskRegistry>? register = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = services.AddOptions<TaskHubSettings>();
        if (configure is not null)
        {
            settings.Configure(configure);
        }

        var registry = services.AddOptions<DurableTaskRegistry>(RegistryName);
        if (register is not null)
        {
            registry.Configure(register);
        }

        settings.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TaskHubSettings>, TaskHubSettingsValidator>());
        services.TryAddSingleton(sp => StorageServiceFactory.Create(
            sp.GetRequiredService<IOptions<TaskHubSettings>>().Value,
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
        services.TryAddSingleton<DurableTaskClient>(sp =>
        {
            var s = sp.GetRequiredService<IOptions<TaskHubSettings>>().Value;
            return new TaskHubDurableClient(s.TaskHubName, sp.GetRequiredService<AzureStorageOrchestrationService>(), s);
        });
        services.TryAddSingleton<TaskHubWorkerService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TaskHubWorkerService>(sp => sp.GetRequiredService<TaskHubWorkerService>()));
        return services;
    }
}
