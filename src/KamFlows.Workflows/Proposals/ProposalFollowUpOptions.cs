using System.Text.Json.Serialization;
using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.Proposals;

/// <summary>Commercial-proposal follow-up (section <c>KamFlows:Workflows:ProposalFollowUp</c>); defaults from DOMAIN.md and seed 001.</summary>
public sealed class ProposalFollowUpOptions
{
    public static readonly IReadOnlyList<int> DefaultExpiryReminderBusinessDays = [7, 1];

    /// <summary>No acknowledgement this many business days after sending → task "call to confirm receipt" (at the reminder time).</summary>
    public int CallAfterBusinessDays { get; set; } = 1;

    /// <summary>After acknowledgement without an agreed meeting: first "meeting not agreed" reminder after this many business days.</summary>
    public int MeetingReminderFirstBusinessDays { get; set; } = 3;

    /// <summary>Then again every this many business days (until a meeting is agreed or the validity ends).</summary>
    public int MeetingReminderEveryBusinessDays { get; set; } = 5;

    /// <summary>At most this many "meeting not agreed" reminders per version.</summary>
    public int MeetingReminderMaxCount { get; set; } = 3;

    /// <summary>Reminders this many business days before the validity date (default 7 and 1).</summary>
    public int[]? ExpiryReminderBusinessDays { get; set; }

    [JsonIgnore]
    public IReadOnlyList<int> ExpiryReminderBusinessDaysOrDefault => ExpiryReminderBusinessDays ?? DefaultExpiryReminderBusinessDays;

    /// <summary>The meeting preparation (DMU, open roles, recent interactions) this many business days before the agreed meeting.</summary>
    public int MeetingPreparationBusinessDaysBefore { get; set; } = 1;

    /// <summary>After acceptance, rejection or expiry the instance still waits this many days for a new version, which restarts the follow-up.</summary>
    public int RevisionWaitDays { get; set; } = 30;

    /// <summary>A proposal drafted (kam.proposal.drafted) but never sent: the instance ends this many days after the draft.</summary>
    public int DraftWaitDays { get; set; } = 60;

    internal void Validate(OptionErrors e)
    {
        e.AtLeast(nameof(DraftWaitDays), DraftWaitDays, 1);
        e.AtLeast(nameof(CallAfterBusinessDays), CallAfterBusinessDays, 1);
        e.AtLeast(nameof(MeetingReminderFirstBusinessDays), MeetingReminderFirstBusinessDays, 1);
        e.AtLeast(nameof(MeetingReminderEveryBusinessDays), MeetingReminderEveryBusinessDays, 1);
        e.AtLeast(nameof(MeetingReminderMaxCount), MeetingReminderMaxCount, 0);
        e.AllAtLeast(nameof(ExpiryReminderBusinessDays), ExpiryReminderBusinessDays, 1);
        e.AtLeast(nameof(MeetingPreparationBusinessDaysBefore), MeetingPreparationBusinessDaysBefore, 0);
        e.AtLeast(nameof(RevisionWaitDays), RevisionWaitDays, 0);
    }
}
