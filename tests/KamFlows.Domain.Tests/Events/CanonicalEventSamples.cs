using System.Text.Json.Nodes;
using KamFlows.Domain.Events;

namespace KamFlows.Domain.Tests.Events;

/// <summary>One valid event of every canonical type, written the way a CRM adapter or scenario file would.</summary>
internal static class CanonicalEventSamples
{
    public const string Remove = "<remove>";

    public static readonly IReadOnlyDictionary<string, string> ByType = new Dictionary<string, string>
    {
        [CanonicalEventTypes.AccountUpserted] = Event(CanonicalEventTypes.AccountUpserted, "2026-03-02T08:15:00+02:00", """
            {
              "account_id": "ACME",
              "name": "Acme Oy",
              "kam": {
                "email": "anna.virtanen@kamflows.example",
                "name": "Anna Virtanen",
                "time_zone": "Europe/Helsinki",
                "locale": "fi",
                "calendar": {
                  "working_days": ["mon", "tue", "wed", "thu", "fri"],
                  "working_hours": { "opens": "08:00", "closes": "16:00" },
                  "holidays": ["2026-04-03", "2026-04-06"]
                }
              },
              "head": { "email": "head@kamflows.example", "time_zone": "America/New_York", "locale": "en" },
              "currency": "EUR",
              "groups": ["image_maker", "expert"],
              "bonds": ["personal", "information_and_control", "value"],
              "price_floor": { "amount": 50000, "currency": "EUR" },
              "allows_direct_reference_requests": true,
              "is_key_account": true
            }
            """),
        [CanonicalEventTypes.ContactUpserted] = Event(CanonicalEventTypes.ContactUpserted, "2026-03-02T09:00:00+02:00", """
            {
              "contact_id": "C-2",
              "account_id": "ACME",
              "name": "Liisa Korhonen",
              "role": "finance",
              "influence": "high",
              "attitude": "sceptic",
              "job_title": "CFO",
              "email": "liisa.korhonen@acme.example",
              "phone": "+358 40 123 4567",
              "reports_to_contact_id": "C-1",
              "personal_data": {
                "birthday": "1975-04-12",
                "hobbies": ["sailing", "chess"],
                "family": [{ "relation": "daughter", "name": "Aino", "birthday": "--06-01" }],
                "values": ["punctuality"]
              }
            }
            """),
        [CanonicalEventTypes.ContactErased] = Event(CanonicalEventTypes.ContactErased, "2026-05-04T10:00:00Z", """
            { "contact_id": "C-2", "account_id": "ACME", "reason": "GDPR request 2026-17" }
            """),
        [CanonicalEventTypes.RevenueReported] = Event(CanonicalEventTypes.RevenueReported, "2026-04-05T06:00:00Z", """
            {
              "account_id": "ACME",
              "period_start": "2026-01-01",
              "period_end": "2026-03-31",
              "revenue": { "amount": 120000.50, "currency": "EUR" }
            }
            """),
        [CanonicalEventTypes.OpportunityUpserted] = Event(CanonicalEventTypes.OpportunityUpserted, "2026-01-10T12:00:00+02:00", """
            {
              "opportunity_id": "O-3",
              "account_id": "ACME",
              "name": "Fleet telematics 2027",
              "stage": "evaluation_of_options",
              "amount": { "amount": 400000, "currency": "EUR" },
              "expected_close_date": "2026-12-15"
            }
            """),
        [CanonicalEventTypes.OpportunityStageChanged] = Event(CanonicalEventTypes.OpportunityStageChanged, "2026-02-20T15:30:00+02:00", """
            { "opportunity_id": "O-3", "account_id": "ACME", "stage": "decision", "previous_stage": "resolution_of_concerns" }
            """),
        [CanonicalEventTypes.MeetingLogged] = Event(CanonicalEventTypes.MeetingLogged, "2026-03-04T17:00:00+02:00", """
            {
              "meeting_id": "M-11",
              "account_id": "ACME",
              "held_at": "2026-03-04T10:00:00+02:00",
              "opportunity_id": "O-3",
              "proposal_id": "P-7",
              "tender_id": "T-9",
              "contact_ids": ["C-1", "C-2"],
              "summary": "Walked the CFO through the business case.",
              "next_step": "Pilot scope review with IT",
              "next_step_due": "2026-03-18"
            }
            """),
        [CanonicalEventTypes.ProposalSent] = Event(CanonicalEventTypes.ProposalSent, "2026-03-10T14:00:00+02:00", """
            {
              "proposal_id": "P-7",
              "account_id": "ACME",
              "total": { "amount": 120000.00, "currency": "EUR" },
              "valid_until": "2026-03-31",
              "version": 1,
              "discount_percent": 7.5,
              "addressed_roles": ["executive", "finance"],
              "channel": "email",
              "opportunity_id": "O-3",
              "tender_id": "T-9"
            }
            """),
        [CanonicalEventTypes.ProposalAcknowledged] = Event(CanonicalEventTypes.ProposalAcknowledged, "2026-03-11T09:20:00+02:00", """
            { "proposal_id": "P-7", "account_id": "ACME", "contact_id": "C-2" }
            """),
        [CanonicalEventTypes.ProposalMeetingAgreed] = Event(CanonicalEventTypes.ProposalMeetingAgreed, "2026-03-11T09:30:00+02:00", """
            { "proposal_id": "P-7", "account_id": "ACME", "meeting_at": "2026-03-17T10:00:00+02:00", "contact_ids": ["C-1", "C-2"] }
            """),
        [CanonicalEventTypes.ProposalRevised] = Event(CanonicalEventTypes.ProposalRevised, "2026-03-20T11:00:00+02:00", """
            {
              "proposal_id": "P-7",
              "account_id": "ACME",
              "version": 2,
              "total": { "amount": 110000, "currency": "EUR" },
              "valid_until": "2026-04-30",
              "discount_percent": 12,
              "addressed_roles": ["executive", "finance", "technical"],
              "channel": "letter"
            }
            """),
        [CanonicalEventTypes.ProposalAccepted] = Event(CanonicalEventTypes.ProposalAccepted, "2026-04-08T16:45:00+03:00", """
            { "proposal_id": "P-7", "account_id": "ACME", "version": 2, "contract_id": "K-1" }
            """),
        [CanonicalEventTypes.ProposalRejected] = Event(CanonicalEventTypes.ProposalRejected, "2026-04-08T16:45:00+03:00", """
            { "proposal_id": "P-7", "account_id": "ACME", "version": 2, "reason": "Budget frozen", "competitor": "Rival AB" }
            """),
        [CanonicalEventTypes.TenderAnnounced] = Event(CanonicalEventTypes.TenderAnnounced, "2026-02-19T08:00:00+02:00", """
            {
              "tender_id": "T-9",
              "account_id": "ACME",
              "title": "Logistics services 2027-2029",
              "tender_date": "2026-11-16",
              "result_expected_on": "2026-12-15",
              "opportunity_id": "O-3"
            }
            """),
        [CanonicalEventTypes.TenderDateChanged] = Event(CanonicalEventTypes.TenderDateChanged, "2026-06-01T08:00:00+03:00", """
            { "tender_id": "T-9", "account_id": "ACME", "tender_date": "2026-11-30", "previous_tender_date": "2026-11-16" }
            """),
        [CanonicalEventTypes.TenderResult] = Event(CanonicalEventTypes.TenderResult, "2026-12-15T12:00:00+02:00", """
            { "tender_id": "T-9", "account_id": "ACME", "outcome": "won", "contract_id": "K-1" }
            """),
        [CanonicalEventTypes.ContractSigned] = Event(CanonicalEventTypes.ContractSigned, "2026-12-20T12:00:00+02:00", """
            {
              "contract_id": "K-1",
              "account_id": "ACME",
              "starts_on": "2027-01-01",
              "ends_on": "2029-12-31",
              "value": { "amount": 1440000, "currency": "EUR" },
              "proposal_id": "P-7",
              "tender_id": "T-9",
              "opportunity_id": "O-3"
            }
            """),
        [CanonicalEventTypes.DeliveryCompleted] = Event(CanonicalEventTypes.DeliveryCompleted, "2027-05-04T16:00:00+03:00", """
            {
              "delivery_id": "D-5",
              "account_id": "ACME",
              "on_time": true,
              "expectations_met": true,
              "contract_id": "K-1",
              "description": "Phase 1 roll-out, 40 vehicles"
            }
            """),
        [CanonicalEventTypes.DeliveryScheduled] = Event(CanonicalEventTypes.DeliveryScheduled, "2027-04-12T11:00:00+03:00", """
            {
              "delivery_id": "D-5",
              "account_id": "ACME",
              "due_on": "2027-05-04",
              "description": "Phase 1 roll-out, 40 vehicles",
              "contract_id": "K-1",
              "team_lead_name": "Jukka Mäkinen",
              "team_lead_email": "jukka.makinen@supplier.example"
            }
            """),
        [CanonicalEventTypes.ComplaintOpened] = Event(CanonicalEventTypes.ComplaintOpened, "2027-05-06T09:00:00+03:00", """
            { "complaint_id": "CP-1", "account_id": "ACME", "delivery_id": "D-5", "summary": "Two units report wrong mileage" }
            """),
        [CanonicalEventTypes.ComplaintResolved] = Event(CanonicalEventTypes.ComplaintResolved, "2027-05-07T12:30:00+03:00", """
            { "complaint_id": "CP-1", "account_id": "ACME", "delivery_id": "D-5", "resolution": "Firmware updated on site" }
            """),
        [CanonicalEventTypes.ComplaintClosed] = Event(CanonicalEventTypes.ComplaintClosed, "2027-05-12T10:00:00+03:00", """
            { "complaint_id": "CP-1", "account_id": "ACME", "delivery_id": "D-5", "note": "Client confirmed by phone" }
            """),
        [CanonicalEventTypes.ProposalDrafted] = Event(CanonicalEventTypes.ProposalDrafted, "2027-03-18T11:00:00+02:00", """
            {
              "proposal_id": "P-7",
              "account_id": "ACME",
              "version": 2,
              "total": { "amount": 118000, "currency": "EUR" },
              "discount_percent": 12.5,
              "valid_until": "2027-04-30",
              "opportunity_id": "O-3"
            }
            """),
        [CanonicalEventTypes.ProposalPriceApproved] = Event(CanonicalEventTypes.ProposalPriceApproved, "2027-03-18T15:00:00+02:00", """
            { "proposal_id": "P-7", "account_id": "ACME", "version": 2, "comment": "Strategic account: approved once" }
            """),
        [CanonicalEventTypes.ProposalPriceDeclined] = Event(CanonicalEventTypes.ProposalPriceDeclined, "2027-03-18T15:00:00+02:00", """
            { "proposal_id": "P-7", "account_id": "ACME", "version": 2, "reason": "Below cost with the new freight rates" }
            """),
        [CanonicalEventTypes.ReferenceReceived] = Event(CanonicalEventTypes.ReferenceReceived, "2027-06-01T10:00:00+03:00", """
            {
              "account_id": "ACME",
              "kind": "letter",
              "delivery_id": "D-5",
              "contact_id": "C-1",
              "url": "https://www.kamflows.example/references/acme.pdf"
            }
            """),
        [CanonicalEventTypes.MeetingScheduled] = Event(CanonicalEventTypes.MeetingScheduled, "2026-03-01T12:00:00+02:00", """
            {
              "meeting_id": "M-11",
              "account_id": "ACME",
              "starts_at": "2026-03-04T10:00:00+02:00",
              "ends_at": "2026-03-04T11:30:00+02:00",
              "subject": "Business case with the CFO",
              "location": "Acme HQ, Espoo",
              "opportunity_id": "O-3",
              "proposal_id": "P-7",
              "tender_id": "T-9",
              "contact_ids": ["C-1", "C-2"]
            }
            """),
        [CanonicalEventTypes.MeetingCancelled] = Event(CanonicalEventTypes.MeetingCancelled, "2026-03-02T12:00:00+02:00", """
            { "meeting_id": "M-11", "account_id": "ACME", "reason": "The CFO is travelling" }
            """),
    };

    /// <summary>The sample of <paramref name="type"/> with the member at a dotted path (from the event root) replaced,
    /// added, or removed when <paramref name="json"/> is <see cref="Remove"/>.</summary>
    public static string With(string type, string path, string json) => Change(ByType[type], path, json);

    /// <summary>Like <see cref="With"/>, on any event JSON, so changes can be chained.</summary>
    public static string Change(string eventJson, string path, string json)
    {
        var root = JsonNode.Parse(eventJson)!.AsObject();
        var parts = path.Split('.');
        var target = root;
        foreach (var part in parts[..^1])
        {
            target = target[part]!.AsObject();
        }

        if (json == Remove)
        {
            Assert.True(target.Remove(parts[^1]), $"the event has no {path} to remove");
        }
        else
        {
            target[parts[^1]] = JsonNode.Parse(json);
        }

        return root.ToJsonString();
    }

    private static string Event(string type, string time, string data) => $$"""
        {
          "specversion": "1.0",
          "id": "evt-{{type}}",
          "source": "/crm/hubspot",
          "type": "{{type}}",
          "time": "{{time}}",
          "datacontenttype": "application/json",
          "data": {{data}}
        }
        """;
}
