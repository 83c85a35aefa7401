namespace KamFlows.Domain.Sales;

/// <summary>Where a proposal version stands in the follow-up algorithm (seed 001).</summary>
public enum ProposalStatus
{
    /// <summary>Sent by email or letter; waiting for confirmation of receipt.</summary>
    Sent,

    /// <summary>The client confirmed receipt.</summary>
    Acknowledged,

    /// <summary>A call or meeting to discuss it is agreed.</summary>
    MeetingAgreed,

    Accepted,

    Rejected,

    /// <summary>The validity date passed without a decision.</summary>
    Expired,

    /// <summary>A newer version replaced this one.</summary>
    Superseded,
}

public static class ProposalStatusExtensions
{
    /// <summary>
    /// Allowed moves: sent → acknowledged → meeting agreed (again, to move the date) → accepted / rejected / expired;
    /// the client may accept or reject at any open stage, and agreeing a meeting implies receipt;
    /// any open or expired version may be superseded by a revision (re-issue after expiry).
    /// </summary>
    public static bool CanMoveTo(this ProposalStatus from, ProposalStatus to) => (from, to) switch
    {
        (ProposalStatus.Sent, ProposalStatus.Acknowledged) => true,
        (ProposalStatus.Sent or ProposalStatus.Acknowledged or ProposalStatus.MeetingAgreed, ProposalStatus.MeetingAgreed) => true,
        (ProposalStatus.Sent or ProposalStatus.Acknowledged or ProposalStatus.MeetingAgreed,
            ProposalStatus.Accepted or ProposalStatus.Rejected or ProposalStatus.Expired or ProposalStatus.Superseded) => true,
        (ProposalStatus.Expired, ProposalStatus.Superseded) => true,
        _ => false,
    };

    /// <summary>Sent, acknowledged or meeting agreed: the follow-up workflow is still working on it.</summary>
    public static bool IsOpen(this ProposalStatus status) =>
        status is ProposalStatus.Sent or ProposalStatus.Acknowledged or ProposalStatus.MeetingAgreed;
}
