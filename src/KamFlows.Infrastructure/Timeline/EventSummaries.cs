using System.Globalization;
using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;

namespace KamFlows.Infrastructure.Timeline;

/// <summary>The timeline entry for an event KamFlows received: one line a KAM can read, never personal data.</summary>
public static class EventSummaries
{
    private const int MaxSummary = 300;

    public static TimelineEntry For(CanonicalEvent canonicalEvent)
    {
        ArgumentNullException.ThrowIfNull(canonicalEvent);
        var (summary, contactId) = Describe(canonicalEvent.Data);
        if (summary.Length > MaxSummary)
        {
            summary = summary[..(MaxSummary - 1)] + "…";
        }

        return new TimelineEntry(
            canonicalEvent.Time.ToDateTimeOffset(),
            TimelineOrigin.Received,
            canonicalEvent.Type,
            summary,
            BusinessKey.For(canonicalEvent).ToString(),
            canonicalEvent.Id,
            contactId);
    }

    private static (string Summary, string? ContactId) Describe(ICanonicalEventData data) => data switch
    {
        AccountUpserted d => ($"Account {d.Name} updated (KAM {d.Kam.Email.Value})", null),
        ContactUpserted d => ($"Contact {d.Name} updated: {WireName.Of(d.Role)}, {WireName.Of(d.Influence)} influence, {WireName.Of(d.Attitude)}", d.ContactId),
        ContactErased d => ($"Contact {d.ContactId} erased on request", d.ContactId),
        RevenueReported d => ($"Revenue {d.Revenue} reported for {Date(d.PeriodStart)}..{Date(d.PeriodEnd)}"
            + (d.MarginPercent is { } margin ? string.Create(CultureInfo.InvariantCulture, $", margin {Math.Round(margin, 2)} %") : string.Empty), null),
        OpportunityUpserted d => ($"Opportunity {d.Name} at stage {WireName.Of(d.Stage)}", null),
        OpportunityStageChanged d => ($"Opportunity {d.OpportunityId} moved to {WireName.Of(d.Stage)}", null),
        MeetingLogged d => ($"Meeting {d.MeetingId} held{(d.Summary is null ? string.Empty : ": " + d.Summary)}", null),
        ProposalSent d => ($"Proposal {d.ProposalId} v{d.Version} sent: {d.Total}, valid until {Date(d.ValidUntil)}", null),
        ProposalAcknowledged d => ($"Proposal {d.ProposalId} acknowledged by the client", d.ContactId),
        ProposalMeetingAgreed d => ($"Meeting about proposal {d.ProposalId} agreed for {JsonText.Format(d.MeetingAt)}", null),
        ProposalRevised d => ($"Proposal {d.ProposalId} revised to v{d.Version}: {d.Total}, valid until {Date(d.ValidUntil)}", null),
        ProposalAccepted d => ($"Proposal {d.ProposalId} accepted", null),
        ProposalRejected d => ($"Proposal {d.ProposalId} rejected{(d.Competitor is null ? string.Empty : " for " + d.Competitor)}", null),
        TenderAnnounced d => ($"Tender {d.Title} announced for {Date(d.TenderDate)}", null),
        TenderDateChanged d => ($"Tender {d.TenderId} moved to {Date(d.TenderDate)}", null),
        TenderResult d => ($"Tender {d.TenderId} {WireName.Of(d.Outcome)}", null),
        ContractSigned d => ($"Contract {d.ContractId} signed for {Date(d.StartsOn)}..{Date(d.EndsOn)}", null),
        DeliveryCompleted d => ($"Delivery {d.DeliveryId} completed ({(d.OnTime ? "on time" : "late")}, expectations {(d.ExpectationsMet ? "met" : "not met")})", null),
        ComplaintOpened d => ($"Complaint {d.ComplaintId} opened{(d.Summary is null ? string.Empty : ": " + d.Summary)}", null),
        ComplaintResolved d => ($"Complaint {d.ComplaintId} resolved", null),
        ProposalDrafted d => ($"Proposal {d.ProposalId} v{d.Version} drafted: {d.Total}", null),
        ProposalPriceApproved d => ($"Price of proposal {d.ProposalId} v{d.Version} approved by the head", null),
        ProposalPriceDeclined d => ($"Price of proposal {d.ProposalId} v{d.Version} declined by the head", null),
        ComplaintClosed d => ($"Complaint {d.ComplaintId} closed", null),
        DeliveryScheduled d => ($"Delivery {d.DeliveryId} due on {Date(d.DueOn)}", null),
        MeetingScheduled d => ($"Meeting {d.MeetingId} scheduled for {JsonText.Format(d.StartsAt)}{(d.Subject is null ? string.Empty : ": " + d.Subject)}", null),
        MeetingCancelled d => ($"Meeting {d.MeetingId} cancelled{(d.Reason is null ? string.Empty : ": " + d.Reason)}", null),
        ReferenceReceived d => ($"Reference ({WireName.Of(d.Kind)}) received{(d.ReferredCompany is null ? string.Empty : " to " + d.ReferredCompany)}", d.ContactId),
        _ => (data.EventType, null),
    };

    private static string Date(NodaTime.LocalDate date) => JsonText.Format(date).ToString(CultureInfo.InvariantCulture);
}
