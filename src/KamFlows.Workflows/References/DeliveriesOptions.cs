using System.Text.Json.Serialization;
using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.References;

/// <summary>
/// The delivery team's deadlines (section <c>KamFlows:Workflows:Deliveries</c>; seed 003: the KAM controls them). Watched by
/// the delivery's workflow (<see cref="ReferenceLetter"/>) from <c>kam.delivery.scheduled</c> until <c>kam.delivery.completed</c>.
/// </summary>
public sealed class DeliveriesOptions
{
    public static readonly IReadOnlyList<int> DefaultCheckBusinessDaysBefore = [5, 1];

    /// <summary>"Check with the delivery team" this many business days (KAM's calendar) before the deadline; default 5 and 1.</summary>
    public int[]? CheckBusinessDaysBefore { get; set; }

    [JsonIgnore]
    public IReadOnlyList<int> CheckBusinessDaysBeforeOrDefault => CheckBusinessDaysBefore ?? DefaultCheckBusinessDaysBefore;

    /// <summary>The KAM's "delivery overdue" task still open (no completion) this many business days later: the head is told.</summary>
    public int EscalateAfterBusinessDays { get; set; } = 3;

    internal void Validate(OptionErrors e)
    {
        e.AllAtLeast(nameof(CheckBusinessDaysBefore), CheckBusinessDaysBefore, 1);
        e.AtLeast(nameof(EscalateAfterBusinessDays), EscalateAfterBusinessDays, 1);
    }
}
