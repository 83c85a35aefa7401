namespace KamFlows.Workflows.Notifications;

/// <summary>What a kind of notification is: who gets it, whether it is essential, and the fields its templates use.</summary>
public sealed record NotificationSpec(
    NotificationKind Kind,
    RecipientRole Audience,
    bool Essential,
    string Purpose,
    IReadOnlyDictionary<string, TemplateValue> SampleFields,
    bool HasInvite = false)
{
    /// <summary>Field names every request of this kind must carry.</summary>
    public IReadOnlyCollection<string> RequiredFields => [.. SampleFields.Keys];
}

/// <summary>
/// The contract between workflows (which fill the fields) and templates (which use them). Every kind has a spec;
/// the sample values render every template in tests. Common fields on every kind: <c>account_name</c>,
/// <c>recipient_name</c>.
/// </summary>
public static class NotificationCatalog
{
    private static readonly DateTimeOffset SampleTime = new(2026, 3, 27, 9, 0, 0, TimeSpan.FromHours(2));

    public static IReadOnlyDictionary<NotificationKind, NotificationSpec> All { get; } = Build();

    public static NotificationSpec For(NotificationKind kind) => All[kind];

    /// <summary>Names of fields the request lacks for its kind (empty when complete).</summary>
    public static IReadOnlyList<string> MissingFields(NotificationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return [.. For(request.Kind).RequiredFields.Where(f => !request.Fields.ContainsKey(f))];
    }

    /// <summary>The request itself when its kind's fields are all there; else an exception naming the missing ones (a workflow's bug, not bad input).</summary>
    public static NotificationRequest RequireComplete(NotificationRequest request)
    {
        var missing = MissingFields(request);
        return missing.Count == 0 ? request
            : throw new InvalidOperationException($"{request.Kind} {request.NotificationId} lacks fields: {string.Join(", ", missing)}.");
    }

    private static TemplateValue T(string s) => TemplateValue.OfText(s);

    private static TemplateValue D(int y, int m, int d) => TemplateValue.OfDate(new DateOnly(y, m, d));

    private static Dictionary<string, TemplateValue> Common(params (string Key, TemplateValue Value)[] fields)
    {
        var d = new Dictionary<string, TemplateValue>(StringComparer.Ordinal)
        {
            ["account_name"] = T("Acme Oy"),
            ["recipient_name"] = T("Anna Virtanen"),
        };
        foreach (var (k, v) in fields)
        {
            d[k] = v;
        }

        return d;
    }

