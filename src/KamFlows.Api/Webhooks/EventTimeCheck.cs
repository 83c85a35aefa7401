using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Intake.Mapping;
using NodaTime;

namespace KamFlows.Api.Webhooks;

/// <summary>The door's check of every event's <c>time</c> against <see cref="WebhookOptions"/> and the clock, naming each offending field.</summary>
internal static class EventTimeCheck
{
    public static List<EventValidationError> Problems(IntakeReadResult read, EventTimeLimits limits, DateTimeOffset now)
    {
        var instant = Instant.FromDateTimeOffset(now);
        var problems = new List<EventValidationError>();
        for (var i = 0; i < read.Events.Count; i++)
        {
            if (limits.Check(read.Events[i], read.PathOf(i), instant) is { } problem)
            {
                problems.Add(problem);
            }
        }

        return problems;
    }
}
