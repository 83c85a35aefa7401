using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.References;

/// <summary>Reference letters and referrals after a successful delivery (section <c>KamFlows:Workflows:ReferenceLetter</c>); DOMAIN.md "After the contract".</summary>
public sealed class ReferenceLetterOptions
{
    /// <summary>Days after the delivery (or after its last complaint was resolved) before the letter is asked for.</summary>
    public int SettlingDays { get; set; } = 14;

    /// <summary>No letter this many business days after asking: follow up.</summary>
    public int FollowUpBusinessDays { get; set; } = 10;

    /// <summary>At most this many follow-ups.</summary>
    public int MaxFollowUps { get; set; } = 2;

    /// <summary>After the letter arrived: the referral request this many business days later.</summary>
    public int ReferralAfterBusinessDays { get; set; } = 1;

    /// <summary>No letter this many days after asking: the workflow ends.</summary>
    public int GiveUpDays { get; set; } = 60;

    internal void Validate(OptionErrors e)
    {
        e.AtLeast(nameof(SettlingDays), SettlingDays, 0);
        e.AtLeast(nameof(FollowUpBusinessDays), FollowUpBusinessDays, 1);
        e.AtLeast(nameof(MaxFollowUps), MaxFollowUps, 0);
        e.AtLeast(nameof(ReferralAfterBusinessDays), ReferralAfterBusinessDays, 0);
        e.AtLeast(nameof(GiveUpDays), GiveUpDays, 1);
    }
}