    private static Dictionary<NotificationKind, NotificationSpec> Build()
    {
        var proposal = new (string, TemplateValue)[]
        {
            ("proposal_id", T("P-1001")),
            ("proposal_total", TemplateValue.OfMoney(125_000m, "EUR")),
            ("valid_until", D(2026, 4, 30)),
            ("sent_on", D(2026, 3, 20)),
        };
        var specs = new List<NotificationSpec>
        {
            new(NotificationKind.ProposalCallToConfirmReceipt, RecipientRole.Kam, true,
                "Task: no acknowledgement one business day after sending; call to confirm receipt.", Common(proposal)),
            new(NotificationKind.ProposalAskNextSteps, RecipientRole.Kam, true,
                "Task: receipt confirmed; ask about next steps and what drives the urgency; agree a meeting date.",
                Common([.. proposal, ("unaddressed_roles", TemplateValue.OfList(["finance", "technical"]))])),
            new(NotificationKind.ProposalMeetingNotAgreed, RecipientRole.Kam, true,
                "Reminder: no meeting agreed yet to discuss the proposal.",
                Common([.. proposal, ("days_since_sent", TemplateValue.OfNumber(6))])),
            new(NotificationKind.ProposalMeetingPreparation, RecipientRole.Kam, false,
                "Before the agreed meeting: DMU, roles not yet addressed, recent interactions, open issues.",
                Common([.. proposal, ("meeting_at", TemplateValue.OfInstant(SampleTime)),
                    ("dmu", TemplateValue.OfTable([Fields(("name", T("Mikko Laine")), ("role", T("executive")), ("attitude", T("supporter"))),
                        Fields(("name", T("Sari Koski")), ("role", T("finance")), ("attitude", T("neutral")))])),
                    ("unaddressed_roles", TemplateValue.OfList(["technical"])),
                    ("recent_interactions", TemplateValue.OfList(["2026-03-20 proposal sent (v1)", "2026-03-23 receipt confirmed"]))]), HasInvite: true),
            new(NotificationKind.ProposalExpiryReminder, RecipientRole.Kam, true,
                "The proposal's validity ends soon (default 7 and 1 business days before).",
                Common([.. proposal, ("business_days_left", TemplateValue.OfNumber(7))])),
            new(NotificationKind.ProposalExpired, RecipientRole.Kam, true,
                "The proposal expired: re-issue it or let it go.", Common(proposal)),
            new(NotificationKind.ProposalPriceApprovalRequired, RecipientRole.Head, true,
                "Task for the head: a drafted proposal's price is under the account's price floor; decide before it goes to the client.",
                Common(("proposal_id", T("P-1001")), ("proposal_total", TemplateValue.OfMoney(125_000m, "EUR")), ("price_floor", TemplateValue.OfMoney(140_000m, "EUR")),
                    ("kam_name", T("Anna Virtanen")), ("discount_percent", TemplateValue.OfNumber(12.5m)), ("floor_check", T("below")))),
            new(NotificationKind.ProposalSentUnderFloor, RecipientRole.Kam, true,
                "Alert and task for the KAM: a proposal went to the client under the price floor without the head's approval.",
                Common([.. proposal, ("price_floor", TemplateValue.OfMoney(140_000m, "EUR")), ("approval_state", T("not_requested")), ("floor_check", T("below"))])),

            new(NotificationKind.TenderMilestoneDue, RecipientRole.Kam, true,
                "A tender-preparation milestone is due (T−270 … T).",
                Common(("tender_id", T("T-77")), ("tender_title", T("Fleet maintenance 2027")), ("tender_date", D(2026, 12, 1)),
                    ("milestone", T("map_dmu")), ("milestone_title", T("Map the DMU and current needs")), ("due_on", D(2026, 3, 6))), HasInvite: true),
            new(NotificationKind.TenderMilestonesOverdue, RecipientRole.Kam, true,
                "Milestones already past when the tender was registered (reported once, not as a burst).",
                Common(("tender_id", T("T-77")), ("tender_title", T("Fleet maintenance 2027")), ("tender_date", D(2026, 6, 1)),
                    ("overdue_milestones", TemplateValue.OfTable([Milestone("map_dmu", "Map the DMU and current needs", D(2025, 9, 4)),
                        Milestone("key_success_factors", "Identify key success factors and competitors", D(2025, 10, 4))])))),
            new(NotificationKind.TenderDateMoved, RecipientRole.Kam, false,
                "The tender date moved; future milestones moved with it.",
                Common(("tender_id", T("T-77")), ("tender_title", T("Fleet maintenance 2027")), ("previous_tender_date", D(2026, 12, 1)),
                    ("tender_date", D(2027, 1, 15)), ("moved_milestones", TemplateValue.OfTable([Milestone("bid_no_bid", "Bid/no-bid decision", D(2026, 10, 17))])))),
            new(NotificationKind.TenderResultFollowUp, RecipientRole.Kam, true,
                "After the result: won → kick-off and reference plan; lost → debrief with the client.",
                Common(("tender_id", T("T-77")), ("tender_title", T("Fleet maintenance 2027")), ("outcome", T("lost")))),

            new(NotificationKind.SaleCycleNextStep, RecipientRole.Kam, false,
                "The next meaningful step of a long sale cycle is due (never a call count).",
                Common(("opportunity_id", T("O-9")), ("opportunity_name", T("Boeing fleet deal")), ("stage", T("evaluation_of_options")),
                    ("next_step", T("Pilot proposal to the technical team")), ("next_step_code", T(string.Empty)), ("due_on", D(2026, 4, 2)), ("days_in_stage", TemplateValue.OfNumber(40)))),
            new(NotificationKind.DealStalled, RecipientRole.Kam, true,
                "No stage change or meeting for the stall period (default 45 days).",
                Common(("opportunity_id", T("O-9")), ("opportunity_name", T("Boeing fleet deal")), ("stage", T("evaluation_of_options")),
                    ("days_without_progress", TemplateValue.OfNumber(45)), ("last_meeting_on", D(2026, 2, 10)), ("stage_since", D(2026, 1, 12)), ("registered_on", D(2025, 11, 3)))),
            new(NotificationKind.DealStalledEscalation, RecipientRole.Head, true,
                "A stalled deal is still stalled after the KAM was told: the head is told.",
                Common(("opportunity_id", T("O-9")), ("opportunity_name", T("Boeing fleet deal")), ("stage", T("evaluation_of_options")),
                    ("days_without_progress", TemplateValue.OfNumber(59)), ("kam_name", T("Anna Virtanen")),
                    ("last_meeting_on", D(2026, 2, 10)), ("stage_since", D(2026, 1, 12)), ("registered_on", D(2025, 11, 3)))),

            new(NotificationKind.ReferenceLetterAsk, RecipientRole.Kam, true,
                "Task: the delivery went well and settled; ask the client for a reference letter.",
                Common(("delivery_id", T("D-5")), ("delivery_description", T("Fleet maintenance, phase 1")), ("completed_on", D(2026, 3, 2)))),
            new(NotificationKind.ReferenceLetterRequestToClient, RecipientRole.ClientContact, false,
                "Client-facing: asks the client contact for a reference letter (only where the account allows it).",
                Common(("delivery_id", T("D-5")), ("delivery_description", T("Fleet maintenance, phase 1")), ("kam_name", T("Anna Virtanen")), ("kam_title", T("Key Account Manager")), ("kam_email", T("anna.virtanen@supplier.example")))),
            new(NotificationKind.ReferenceLetterFollowUp, RecipientRole.Kam, true,
                "The reference letter has not arrived: follow up.",
                Common(("delivery_id", T("D-5")), ("delivery_description", T("Fleet maintenance, phase 1")), ("asked_on", D(2026, 3, 16)))),
            new(NotificationKind.ReferralRequest, RecipientRole.Kam, false,
                "In a personal conversation, ask the client to recommend colleagues and partners.",
                Common(("delivery_id", T("D-5")), ("delivery_description", T("Fleet maintenance, phase 1")))),
            new(NotificationKind.DeliveryDeadlineApproaching, RecipientRole.Kam, true,
                "The delivery team's deadline nears (default 5 and 1 business days before): check with the team lead that it will be met.",
                Delivery(("business_days_left", TemplateValue.OfNumber(5)))),
            new(NotificationKind.DeliveryOverdue, RecipientRole.Kam, true,
                "Task, the business morning after the deadline: the delivery is not reported complete; find out from the team when it will be.",
                Delivery(("escalate_after_business_days", TemplateValue.OfNumber(3)))),
            new(NotificationKind.DeliveryDeadlineMoved, RecipientRole.Kam, false,
                "The delivery team's deadline moved (from and to); reminders follow the new date.",
                Delivery(("previous_due_on", D(2026, 5, 13)))),

            new(NotificationKind.ContactBirthday, RecipientRole.Kam, false,
                "A DMU member's birthday is coming.",
                Common(("contact_name", T("Mikko Laine")), ("contact_role", T("decision_maker")), ("birthday_on", D(2026, 4, 12)))),
            new(NotificationKind.ContractRenewal, RecipientRole.Kam, true,
                "A contract ends soon (default 120, 60, 30 days before).",
                Common(("contract_id", T("C-3")), ("ends_on", D(2026, 9, 30)), ("days_left", TemplateValue.OfNumber(120)), ("contract_value", TemplateValue.OfMoney(480_000m, "EUR")))),
            new(NotificationKind.QuarterlyBusinessReview, RecipientRole.Kam, false,
                "Quarterly ROI review with the account's numbers.",
                Common(("quarter", T("2026-Q1")), ("revenue", TemplateValue.OfMoney(310_000m, "EUR")), ("revenue_share_percent", TemplateValue.OfNumber(18.4m)),
                    ("open_opportunities", TemplateValue.OfNumber(2)), ("open_complaints", TemplateValue.OfNumber(0))), HasInvite: true),
            new(NotificationKind.RelationshipDormant, RecipientRole.Kam, true,
                "No meeting or event with the account for the dormancy period (default 60 days).",
                Common(("days_since_last_contact", TemplateValue.OfNumber(61)), ("last_contact_on", D(2026, 1, 25)))),
            new(NotificationKind.ConcentrationWarning, RecipientRole.Head, false,
                "Portfolio concentration crossed a threshold (one account ≥ 25 %, top two ≥ 50 %, key accounts ≥ 75 %).",
                Common(("warning", T("single_account")), ("share_percent", TemplateValue.OfNumber(31.2m)), ("threshold_percent", TemplateValue.OfNumber(25)),
                    ("quarter", T("2026-Q1")), ("not_reported", TemplateValue.OfList(["Beta Oy"])), ("missing_rates", TemplateValue.OfList([])))),
            new(NotificationKind.ValueBondRisk, RecipientRole.Kam, false,
                "The account is held mainly by value bonds (individual terms) while its margin is low.",
                Common(("bonds", TemplateValue.OfList(["value"])), ("margin_percent", TemplateValue.OfNumber(4.5m)))),
            new(NotificationKind.InformationBondNudge, RecipientRole.Kam, false,
                "Send the client a regular analysis (information-and-control bond) and keep them informed of achievements.",
                Common(("last_analysis_on", D(2025, 12, 15)))),
            new(NotificationKind.AccountHandoverBriefing, RecipientRole.Kam, true,
                "A new KAM took the account over: its recent history, decision makers and open items, and who had it (seed 001).",
                Common(("previous_kam_name", T("Pekka Niemi")), ("handover_on", D(2026, 3, 26)),
                    ("history", TemplateValue.OfTable([Fields(("on", D(2026, 3, 20)), ("event", T("kam.meeting.logged")), ("subject", T(""))),
                        Fields(("on", D(2026, 3, 12)), ("event", T("kam.proposal.sent")), ("subject", T("P-1001"))),
                        Fields(("on", D(2026, 3, 2)), ("event", T(nameof(NotificationKind.ContractRenewal))), ("subject", T("C-3")))])),
                    ("dmu", TemplateValue.OfTable([Fields(("name", T("Mikko Laine")), ("role", T("executive")), ("attitude", T("supporter")), ("influence", T("high"))),
                        Fields(("name", T("Sari Koski")), ("role", T("finance")), ("attitude", T("neutral")), ("influence", T("medium")))])),
                    ("open_opportunities", TemplateValue.OfList(["O-9"])), ("open_complaints", TemplateValue.OfList(["K-2"])),
                    ("contracts", TemplateValue.OfTable([Fields(("contract_id", T("C-3")), ("ends_on", D(2026, 9, 30)))])),
                    ("upcoming", TemplateValue.OfTable([Fields(("kind", T(nameof(NotificationKind.ContractRenewal))), ("due_on", D(2026, 6, 2)))])))),
            new(NotificationKind.CrossSellPrompt, RecipientRole.Kam, false,
                "After a contract or a successful delivery has settled: offer the client's other branches, divisions and related products (seed 001).",
                Common(("after", TemplateValue.OfTable([Fields(("kind", T("contract")), ("subject", T("C-3")), ("delivery_description", T("")), ("on", D(2026, 3, 2))),
                    Fields(("kind", T("delivery")), ("subject", T("D-5")), ("delivery_description", T("Fleet maintenance, phase 1")), ("on", D(2026, 3, 6)))])))),

            new(NotificationKind.ComplaintReceived, RecipientRole.Kam, true,
                "Task, the same business day: the client complained; contact them and resolve it by the resolution date.", Complaint()),
            new(NotificationKind.ComplaintResolutionReminder, RecipientRole.Kam, true,
                "The complaint is still open as its resolution date nears (default 2 business days before, and on the day).",
                Complaint(("business_days_left", TemplateValue.OfNumber(2)))),
            new(NotificationKind.ComplaintOverdue, RecipientRole.Head, true,
                "For the head: a complaint is not resolved by its resolution date.",
                Complaint(("kam_name", T("Anna Virtanen")), ("overdue_business_days", TemplateValue.OfNumber(1)))),
            new(NotificationKind.ComplaintFollowUp, RecipientRole.Kam, true,
                "Task after the resolution: follow up with the client (satisfied? any loss to make good?).",
                Complaint(("resolved_on", D(2026, 3, 31)), ("resolution", T("Firmware updated on site")))),

            new(NotificationKind.TaskOverdueEscalation, RecipientRole.Head, true,
                "A task is overdue by the escalation period: the head is told.",
                Common(("task_kind", T(nameof(NotificationKind.ProposalCallToConfirmReceipt))), ("task_summary", T("Call to confirm receipt of proposal P-1001")),
                    ("due_at", TemplateValue.OfInstant(SampleTime)), ("kam_name", T("Anna Virtanen")), ("overdue_days", TemplateValue.OfNumber(3)))),

            new(NotificationKind.DailyAgenda, RecipientRole.Kam, false,
                "08:00 local on business days: today's tasks, overdue, next 7 days, proposals expiring, birthdays this week.",
                Common(("date", D(2026, 3, 27)),
                    ("today", TemplateValue.OfTable([Row("Call to confirm receipt of P-1001", SampleTime, NotificationKind.ProposalCallToConfirmReceipt, "P-1001")])),
                    ("overdue", TemplateValue.OfTable([Row("Bid/no-bid decision for T-77", SampleTime.AddDays(-2), NotificationKind.TenderMilestoneDue, "T-77")])),
                    ("next_days", TemplateValue.OfTable([Row("Contract C-3 renewal (120 days)", SampleTime.AddDays(3), NotificationKind.ContractRenewal, "")])),
                    ("expiring_proposals", TemplateValue.OfTable([Row("P-1001 valid until 2026-04-30", SampleTime.AddDays(5), NotificationKind.ProposalExpiryReminder, "P-1001")])),
                    ("birthdays", TemplateValue.OfTable([Row("Mikko Laine", SampleTime.AddDays(4), NotificationKind.ContactBirthday, "")])),
                    CaughtUpCount, CaughtUpAccounts)),
            new(NotificationKind.WeeklyReport, RecipientRole.Head, false,
                "Weekly for the head, per KAM: overdue tasks, stalled deals, proposals without follow-up, pipeline by stage, concentration warnings, dormant key accounts.",
                Common(("week", T("2026-W13")),
                    ("kams", TemplateValue.OfTable([new Dictionary<string, TemplateValue>
                    {
                        ["kam_name"] = T("Anna Virtanen"),
                        ["overdue_tasks"] = TemplateValue.OfNumber(2),
                        ["stalled_deals"] = TemplateValue.OfNumber(1),
                        ["proposals_without_follow_up"] = TemplateValue.OfNumber(1),
                        ["pipeline"] = TemplateValue.OfMoney(1_250_000m, "EUR"),
                    }])),
                    ("pipeline_by_stage", TemplateValue.OfTable([new Dictionary<string, TemplateValue> { ["stage"] = T("evaluation_of_options"), ["count"] = TemplateValue.OfNumber(3), ["amount"] = TemplateValue.OfMoney(900_000m, "EUR") }])),
                    ("warnings", TemplateValue.OfList(["Acme Oy brings 31 % of revenue (threshold 25 %)"])),
                    CaughtUpCount, CaughtUpAccounts,
                    ("dormant_after_days", TemplateValue.OfNumber(60)), // Unknown when not checked: the section is left out.
                    ("dormant_accounts", TemplateValue.OfTable([Fields(("account_name", T("Globex Oy")), ("kam_name", T("Anna Virtanen")), ("last_contact_on", D(2026, 1, 20)),
                        ("since_on", D(2026, 1, 20)), ("days_since", TemplateValue.OfNumber(66)), ("link", T("http://localhost:5080/api/accounts/GLOBEX/timeline")))])))),

            new(NotificationKind.MeetingPreparationReminder, RecipientRole.Kam, false,
                "Before every meeting with the client (seed 003): attendees with their DMU roles and attitudes, the last meetings, open complaints and proposals.",
                Meeting(("meeting_location", T("Acme HQ, Espoo")),
                    ("attendees", TemplateValue.OfTable([Fields(("name", T("Mikko Laine")), ("role", T("executive")), ("attitude", T("supporter")))])),
                    ("dmu", TemplateValue.OfTable([Fields(("name", T("Mikko Laine")), ("role", T("executive")), ("attitude", T("supporter"))),
                        Fields(("name", T("Sari Koski")), ("role", T("finance")), ("attitude", T("neutral")))])),
                    ("recent_meetings", TemplateValue.OfTable([Fields(("held_on", D(2026, 2, 10)), ("summary", T("Pilot scope agreed")), ("next_step", T("Pilot review with IT")))])),
                    ("open_complaints", TemplateValue.OfTable([Fields(("complaint_id", T("CP-1")), ("opened_on", D(2026, 3, 20)))])),
                    ("open_proposals", TemplateValue.OfTable([Fields(("proposal_id", T("P-1001")), ("version", TemplateValue.OfNumber(2)), ("valid_until", D(2026, 4, 30)))]))), HasInvite: true),
            new(NotificationKind.MeetingOutcomeNotRecorded, RecipientRole.Kam, true,
                "Task after the meeting: no outcome recorded by the next business morning; asked once more some business days later.",
                Meeting(("reminder_number", TemplateValue.OfNumber(1)))),
            new(NotificationKind.MeetingCancelledNotice, RecipientRole.Kam, true, // Essential: the withdrawal must reach the calendar that holds the invite, whatever the preferences.
                "A meeting whose preparation (with its invite) was sent is cancelled: the KAM told at once, the invite withdrawn, with the CRM's reason if any.",
                Meeting(("cancellation_reason", T("The client's board meeting moved"))), HasInvite: true),
            new(NotificationKind.MeetingMovedNotice, RecipientRole.Kam, true, // Essential: the update must reach the calendar that holds the old time, whatever the preferences.
                "A meeting whose preparation (with its invite) was sent is moved: the KAM told at once from and to, the invite updated.",
                Meeting(("previous_meeting_at", TemplateValue.OfInstant(SampleTime.AddDays(-2))), ("meeting_location", T("Acme HQ, Espoo"))), HasInvite: true),
        };

        var all = specs.ToDictionary(s => s.Kind);
        var missing = Enum.GetValues<NotificationKind>().Where(k => !all.ContainsKey(k)).ToList();
        return missing.Count == 0 ? all : throw new InvalidOperationException("NotificationCatalog lacks: " + string.Join(", ", missing));
    }

