using System.Text.Json.Serialization;

namespace KamFlows.Workflows.Notifications;

/// <summary>
/// Every message KamFlows sends. Each has templates (subject, HTML, text) in en, ru, fi and bg, and the fields
/// listed in <see cref="NotificationCatalog"/>. Names are persisted (outbox rows, template file names): never rename.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<NotificationKind>))]
public enum NotificationKind
{
    // Commercial proposals (DOMAIN.md "Commercial proposals").
    ProposalCallToConfirmReceipt,
    ProposalAskNextSteps,
    ProposalMeetingNotAgreed,
    ProposalMeetingPreparation,
    ProposalExpiryReminder,
    ProposalExpired,
    ProposalPriceApprovalRequired,
    ProposalSentUnderFloor,

    // Tenders.
    TenderMilestoneDue,
    TenderMilestonesOverdue,
    TenderDateMoved,
    TenderResultFollowUp,

    // Long sale cycles.
    SaleCycleNextStep,
    DealStalled,
    DealStalledEscalation,

    // After the contract: references and referrals.
    ReferenceLetterAsk,
    ReferenceLetterRequestToClient,
    ReferenceLetterFollowUp,
    ReferralRequest,

    // Account care.
    ContactBirthday,
    ContractRenewal,
    QuarterlyBusinessReview,
    RelationshipDormant,
    ConcentrationWarning,
    ValueBondRisk,
    InformationBondNudge,

    // Complaints (issue 14).
    ComplaintReceived,
    ComplaintResolutionReminder,
    ComplaintOverdue,
    ComplaintFollowUp,

    // Escalation of overdue tasks.
    TaskOverdueEscalation,

    // Scheduled digests.
    DailyAgenda,
    WeeklyReport,

    // The delivery team's deadlines (issue 14 item 7, seed 003); appended: names and order are persisted.
    DeliveryDeadlineApproaching,
    DeliveryOverdue,
    DeliveryDeadlineMoved,

    // Account care, seed rules (issue 14 item 7).
    AccountHandoverBriefing,
    CrossSellPrompt,

    // Meetings with the client (issue 14 item 7, seed 003): preparation before, outcome recorded after.
    MeetingPreparationReminder,
    MeetingOutcomeNotRecorded,

    // A meeting cancelled after its invite was sent: the KAM told at once, the invite withdrawn.
    MeetingCancelledNotice,

    // A meeting moved after its invite was sent: the KAM told at once, the invite updated.
    MeetingMovedNotice,
}
