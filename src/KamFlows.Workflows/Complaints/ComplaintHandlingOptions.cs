using System.Text.Json.Serialization;
using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.Complaints;

/// <summary>Complaint handling (section <c>KamFlows:Workflows:ComplaintHandling</c>); DOMAIN.md "Added after the turn-2 review", seed 001.</summary>
public sealed class ComplaintHandlingOptions
{
    public static readonly IReadOnlyList<int> DefaultReminderBusinessDaysBefore = [2, 0];

    /// <summary>A complaint should be resolved within this many business days (KAM's calendar) of being opened.</summary>
    public int ResolutionBusinessDays { get; set; } = 5;

    /// <summary>Reminders this many business days before the resolution date (0: on the day itself); default 2 and 0.</summary>
    public int[]? ReminderBusinessDaysBefore { get; set; }

    [JsonIgnore]
    public IReadOnlyList<int> ReminderBusinessDaysBeforeOrDefault => ReminderBusinessDaysBefore ?? DefaultReminderBusinessDaysBefore;

    /// <summary>Still unresolved this many business days after the resolution date: the head is told.</summary>
    public int EscalateAfterBusinessDays { get; set; } = 1;

    /// <summary>After the resolution, the KAM follows up with the client this many business days later.</summary>
    public int FollowUpAfterBusinessDays { get; set; } = 2;

    /// <summary>After the follow-up, the instance waits this many days for kam.complaint.closed, then ends as resolved.</summary>
    public int CloseWaitDays { get; set; } = 30;

    internal void Validate(OptionErrors e)
    {
        e.AtLeast(nameof(ResolutionBusinessDays), ResolutionBusinessDays, 1);
        e.AllAtLeast(nameof(ReminderBusinessDaysBefore), ReminderBusinessDaysBefore, 0);
        e.AtLeast(nameof(EscalateAfterBusinessDays), EscalateAfterBusinessDays, 1);
        e.AtLeast(nameof(FollowUpAfterBusinessDays), FollowUpAfterBusinessDays, 1);
        e.AtLeast(nameof(CloseWaitDays), CloseWaitDays, 1);
    }
}