    /// <summary>Both digests: items missed while KamFlows caught up with late history, per account with a link (0 and empty when none).</summary>
    private static (string, TemplateValue) CaughtUpCount => ("caught_up_count", TemplateValue.OfNumber(3));

    private static (string, TemplateValue) CaughtUpAccounts => ("caught_up_accounts", TemplateValue.OfTable([
        Fields(("account_name", T("Acme Oy")), ("count", TemplateValue.OfNumber(3)), ("link", T("http://localhost:5080/api/accounts/ACME/timeline")))]));

    private static Dictionary<string, TemplateValue> Complaint(params (string Key, TemplateValue Value)[] more) =>
        Common([("complaint_id", T("CP-1")), ("complaint_summary", T("Two units report wrong mileage")), ("opened_on", D(2026, 3, 27)), ("resolve_by", D(2026, 4, 3)), .. more]);

    private static Dictionary<string, TemplateValue> Delivery(params (string Key, TemplateValue Value)[] more) =>
        Common([("delivery_id", T("D-5")), ("delivery_description", T("Fleet maintenance, phase 1")), ("due_on", D(2026, 5, 20)),
            ("team_lead_name", T("Jukka Mäkinen")), ("team_lead_email", T("jukka.makinen@supplier.example")), .. more]);
    private static Dictionary<string, TemplateValue> Meeting(params (string Key, TemplateValue Value)[] more) =>
        Common([("meeting_id", T("M-12")), ("meeting_at", TemplateValue.OfInstant(SampleTime)), ("meeting_subject", T("Pilot results")), .. more]);

    private static Dictionary<string, TemplateValue> Fields(params (string Key, TemplateValue Value)[] fields) =>
        fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    private static Dictionary<string, TemplateValue> Milestone(string code, string title, TemplateValue dueOn) =>
        Fields(("milestone", T(code)), ("title", T(title)), ("due_on", dueOn));

    private static Dictionary<string, TemplateValue> Row(string title, DateTimeOffset at, NotificationKind kind, string subject) =>
        Fields(("title", T(title)), ("at", TemplateValue.OfInstant(at)), ("kind", T(kind.ToString())), ("account", T("ACME")), ("subject", T(subject)));
}
