using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.Meetings;

/// <summary>Meetings with the client (section <c>KamFlows:Workflows:Meetings</c>); seed 003 "late to meetings, unprepared negotiations".</summary>
public sealed class MeetingPreparationOptions
{
    /// <summary>The KAM's preparation reminder this many business days before the meeting, at the reminder time (0: on the day).</summary>
    public int PrepareBusinessDaysBefore { get; set; } = 1;

    /// <summary>No outcome recorded by the next business morning after the meeting: a prompt, then once more this many business days later.</summary>
    public int OutcomeReminderBusinessDays { get; set; } = 2;

    internal void Validate(OptionErrors e)
    {
        e.AtLeast(nameof(PrepareBusinessDaysBefore), PrepareBusinessDaysBefore, 0);
        e.AtLeast(nameof(OutcomeReminderBusinessDays), OutcomeReminderBusinessDays, 1);
    }
}
