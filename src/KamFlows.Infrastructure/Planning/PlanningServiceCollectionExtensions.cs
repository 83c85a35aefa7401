using KamFlows.Workflows.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Infrastructure.Planning;

public static class PlanningServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IUpcomingActions"/> on the <c>{taskhub}Upcoming</c> table (needs <c>StorageClients</c>).</summary>
    public static IServiceCollection AddUpcomingActionsTable(this IServiceCollection services) =>
        services.AddSingleton<IUpcomingActions, TableUpcomingActions>();
}
