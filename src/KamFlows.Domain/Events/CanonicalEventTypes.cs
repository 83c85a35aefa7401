using System.Collections.Frozen;
using KamFlows.Domain.Events.Data;

namespace KamFlows.Domain.Events;

/// <summary>The CloudEvents <c>type</c> of every canonical event (DESIGN.md "Canonical events"); no others exist.</summary>
public static class CanonicalEventTypes
{
    public const string AccountUpserted = "kam.account.upserted";
    public const string ContactUpserted = "kam.contact.upserted";
    public const string ContactErased = "kam.contact.erased";
    public const string RevenueReported = "kam.revenue.reported";
    public const string OpportunityUpserted = "kam.opportunity.upserted";
    public const string OpportunityStageChanged = "kam.opportunity.stage_changed";
    public const string MeetingLogged = "kam.meeting.logged";
    public const string ProposalSent = "kam.proposal.sent";
    public const string ProposalAcknowledged = "kam.proposal.acknowledged";
    public const string ProposalMeetingAgreed = "kam.proposal.meeting_agreed";
    public const string ProposalRevised = "kam.proposal.revised";
    public const string ProposalAccepted = "kam.proposal.accepted";
    public const string ProposalRejected = "kam.proposal.rejected";
    public const string TenderAnnounced = "kam.tender.announced";
    public const string TenderDateChanged = "kam.tender.date_changed";
    public const string TenderResult = "kam.tender.result";
    public const string ContractSigned = "kam.contract.signed";
    public const string DeliveryCompleted = "kam.delivery.completed";
    public const string ComplaintOpened = "kam.complaint.opened";
    public const string ComplaintResolved = "kam.complaint.resolved";
    public const string ReferenceReceived = "kam.reference.received";

    // Added for issue 14: the price floor before the client sees the price, and a complaint's end.
    public const string ProposalDrafted = "kam.proposal.drafted";
    public const string ProposalPriceApproved = "kam.proposal.price_approved";
    public const string ProposalPriceDeclined = "kam.proposal.price_declined";
    public const string ComplaintClosed = "kam.complaint.closed";

    // Added for issue 14 item 7: the delivery team's deadline (seed 003).
    public const string DeliveryScheduled = "kam.delivery.scheduled";
    // Added for issue 14 item 7: preparation before every meeting and its outcome recorded after it (seed 003).
    public const string MeetingScheduled = "kam.meeting.scheduled";
    public const string MeetingCancelled = "kam.meeting.cancelled";

    private static readonly FrozenDictionary<string, Func<JsonFieldReader, ICanonicalEventData>> ReadersByType =
        new Dictionary<string, Func<JsonFieldReader, ICanonicalEventData>>(StringComparer.Ordinal)
        {
            [AccountUpserted] = Data.AccountUpserted.Read,
            [ContactUpserted] = Data.ContactUpserted.Read,
            [ContactErased] = Data.ContactErased.Read,
            [RevenueReported] = Data.RevenueReported.Read,
            [OpportunityUpserted] = Data.OpportunityUpserted.Read,
            [OpportunityStageChanged] = Data.OpportunityStageChanged.Read,
            [MeetingLogged] = Data.MeetingLogged.Read,
            [ProposalSent] = Data.ProposalSent.Read,
            [ProposalAcknowledged] = Data.ProposalAcknowledged.Read,
            [ProposalMeetingAgreed] = Data.ProposalMeetingAgreed.Read,
            [ProposalRevised] = Data.ProposalRevised.Read,
            [ProposalAccepted] = Data.ProposalAccepted.Read,
            [ProposalRejected] = Data.ProposalRejected.Read,
            [TenderAnnounced] = Data.TenderAnnounced.Read,
            [TenderDateChanged] = Data.TenderDateChanged.Read,
            [TenderResult] = Data.TenderResult.Read,
            [ContractSigned] = Data.ContractSigned.Read,
            [DeliveryCompleted] = Data.DeliveryCompleted.Read,
            [ComplaintOpened] = Data.ComplaintOpened.Read,
            [ComplaintResolved] = Data.ComplaintResolved.Read,
            [ReferenceReceived] = Data.ReferenceReceived.Read,
            [ProposalDrafted] = Data.ProposalDrafted.Read,
            [ProposalPriceApproved] = Data.ProposalPriceApproved.Read,
            [ProposalPriceDeclined] = Data.ProposalPriceDeclined.Read,
            [ComplaintClosed] = Data.ComplaintClosed.Read,
            [DeliveryScheduled] = Data.DeliveryScheduled.Read,
            [MeetingScheduled] = Data.MeetingScheduled.Read,
            [MeetingCancelled] = Data.MeetingCancelled.Read,
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>All 28 types: the 21 DESIGN.md lists, in its order, then the seven issue 14 added.</summary>
    public static readonly ValueList<string> All = ValueList.Of(
        AccountUpserted, ContactUpserted, ContactErased, RevenueReported, OpportunityUpserted, OpportunityStageChanged,
        MeetingLogged, ProposalSent, ProposalAcknowledged, ProposalMeetingAgreed, ProposalRevised, ProposalAccepted,
        ProposalRejected, TenderAnnounced, TenderDateChanged, TenderResult, ContractSigned, DeliveryCompleted,
        ComplaintOpened, ComplaintResolved, ReferenceReceived, ProposalDrafted, ProposalPriceApproved, ProposalPriceDeclined, ComplaintClosed,
        DeliveryScheduled, MeetingScheduled, MeetingCancelled);

    public static bool IsKnown(string? type) => type is not null && ReadersByType.ContainsKey(type);

    internal static Func<JsonFieldReader, ICanonicalEventData>? ReaderFor(string type) => ReadersByType.GetValueOrDefault(type);
}
