using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.References;

/// <summary>
/// The delivery team's deadline rule (seed 003), shared by the delivery's workflow (no reference request) and account care
/// (no cross-sell prompt): completed after the deadline in force, on the KAM's date, or after a deadline was missed and
/// moved, is late; the CRM's on_time cannot make it a delivery done on time.
/// </summary>
public static class DeliveryLateness
{
    public static bool CompletedLate(RecipientCalendar kam, DateTimeOffset completedAt, DateOnly dueOn, bool missedBefore) =>
        missedBefore || kam.DateOf(completedAt) > dueOn.ToLocalDate();
}
