using KamFlows.Infrastructure.Intake;
using KamFlows.Infrastructure.Notifications;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KamFlows.Api;

/// <summary>
/// The rounds the local host's loops run continuously, one at a time, for hosts that run them from timer triggers
/// (<see cref="BackgroundWork.Triggered"/>: the Azure Functions app, every 10 s for intake and 30 s for email).
/// </summary>
public static partial class TriggeredWork
{
    /// <summary>Processes the pending webhook events of every shard, delivering them through <paramref name="workflows"/>; prunes remembered ids when due. Returns the events processed.</summary>
    public static async Task<int> IntakeRoundAsync(IServiceProvider services, DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var intake = services.GetRequiredService<IntakeProcessor>();
        var processed = await intake.ProcessAllOnceAsync(workflows, cancellationToken).ConfigureAwait(false);
        var pruned = await intake.PruneIfDueAsync(cancellationToken).ConfigureAwait(false);
        if (processed > 0 || pruned > 0)
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TriggeredWork));
            LogIntakeRound(logger, processed, pruned);
        }

        return processed;
    }

    /// <summary>Queues due digests, then sends due email. Returns when something is due next (null: nothing scheduled).</summary>
    public static Task<DateTimeOffset?> EmailRoundAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetRequiredService<EmailDelivery>().RunOnceAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Intake round: {Processed} event(s) processed, {Pruned} remembered id(s) pruned")]
    private static partial void LogIntakeRound(ILogger logger, int processed, int pruned);
}
