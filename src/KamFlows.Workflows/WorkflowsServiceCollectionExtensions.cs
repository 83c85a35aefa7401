using Microsoft.DurableTask;
using KamFlows.Workflows.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KamFlows.Workflows;

/// <summary>Adds the KAM workflows to a host that already has the durable runtime.</summary>
public static class WorkflowsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="WorkflowsOptions"/> from <c>KamFlows:Workflows</c> (validated at start-up). The orchestrators and
    /// activities are registered by the host's engine from <see cref="WorkflowsRegistration"/>; the ports the activities
    /// use (<c>INotificationOutbox</c>, <c>IAccountReader</c>, <c>IUpcomingActions</c>) come from Infrastructure.
    /// </summary>
    public static IServiceCollection AddKamFlowsWorkflows(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WorkflowsOptions>().Bind(configuration.GetSection(WorkflowsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkflowsOptions>, WorkflowsOptionsValidator>();
        return services;
    }

    private sealed class WorkflowsOptionsValidator : IValidateOptions<WorkflowsOptions>
    {
        public ValidateOptionsResult Validate(string? name, WorkflowsOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
