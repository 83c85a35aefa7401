using System.Text.Json;
using KamFlows.Domain.Events;
using static KamFlows.Domain.Tests.Events.CanonicalEventSamples;

namespace KamFlows.Domain.Tests.Events;

public sealed class CanonicalEventParserInvalidTests
{
    private const string Sent = CanonicalEventTypes.ProposalSent;
    private const string IdRule = "must not contain '/', '\\', '#', '?' or control characters";
    private const string RolesList = "executive, people_oriented, finance, technical, user, influencer";

    private static void AssertErrors(string json, params string[] expected)
    {
        var result = CanonicalEventParser.Parse(json);

        Assert.False(result.IsValid);
        Assert.Null(result.Event);
        Assert.Equal(expected, result.Errors.Select(e => e.ToString()));
    }

    [Theory]
    // ---- envelope ----
    [InlineData(Sent, "specversion", "\"0.3\"", "specversion: must be '1.0' (got '0.3')")]
    [InlineData(Sent, "specversion", Remove, "specversion: required")]
    [InlineData(Sent, "specversion", "1.0", "specversion: must be a string, not a number")]
    [InlineData(Sent, "id", Remove, "id: required")]
    [InlineData(Sent, "id", "\"\"", "id: must not be empty")]
    [InlineData(Sent, "id", "\"evt/1\"", "id: " + IdRule)]
    [InlineData(Sent, "source", "\"\"", "source: must not be empty")]
    [InlineData(Sent, "source", "\"http://[bad\"", "source: must be a URI-reference such as /crm/hubspot (got 'http://[bad')")]
    [InlineData(Sent, "type", "\"kam.foo\"", "type: unknown event type 'kam.foo'")]
    [InlineData(Sent, "type", "\"KAM.PROPOSAL.SENT\"", "type: unknown event type 'KAM.PROPOSAL.SENT'")]
    [InlineData(Sent, "type", Remove, "type: required")]
    [InlineData(Sent, "time", Remove, "time: required")]
    [InlineData(Sent, "time", "\"2026-03-10T14:00:00\"", "time: must be an RFC 3339 timestamp with an offset such as 2026-03-10T09:30:00+02:00 (got '2026-03-10T14:00:00')")]
    [InlineData(Sent, "time", "\"2026-03-10\"", "time: must be an RFC 3339 timestamp with an offset such as 2026-03-10T09:30:00+02:00 (got '2026-03-10')")]
    [InlineData(Sent, "time", "\"2026-02-30T14:00:00Z\"", "time: must be an RFC 3339 timestamp with an offset such as 2026-03-10T09:30:00+02:00 (got '2026-02-30T14:00:00Z')")]
    [InlineData(Sent, "time", "1773144000", "time: must be a string, not a number")]
    [InlineData(Sent, "subject", "\"\"", "subject: must not be empty")]
    [InlineData(Sent, "datacontenttype", "\"text/xml\"", "datacontenttype: must be application/json (got 'text/xml')")]
    [InlineData(Sent, "dataschema", "\"schemas/proposal.json\"", "dataschema: must be an absolute URI (got 'schemas/proposal.json')")]
    [InlineData(Sent, "data", Remove, "data: required")]
    [InlineData(Sent, "data", "null", "data: required, must not be null")]
    [InlineData(Sent, "data", "[]", "data: must be a JSON object, not an array")]
    [InlineData(Sent, "data", "\"{}\"", "data: must be a JSON object, not a string")]
    [InlineData(Sent, "data_base64", "\"AAAA\"", "data_base64: binary data is not accepted; send the event data as a JSON object in data")]
    [InlineData(Sent, "account_id", "\"ACME\"", "account_id: unknown attribute (CloudEvents extension names are lower-case letters and digits only; event fields belong inside data)")]
    [InlineData(Sent, "Traceparent", "\"00-ab\"", "Traceparent: unknown attribute (CloudEvents extension names are lower-case letters and digits only)")]
    [InlineData(Sent, "myext", "{\"a\":1}", "myext: an extension attribute must be a string, number or boolean")]
    // ---- proposal.sent data ----
    [InlineData(Sent, "data.valid_until", Remove, "data.valid_until: required")]
    [InlineData(Sent, "data.valid_until", "\"2026-02-30\"", "data.valid_until: must be an ISO 8601 date such as 2026-03-01 (got '2026-02-30')")]
    [InlineData(Sent, "data.valid_until", "\"31.03.2026\"", "data.valid_until: must be an ISO 8601 date such as 2026-03-01 (got '31.03.2026')")]
    [InlineData(Sent, "data.valid_until", "\"2026-03-31T00:00:00Z\"", "data.valid_until: must be an ISO 8601 date such as 2026-03-01 (got '2026-03-31T00:00:00Z')")]
    [InlineData(Sent, "data.valid_until", "\"2026-03-09\"", "data.valid_until: must not be before the date the proposal was sent (2026-03-10, from time)")]
    [InlineData(Sent, "data.total.amount", "-1", "data.total.amount: must not be negative (got -1)")]
    [InlineData(Sent, "data.total.amount", "\"1200\"", "data.total.amount: must be a number, not a string")]
    [InlineData(Sent, "data.total.amount", "1e30", "data.total.amount: is out of the decimal range (1e30)")]
    [InlineData(Sent, "data.total.amount", Remove, "data.total.amount: required")]
    [InlineData(Sent, "data.total.currency", "\"EURO\"", "data.total.currency: must be an ISO 4217 currency code such as EUR (got 'EURO')")]
    [InlineData(Sent, "data.total.currency", "\"eur\"", "data.total.currency: must be an ISO 4217 currency code such as EUR (got 'eur')")]
    [InlineData(Sent, "data.total.currency", Remove, "data.total.currency: required")]
    [InlineData(Sent, "data.total.value", "1", "data.total.value: unknown member")]
    [InlineData(Sent, "data.total", "120000", "data.total: must be a JSON object, not a number")]
    [InlineData(Sent, "data.total", Remove, "data.total: required")]
    [InlineData(Sent, "data.addressed_roles", "[\"finance\",\"finance\"]", "data.addressed_roles[1]: duplicate 'finance'")]
    [InlineData(Sent, "data.addressed_roles", "[\"cfo\"]", "data.addressed_roles[0]: must be one of " + RolesList + " (got 'cfo')")]
    [InlineData(Sent, "data.addressed_roles", "[\"Finance\"]", "data.addressed_roles[0]: must be one of " + RolesList + " (got 'Finance')")]
    [InlineData(Sent, "data.addressed_roles", "\"finance\"", "data.addressed_roles: must be an array, not a string")]
    [InlineData(Sent, "data.addressed_roles", "[null]", "data.addressed_roles[0]: must not be null")]
    [InlineData(Sent, "data.addressed_roles", "[1]", "data.addressed_roles[0]: must be a string, not a number")]
    [InlineData(Sent, "data.discount_percent", "100", "data.discount_percent: must be from 0 up to, not including, 100 (got 100)")]
    [InlineData(Sent, "data.discount_percent", "-5", "data.discount_percent: must be from 0 up to, not including, 100 (got -5)")]
    [InlineData(Sent, "data.version", "0", "data.version: must be at least 1 (got 0)")]
    [InlineData(Sent, "data.version", "1.5", "data.version: must be a whole number (got 1.5)")]
    [InlineData(Sent, "data.version", "\"2\"", "data.version: must be a whole number, not a string")]
    [InlineData(Sent, "data.account_id", "null", "data.account_id: required, must not be null")]
    [InlineData(Sent, "data.account_id", "42", "data.account_id: must be a string, not a number")]
    [InlineData(Sent, "data.account_id", "\" ACME\"", "data.account_id: must not start or end with whitespace")]
    [InlineData(Sent, "data.proposal_id", "\"P#1\"", "data.proposal_id: " + IdRule)]
    [InlineData(Sent, "data.proposal_id", Remove, "data.proposal_id: required")]
    [InlineData(Sent, "data.channel", "\"fax\"", "data.channel: must be one of email, letter, in_person, portal (got 'fax')")]
    [InlineData(Sent, "data.status", "\"sent\"", "data.status: unknown member")]
    // ---- proposal.revised ----
    [InlineData(CanonicalEventTypes.ProposalRevised, "data.version", "1", "data.version: must be at least 2 (got 1)")]
    [InlineData(CanonicalEventTypes.ProposalRevised, "data.version", Remove, "data.version: required")]
    [InlineData(CanonicalEventTypes.ProposalRevised, "data.valid_until", "\"2026-03-19\"", "data.valid_until: must not be before the date the proposal was sent (2026-03-20, from time)")]
    // ---- account.upserted ----
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.groups", "[\"breadwinner\"]", "data.groups: breadwinner is computed from reported revenue and cannot be set")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.groups", "[\"image-maker\"]", "data.groups[0]: must be one of breadwinner, prospective, image_maker, expert (got 'image-maker')")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.bonds", "[\"loyalty\"]", "data.bonds[0]: must be one of structural, brand, attitude, personal, information_and_control, value, zero_choice (got 'loyalty')")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.kam.time_zone", "\"Europe/Helsinky\"", "data.kam.time_zone: must be an IANA time zone id such as Europe/Helsinki (got 'Europe/Helsinky')")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.kam.time_zone", "\"+02:00\"", "data.kam.time_zone: must be an IANA time zone id such as Europe/Helsinki (got '+02:00')")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.kam.email", "\"anna\"", "data.kam.email: must be an email address such as name@example.com (got 'anna')")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.kam.email", Remove, "data.kam.email: required")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.head", Remove, "data.head: required")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.country", "\"XX\"", "data.country: must be an ISO 3166-1 alpha-2 country code such as FI, RU or BG (got 'XX')")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.kam.country", "\"Finland\"", "data.kam.country: must be an ISO 3166-1 alpha-2 country code such as FI, RU or BG (got 'Finland')")]
    [InlineData(CanonicalEventTypes.ContactUpserted, "data.time_zone", "\"Sofia\"", "data.time_zone: must be an IANA time zone id such as Europe/Helsinki (got 'Sofia')")]
    [InlineData(CanonicalEventTypes.ContactUpserted, "data.locale", "\"Bulgarian\"", "data.locale: must be a language tag such as en or fi-FI (got 'Bulgarian')")]
    [InlineData(CanonicalEventTypes.ContactUpserted, "data.country", "7", "data.country: must be a string, not a number")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.head.locale", "\"english\"", "data.head.locale: must be a language tag such as en or fi-FI (got 'english')")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.kam.calendar.working_hours", "{\"opens\":\"18:00\",\"closes\":\"09:00\"}", "data.kam.calendar.working_hours.closes: must be after opens (18:00)")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.kam.calendar.working_hours.opens", "\"9am\"", "data.kam.calendar.working_hours.opens: must be a local time HH:mm such as 09:00 (got '9am')")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.kam.calendar.working_hours.closes", Remove, "data.kam.calendar.working_hours.closes: required")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.kam.calendar.working_days", "[]", "data.kam.calendar.working_days: must name at least one day (mon … sun)")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.kam.calendar.working_days", "[\"monday\"]", "data.kam.calendar.working_days[0]: must be one of mon, tue, wed, thu, fri, sat, sun (got 'monday')")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.kam.calendar.holidays", "[\"2026-13-01\"]", "data.kam.calendar.holidays[0]: must be an ISO 8601 date such as 2026-03-01 (got '2026-13-01')")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.kam.calendar.holidays", "[\"2026-12-24\",\"2026-12-24\"]", "data.kam.calendar.holidays[1]: duplicate '2026-12-24'")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.kam.calendar.timezone", "\"x\"", "data.kam.calendar.timezone: unknown member")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.price_floor", "{\"amount\":1,\"currency\":\"USD\"}", "data.price_floor.currency: must be the account currency EUR (got USD)")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.currency", "\"XAU\"", "data.currency: must be an ISO 4217 currency code such as EUR (got 'XAU')")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.is_key_account", "\"yes\"", "data.is_key_account: must be true or false, not a string")]
    [InlineData(CanonicalEventTypes.AccountUpserted, "data.allows_direct_reference_requests", "1", "data.allows_direct_reference_requests: must be true or false, not a number")]
    // ---- contacts ----
    [InlineData(CanonicalEventTypes.ContactUpserted, "data.role", "\"cfo\"", "data.role: must be one of " + RolesList + " (got 'cfo')")]
    [InlineData(CanonicalEventTypes.ContactUpserted, "data.influence", "\"huge\"", "data.influence: must be one of low, medium, high (got 'huge')")]
    [InlineData(CanonicalEventTypes.ContactUpserted, "data.attitude", Remove, "data.attitude: required")]
    [InlineData(CanonicalEventTypes.ContactUpserted, "data.attitude", "\"skeptic\"", "data.attitude: must be one of opponent, sceptic, neutral, supporter, champion (got 'skeptic')")]
    [InlineData(CanonicalEventTypes.ContactUpserted, "data.email", "\"liisa at acme\"", "data.email: must be an email address such as name@example.com (got 'liisa at acme')")]
    [InlineData(CanonicalEventTypes.ContactUpserted, "data.reports_to_contact_id", "\"C-2\"", "data.reports_to_contact_id: a contact cannot report to themselves")]
    [InlineData(CanonicalEventTypes.ContactUpserted, "data.personal_data.birthday", "\"1975-02-30\"", "data.personal_data.birthday: must be a date such as 1975-04-12, or --04-12 without the year (got '1975-02-30')")]
    [InlineData(CanonicalEventTypes.ContactUpserted, "data.personal_data.family", "[{\"name\":\"Aino\"}]", "data.personal_data.family[0].relation: required")]
    [InlineData(CanonicalEventTypes.ContactUpserted, "data.personal_data.family", "[\"Aino\"]", "data.personal_data.family[0]: must be a JSON object, not a string")]
    [InlineData(CanonicalEventTypes.ContactUpserted, "data.personal_data.hobbies", "[\"  \"]", "data.personal_data.hobbies[0]: must not be empty")]
    [InlineData(CanonicalEventTypes.ContactUpserted, "data.personal_data.ssn", "\"010175-123A\"", "data.personal_data.ssn: unknown member")]
    [InlineData(CanonicalEventTypes.ContactErased, "data.contact_id", Remove, "data.contact_id: required")]
    // ---- revenue, opportunities, meetings ----
    [InlineData(CanonicalEventTypes.RevenueReported, "data.period_end", "\"2025-12-31\"", "data.period_end: must not be before period_start (2026-01-01)")]
    [InlineData(CanonicalEventTypes.RevenueReported, "data.revenue.amount", "-100", "data.revenue.amount: must not be negative (got -100)")]
    [InlineData(CanonicalEventTypes.RevenueReported, "data.revenue", Remove, "data.revenue: required")]
    [InlineData(CanonicalEventTypes.OpportunityUpserted, "data.stage", "\"closing\"", "data.stage: must be one of needs_recognition, evaluation_of_options, resolution_of_concerns, decision, won, lost (got 'closing')")]
    [InlineData(CanonicalEventTypes.OpportunityUpserted, "data.amount.amount", "-1", "data.amount.amount: must not be negative (got -1)")]
    [InlineData(CanonicalEventTypes.OpportunityStageChanged, "data.previous_stage", "\"decision\"", "data.previous_stage: must differ from stage (decision)")]
    [InlineData(CanonicalEventTypes.MeetingLogged, "data.next_step_due", "\"2026-03-01\"", "data.next_step_due: must not be before the meeting (2026-03-04)")]
    [InlineData(CanonicalEventTypes.MeetingLogged, "data.contact_ids", "[\"C-1\",\"C-1\"]", "data.contact_ids[1]: duplicate 'C-1'")]
    [InlineData(CanonicalEventTypes.MeetingLogged, "data.held_at", Remove, "data.held_at: required")]
    [InlineData(CanonicalEventTypes.ProposalMeetingAgreed, "data.meeting_at", "\"tomorrow 10:00\"", "data.meeting_at: must be an RFC 3339 timestamp with an offset such as 2026-03-10T09:30:00+02:00 (got 'tomorrow 10:00')")]
    [InlineData(CanonicalEventTypes.ProposalAcknowledged, "data.contact", "\"C-2\"", "data.contact: unknown member")]
    [InlineData(CanonicalEventTypes.ProposalAccepted, "data.version", "0", "data.version: must be at least 1 (got 0)")]
    // ---- tenders, contracts, after the sale ----
    [InlineData(CanonicalEventTypes.TenderAnnounced, "data.result_expected_on", "\"2026-11-15\"", "data.result_expected_on: must not be before tender_date (2026-11-16)")]
    [InlineData(CanonicalEventTypes.TenderAnnounced, "data.tender_date", Remove, "data.tender_date: required")]
    [InlineData(CanonicalEventTypes.TenderAnnounced, "data.title", "\"\"", "data.title: must not be empty")]
    [InlineData(CanonicalEventTypes.TenderDateChanged, "data.previous_tender_date", "\"2026-11-30\"", "data.previous_tender_date: must differ from tender_date (2026-11-30)")]
    [InlineData(CanonicalEventTypes.TenderResult, "data.outcome", "\"draw\"", "data.outcome: must be one of won, lost, cancelled (got 'draw')")]
    [InlineData(CanonicalEventTypes.ContractSigned, "data.ends_on", "\"2026-12-31\"", "data.ends_on: must not be before starts_on (2027-01-01)")]
    [InlineData(CanonicalEventTypes.ContractSigned, "data.value.currency", "\"EUROS\"", "data.value.currency: must be an ISO 4217 currency code such as EUR (got 'EUROS')")]
    [InlineData(CanonicalEventTypes.DeliveryCompleted, "data.on_time", "\"yes\"", "data.on_time: must be true or false, not a string")]
    [InlineData(CanonicalEventTypes.DeliveryCompleted, "data.expectations_met", Remove, "data.expectations_met: required")]
    [InlineData(CanonicalEventTypes.ComplaintOpened, "data.complaint_id", Remove, "data.complaint_id: required")]
    [InlineData(CanonicalEventTypes.ComplaintResolved, "data.delivery_id", "\"\"", "data.delivery_id: must not be empty")]
    [InlineData(CanonicalEventTypes.ReferenceReceived, "data.url", "\"ftp://files.example.com/ref.pdf\"", "data.url: must be an absolute http(s) URL (got 'ftp://files.example.com/ref.pdf')")]
    [InlineData(CanonicalEventTypes.ReferenceReceived, "data.url", "\"/references/acme.pdf\"", "data.url: must be an absolute http(s) URL (got '/references/acme.pdf')")]
    [InlineData(CanonicalEventTypes.ReferenceReceived, "data.kind", "\"praise\"", "data.kind: must be one of letter, referral (got 'praise')")]
    // ---- issue 14: the price floor before sending, a complaint's end ----
    [InlineData(CanonicalEventTypes.ProposalDrafted, "data.total", Remove, "data.total: required")]
    [InlineData(CanonicalEventTypes.ProposalDrafted, "data.discount_percent", "120", "data.discount_percent: must be from 0 up to, not including, 100 (got 120)")]
    [InlineData(CanonicalEventTypes.ProposalPriceApproved, "data.version", "0", "data.version: must be at least 1 (got 0)")]
    [InlineData(CanonicalEventTypes.ProposalPriceDeclined, "data.proposal_id", Remove, "data.proposal_id: required")]
    [InlineData(CanonicalEventTypes.ComplaintClosed, "data.complaint_id", "\"\"", "data.complaint_id: must not be empty")]
    [InlineData(CanonicalEventTypes.DeliveryScheduled, "data.due_on", Remove, "data.due_on: required")]
    [InlineData(CanonicalEventTypes.DeliveryScheduled, "data.due_on", "\"2027-02-30\"", "data.due_on: must be an ISO 8601 date such as 2026-03-01 (got '2027-02-30')")]
    [InlineData(CanonicalEventTypes.DeliveryScheduled, "data.due_on", "\"9001-01-01\"", "data.due_on: is outside the dates KamFlows can represent (1601-01-01 to 9000-12-31) (got '9001-01-01')")]
    [InlineData(CanonicalEventTypes.DeliveryScheduled, "data.team_lead_email", "\"jukka at supplier\"", "data.team_lead_email: must be an email address such as name@example.com (got 'jukka at supplier')")]
    [InlineData(CanonicalEventTypes.DeliveryScheduled, "data.delivery_id", "\"D/5\"", "data.delivery_id: " + IdRule)]
    [InlineData(CanonicalEventTypes.DeliveryScheduled, "data.team_lead_name", "\"\"", "data.team_lead_name: must not be empty")]
    // ---- issue 14 item 7: meetings ----
    [InlineData(CanonicalEventTypes.MeetingScheduled, "data.starts_at", Remove, "data.starts_at: required")]
    [InlineData(CanonicalEventTypes.MeetingScheduled, "data.ends_at", "\"2026-03-04T09:59:00+02:00\"", "data.ends_at: must not be before starts_at (2026-03-04T10:00:00+02:00)")]
    [InlineData(CanonicalEventTypes.MeetingScheduled, "data.contact_ids", "\"C-1\"", "data.contact_ids: must be an array, not a string")]
    [InlineData(CanonicalEventTypes.MeetingCancelled, "data.meeting_id", Remove, "data.meeting_id: required")]
    public void Parse_OneThingWrong_ExactlyThatErrorWithItsPath(string type, string path, string value, string expected) =>
        AssertErrors(With(type, path, value), expected);

    [Fact]
    public void Parse_MisspelledMember_RequiredAndUnknownBothReported()
    {
        var json = Change(With(Sent, "data.valid_until", Remove), "data.valid_untill", "\"2026-03-31\"");
        AssertErrors(json, "data.valid_until: required", "data.valid_untill: unknown member");
    }

    [Fact]
    public void Parse_SeveralProblems_AllReportedInOrder()
    {
        var json = Change(Change(With(Sent, "specversion", "\"0.3\""), "data.total.amount", "-5"), "data.addressed_roles", "[\"cfo\"]");
        AssertErrors(json,
            "specversion: must be '1.0' (got '0.3')",
            "data.total.amount: must not be negative (got -5)",
            "data.addressed_roles[0]: must be one of " + RolesList + " (got 'cfo')");
    }

    [Fact]
    public void Parse_UnknownTypeAndBadTime_EnvelopeErrorsWithoutGuessingData()
    {
        var json = Change(With(Sent, "type", "\"kam.foo\""), "time", "\"yesterday\"");
        AssertErrors(json,
            "type: unknown event type 'kam.foo'",
            "time: must be an RFC 3339 timestamp with an offset such as 2026-03-10T09:30:00+02:00 (got 'yesterday')");
    }

    [Fact]
    public void Parse_BadTime_ValidityNotComparedWithGarbage()
    {
        var json = Change(With(Sent, "time", "\"soon\""), "data.valid_until", "\"2000-01-01\"");
        AssertErrors(json, "time: must be an RFC 3339 timestamp with an offset such as 2026-03-10T09:30:00+02:00 (got 'soon')");
    }

    [Fact]
    public void Parse_DuplicateMembers_Reported()
    {
        var json = ByType[CanonicalEventTypes.ProposalAcknowledged]
            .Replace("\"id\":", "\"id\": \"other\", \"id\":", StringComparison.Ordinal)
            .Replace("\"account_id\":", "\"account_id\": \"X\", \"account_id\":", StringComparison.Ordinal);
        AssertErrors(json, "data.account_id: duplicate member", "id: duplicate member");
    }

    [Fact]
    public void Parse_IdLongerThanTwoHundred_Refused() =>
        AssertErrors(With(CanonicalEventTypes.ProposalAcknowledged, "data.proposal_id", "\"" + new string('p', 201) + "\""), "data.proposal_id: must be at most 200 characters");

    [Fact]
    public void Parse_NameLongerThanFiveHundred_Refused() =>
        AssertErrors(With(CanonicalEventTypes.TenderAnnounced, "data.title", "\"" + new string('t', 501) + "\""), "data.title: must be at most 500 characters (got 501)");

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"specversion\":\"1.0\",}")]
    [InlineData("// comment\n{}")]
    [InlineData("{'specversion':'1.0'}")]
    public void Parse_NotJson_SingleRootError(string json)
    {
        var error = Assert.Single(CanonicalEventParser.Parse(json).Errors);
        Assert.Equal("$", error.Path);
        Assert.StartsWith("is not valid JSON: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"kam.proposal.sent\"")]
    [InlineData("null")]
    public void Parse_NotAnObject_SingleRootError(string json) =>
        AssertErrors(json, "$: must be a JSON object (one CloudEvent in structured mode)");

    [Fact]
    public void Parse_EmptyObject_EveryRequiredAttributeNamed() =>
        AssertErrors("{}", "specversion: required", "id: required", "source: required", "type: required", "time: required", "data: required");

    [Fact]
    public void Parse_ElementWithPathPrefix_ErrorsCarryThePrefix()
    {
        using var document = JsonDocument.Parse("[" + ByType[Sent] + "," + With(Sent, "data.valid_until", Remove) + ", 5]");

        Assert.True(CanonicalEventParser.Parse(document.RootElement[0], "events[0]").IsValid);
        Assert.Equal(["events[1].data.valid_until: required"], CanonicalEventParser.Parse(document.RootElement[1], "events[1]").Errors.Select(e => e.ToString()));
        Assert.Equal(["events[2]: must be a JSON object (one CloudEvent in structured mode)"], CanonicalEventParser.Parse(document.RootElement[2], "events[2]").Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void ParseOrThrow_Invalid_FormatExceptionListsErrors()
    {
        var ex = Assert.Throws<FormatException>(() => CanonicalEventParser.ParseOrThrow(With(Sent, "data.total.amount", "-1")));
        Assert.Equal("Invalid canonical event: data.total.amount: must not be negative (got -1)", ex.Message);
    }

    [Fact]
    public void ParseResult_ToString_JoinsErrors() =>
        Assert.Equal("id: required; type: unknown event type 'x'", CanonicalEventParser.Parse(Change(With(Sent, "id", Remove), "type", "\"x\"")).ToString());
}
