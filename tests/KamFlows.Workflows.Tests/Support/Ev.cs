using System.Text.Json.Nodes;
using KamFlows.Domain.Events;

namespace KamFlows.Workflows.Tests.Support;

/// <summary>Canonical events as a CRM adapter or scenario file would write them (CloudEvents JSON), all for <see cref="Fixture.AccountId"/>.</summary>
public static class Ev
{
    private static int _number;

    public static string Make(string type, string time, JsonObject data)
    {
        ArgumentNullException.ThrowIfNull(data);
        data["account_id"] ??= Fixture.AccountId;
        var json = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = "evt-" + Interlocked.Increment(ref _number).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["source"] = "/crm/test",
            ["type"] = type,
            ["time"] = time,
            ["data"] = data,
        }.ToJsonString();
        CanonicalEventParser.ParseOrThrow(json); // A scenario with a wrong event fails here, not deep in a workflow.
        return json;
    }

    private static JsonObject Money(decimal amount) => new() { ["amount"] = amount, ["currency"] = "EUR" };

    private static JsonArray Strings(IEnumerable<string> items) => [.. items.Select(i => (JsonNode)i)];

    public static string AccountUpserted(string time) => Make(CanonicalEventTypes.AccountUpserted, time, new JsonObject
    {
        ["name"] = "Acme Oy",
        ["kam"] = new JsonObject
        {
            ["email"] = Fixture.KamEmail, ["name"] = "Anna Virtanen", ["time_zone"] = "Europe/Helsinki", ["locale"] = "fi",
            ["calendar"] = new JsonObject
            {
                ["working_days"] = Strings(["mon", "tue", "wed", "thu", "fri"]),
                ["working_hours"] = new JsonObject { ["opens"] = "09:00", ["closes"] = "18:00" },
                ["holidays"] = Strings(Fixture.FinnishHolidays2026.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))),
            },
        },
        ["head"] = new JsonObject { ["email"] = Fixture.HeadEmail, ["name"] = "Boris Petrov", ["time_zone"] = "Europe/Moscow", ["locale"] = "ru" },
        ["currency"] = "EUR",
    });

    public static string ProposalSent(string proposalId, string time, decimal total, string validUntil, int version = 1, string[]? roles = null, decimal? discount = null)
    {
        var data = new JsonObject { ["proposal_id"] = proposalId, ["total"] = Money(total), ["valid_until"] = validUntil, ["version"] = version };
        if (roles is not null)
        {
            data["addressed_roles"] = Strings(roles);
        }

        if (discount is not null)
        {
            data["discount_percent"] = discount;
        }

        return Make(CanonicalEventTypes.ProposalSent, time, data);
    }

    public static string ProposalSentForDeal(string proposalId, string opportunityId, string time, decimal total, string validUntil) =>
        Make(CanonicalEventTypes.ProposalSent, time, new JsonObject
        {
            ["proposal_id"] = proposalId, ["opportunity_id"] = opportunityId, ["total"] = Money(total), ["valid_until"] = validUntil,
        });

    public static string ProposalDrafted(string proposalId, string time, decimal total, int version = 1, decimal? discount = null, string? opportunityId = null)
    {
        var data = new JsonObject { ["proposal_id"] = proposalId, ["total"] = Money(total), ["version"] = version };
        if (discount is not null)
        {
            data["discount_percent"] = discount;
        }

        if (opportunityId is not null)
        {
            data["opportunity_id"] = opportunityId;
        }

        return Make(CanonicalEventTypes.ProposalDrafted, time, data);
    }

    public static string PriceApproved(string proposalId, string time, int version = 1) =>
        Make(CanonicalEventTypes.ProposalPriceApproved, time, new JsonObject { ["proposal_id"] = proposalId, ["version"] = version });

    public static string PriceDeclined(string proposalId, string time, int version = 1) =>
        Make(CanonicalEventTypes.ProposalPriceDeclined, time, new JsonObject { ["proposal_id"] = proposalId, ["version"] = version, ["reason"] = "margin" });

    public static string OpportunityUpsertedClosingOn(string opportunityId, string time, string stage, string expectedCloseDate) =>
        Make(CanonicalEventTypes.OpportunityUpserted, time, new JsonObject
        {
            ["opportunity_id"] = opportunityId, ["name"] = "Fleet modernisation", ["stage"] = stage, ["expected_close_date"] = expectedCloseDate,
        });

    public static string ProposalRevised(string proposalId, string time, int version, decimal total, string validUntil) =>
        Make(CanonicalEventTypes.ProposalRevised, time, new JsonObject { ["proposal_id"] = proposalId, ["version"] = version, ["total"] = Money(total), ["valid_until"] = validUntil });

    public static string Acknowledged(string proposalId, string time) =>
        Make(CanonicalEventTypes.ProposalAcknowledged, time, new JsonObject { ["proposal_id"] = proposalId });

    public static string MeetingAgreed(string proposalId, string time, string meetingAt) =>
        Make(CanonicalEventTypes.ProposalMeetingAgreed, time, new JsonObject { ["proposal_id"] = proposalId, ["meeting_at"] = meetingAt });

    public static string Accepted(string proposalId, string time, int? version = null)
    {
        var data = new JsonObject { ["proposal_id"] = proposalId };
        if (version is not null)
        {
            data["version"] = version;
        }

        return Make(CanonicalEventTypes.ProposalAccepted, time, data);
    }

    public static string Rejected(string proposalId, string time) =>
        Make(CanonicalEventTypes.ProposalRejected, time, new JsonObject { ["proposal_id"] = proposalId, ["reason"] = "budget" });

    public static string TenderAnnounced(string tenderId, string time, string tenderDate, string title = "Fleet maintenance 2027") =>
        Make(CanonicalEventTypes.TenderAnnounced, time, new JsonObject { ["tender_id"] = tenderId, ["title"] = title, ["tender_date"] = tenderDate });

    public static string TenderDateChanged(string tenderId, string time, string tenderDate) =>
        Make(CanonicalEventTypes.TenderDateChanged, time, new JsonObject { ["tender_id"] = tenderId, ["tender_date"] = tenderDate });

    public static string TenderResult(string tenderId, string time, string outcome) =>
        Make(CanonicalEventTypes.TenderResult, time, new JsonObject { ["tender_id"] = tenderId, ["outcome"] = outcome });

    public static string OpportunityUpserted(string opportunityId, string time, string stage, string name = "Fleet telematics 2027") =>
        Make(CanonicalEventTypes.OpportunityUpserted, time, new JsonObject { ["opportunity_id"] = opportunityId, ["name"] = name, ["stage"] = stage });

    public static string StageChanged(string opportunityId, string time, string stage) =>
        Make(CanonicalEventTypes.OpportunityStageChanged, time, new JsonObject { ["opportunity_id"] = opportunityId, ["stage"] = stage });

    public static string MeetingLogged(string time, string heldAt, string? opportunityId = null, string? proposalId = null, string? nextStep = null, string? nextStepDue = null)
    {
        var data = new JsonObject { ["meeting_id"] = "M-" + Interlocked.Increment(ref _number).ToString(System.Globalization.CultureInfo.InvariantCulture), ["held_at"] = heldAt };
        if (opportunityId is not null)
        {
            data["opportunity_id"] = opportunityId;
        }

        if (proposalId is not null)
        {
            data["proposal_id"] = proposalId;
        }

        if (nextStep is not null)
        {
            data["next_step"] = nextStep;
        }

        if (nextStepDue is not null)
        {
            data["next_step_due"] = nextStepDue;
        }

        return Make(CanonicalEventTypes.MeetingLogged, time, data);
    }

    public static string DeliveryCompleted(string deliveryId, string time, bool onTime = true, bool expectationsMet = true, string description = "Fleet maintenance, phase 1") =>
        Make(CanonicalEventTypes.DeliveryCompleted, time, new JsonObject
        {
            ["delivery_id"] = deliveryId, ["on_time"] = onTime, ["expectations_met"] = expectationsMet, ["description"] = description,
        });

    public static string DeliveryScheduled(string deliveryId, string time, string dueOn, string? teamLeadName = "Jukka Mäkinen",
        string? teamLeadEmail = "jukka.makinen@supplier.example", string? description = "Fleet maintenance, phase 1")
    {
        var data = new JsonObject { ["delivery_id"] = deliveryId, ["due_on"] = dueOn, ["contract_id"] = "C-3" };
        data["team_lead_name"] = teamLeadName;
        data["team_lead_email"] = teamLeadEmail;
        data["description"] = description;
        foreach (var empty in data.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            data.Remove(empty);
        }

        return Make(CanonicalEventTypes.DeliveryScheduled, time, data);
    }

    public static string ComplaintOpened(string complaintId, string time, string? deliveryId = null)
    {
        var data = new JsonObject { ["complaint_id"] = complaintId, ["summary"] = "Late spare parts" };
        if (deliveryId is not null)
        {
            data["delivery_id"] = deliveryId;
        }

        return Make(CanonicalEventTypes.ComplaintOpened, time, data);
    }

    public static string ComplaintResolved(string complaintId, string time, string? deliveryId = null)
    {
        var data = new JsonObject { ["complaint_id"] = complaintId };
        if (deliveryId is not null)
        {
            data["delivery_id"] = deliveryId;
        }

        return Make(CanonicalEventTypes.ComplaintResolved, time, data);
    }

    public static string ComplaintClosed(string complaintId, string time, string? deliveryId = null)
    {
        var data = new JsonObject { ["complaint_id"] = complaintId };
        if (deliveryId is not null)
        {
            data["delivery_id"] = deliveryId;
        }

        return Make(CanonicalEventTypes.ComplaintClosed, time, data);
    }

    public static string ComplaintResolvedWith(string complaintId, string time, string resolution) =>
        Make(CanonicalEventTypes.ComplaintResolved, time, new JsonObject { ["complaint_id"] = complaintId, ["resolution"] = resolution });

    public static string ReferenceReceived(string time, string kind, string? deliveryId = null)
    {
        var data = new JsonObject { ["kind"] = kind };
        if (deliveryId is not null)
        {
            data["delivery_id"] = deliveryId;
        }

        return Make(CanonicalEventTypes.ReferenceReceived, time, data);
    }

    public static string ContractSigned(string contractId, string time, string startsOn, string endsOn, decimal? value = null)
    {
        var data = new JsonObject { ["contract_id"] = contractId, ["starts_on"] = startsOn, ["ends_on"] = endsOn };
        if (value is not null)
        {
            data["value"] = Money(value.Value);
        }

        return Make(CanonicalEventTypes.ContractSigned, time, data);
    }

    public static string RevenueReported(string time, string periodStart, string periodEnd, decimal amount) =>
        Make(CanonicalEventTypes.RevenueReported, time, new JsonObject { ["period_start"] = periodStart, ["period_end"] = periodEnd, ["revenue"] = Money(amount) });

    public static string ContactUpserted(string contactId, string time, string name, string role) =>
        Make(CanonicalEventTypes.ContactUpserted, time, new JsonObject
        {
            ["contact_id"] = contactId, ["name"] = name, ["role"] = role, ["influence"] = "high", ["attitude"] = "supporter",
        });

    public static string ContactErased(string contactId, string time) =>
        Make(CanonicalEventTypes.ContactErased, time, new JsonObject { ["contact_id"] = contactId });

    /// <summary>Acme's upsert with another KAM (a handover), in Helsinki.</summary>
    public static string AccountUpsertedWithKam(string time, string kamEmail, string kamName)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(AccountUpserted(time))!;
        json["data"]!["kam"]!["email"] = kamEmail;
        json["data"]!["kam"]!["name"] = kamName;
        json["id"] = "evt-kam-" + Interlocked.Increment(ref _number).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return json.ToJsonString();
    }

    public static string MeetingScheduled(string meetingId, string time, string startsAt, string? endsAt = null, string? subject = null, string? proposalId = null,
        string[]? contactIds = null, string? location = null)
    {
        var data = new JsonObject { ["meeting_id"] = meetingId, ["starts_at"] = startsAt };
        if (endsAt is not null)
        {
            data["ends_at"] = endsAt;
        }

        if (subject is not null)
        {
            data["subject"] = subject;
        }

        if (location is not null)
        {
            data["location"] = location;
        }

        if (proposalId is not null)
        {
            data["proposal_id"] = proposalId;
        }

        if (contactIds is not null)
        {
            data["contact_ids"] = Strings(contactIds);
        }

        return Make(CanonicalEventTypes.MeetingScheduled, time, data);
    }

    public static string MeetingCancelled(string meetingId, string time) =>
        Make(CanonicalEventTypes.MeetingCancelled, time, new JsonObject { ["meeting_id"] = meetingId, ["reason"] = "The client's board meeting moved" });

    /// <summary>kam.meeting.logged for a scheduled meeting (its id), with a summary.</summary>
    public static string MeetingLoggedFor(string meetingId, string time, string heldAt) =>
        Make(CanonicalEventTypes.MeetingLogged, time, new JsonObject { ["meeting_id"] = meetingId, ["held_at"] = heldAt, ["summary"] = "Pilot results reviewed" });
}
