using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Tests;

/// <summary>
/// The seed rules of issue 14 item 7 in the account-care workflow (seed 001): a new KAM studies the account first, new
/// clients get a closer cadence, and after a contract or a successful delivery the KAM offers the client's other branches.
/// </summary>
public sealed class AccountCareSeedRulesTests
{
    private const string Key = "account:ACME";
    private const string OlliEmail = "olli.saari@supplier.example";

    /// <summary>Only the rule under test speaks: no birthdays, reviews, dormancy or nudges.</summary>
    private static void Quiet(Common.WorkflowsOptions o)
    {
        o.AccountCare.BirthdaySweepEveryDays = 60;
        o.AccountCare.BirthdayLookaheadDays = 61;
        o.AccountCare.QuarterlyReviews = false;
        o.AccountCare.DormantAfterDays = 400;
        o.AccountCare.NewAccountDormantAfterDays = 400;
        o.AccountCare.InformationBondNudgeEveryDays = 0;
    }

    private static TeamMemberProfile Olli => Kam with { Email = OlliEmail, Name = "Olli Saari" };

    /// <summary>Acme's upsert with the CRM's <c>client_since</c>.</summary>
    private static string UpsertedClientSince(string time, string clientSince)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(Ev.AccountUpserted(time))!;
        json["data"]!["client_since"] = clientSince;
        return json.ToJsonString();
    }

    /// <summary>A table field as lines of its columns' values, e.g. "2026-03-02|kam.meeting.logged|".</summary>
    private static List<string> Lines(TemplateValue table, params string[] columns) =>
        [.. table.Rows!.Select(r => string.Join('|', columns.Select(c => r[c].Text ?? r[c].Date ?? string.Empty)))];

    [Fact]
    public async Task AccountCare_KamChanges_NewKamGetsOneBriefingTheNextBusinessMorning_WithHistoryDmuAndOpenItems()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-02T10:00:00+02:00"), Quiet, r =>
        {
            Acme(r);
            r.AddContact(Sari with { ContactId = "C-0", Name = "Leena Aho", Role = "technical", Influence = "low", Attitude = "sceptic" });
            // The timeline as intake keeps it: received events and what KamFlows sent; one entry after the handover is no history yet.
            r.History.AddRange(
            [
                new AccountHistoryEntry(At("2026-02-20T11:00:00+02:00"), "kam.meeting.logged", ""),
                new AccountHistoryEntry(At("2026-02-24T12:00:00+02:00"), "kam.contact.upserted", ""),
                new AccountHistoryEntry(At("2026-02-25T15:00:00+02:00"), "kam.proposal.sent", "P-1"),
                new AccountHistoryEntry(At("2026-02-26T09:00:00+02:00"), nameof(NotificationKind.ProposalCallToConfirmReceipt), "P-1"),
                new AccountHistoryEntry(At("2026-03-09T10:00:00+02:00"), "kam.meeting.logged", ""),
            ]);
        });
        await host.SendAsync(Ev.AccountUpserted("2026-03-02T10:00:00+02:00")); // The first KAM: no handover.
        await host.SendAsync(Ev.ContractSigned("C-3", "2026-03-03T10:00:00+02:00", "2026-03-01", "2026-09-30", 480_000m), Key);
        await host.SendAsync(Ev.OpportunityUpserted("O-1", "2026-03-03T11:00:00+02:00", "evaluation_of_options"), Key);
        await host.SendAsync(Ev.ComplaintOpened("K-1", "2026-03-04T10:00:00+02:00"), Key);
        await host.SendAsync(Ev.AccountUpserted("2026-03-05T10:00:00+02:00")); // The same KAM again: no handover.
        await host.AdvanceToAsync(At("2026-03-05T16:00:00+02:00"));
        Assert.Empty(host.Outbox.Of(NotificationKind.AccountHandoverBriefing));

        host.Accounts.Profiles[AccountId] = Profile() with { Kam = Olli }; // Intake stores the new profile, then routes the event.
        await host.SendAsync(Ev.AccountUpsertedWithKam("2026-03-05T16:30:00+02:00", OlliEmail, "Olli Saari"));
        await host.AdvanceToAsync(At("2026-04-10T00:00:00+03:00"));

        var briefing = host.Outbox.One(NotificationKind.AccountHandoverBriefing);
        Assert.Equal("account:ACME|AccountHandoverBriefing|1", briefing.NotificationId);
        Assert.Equal(OlliEmail, briefing.Recipient.Email);
        Assert.Equal("2026-03-06T09:00:00+02:00", RecordingOutbox.Local(briefing)); // Friday, the next business morning.
        Assert.Equal("Anna Virtanen", briefing.Fields["previous_kam_name"].Text);
        Assert.Equal("2026-03-05", briefing.Fields["handover_on"].Date);
        Assert.Equal( // Newest first; no contact changes (the DMU section has the people), nothing after the handover.
            ["2026-02-26|ProposalCallToConfirmReceipt|P-1", "2026-02-25|kam.proposal.sent|P-1", "2026-02-20|kam.meeting.logged|"],
            Lines(briefing.Fields["history"], "on", "event", "subject"));
        Assert.Equal( // Most influential first.
            ["Mikko Laine|executive|supporter|high", "Sari Koski|finance|neutral|medium", "Leena Aho|technical|sceptic|low"],
            Lines(briefing.Fields["dmu"], "name", "role", "attitude", "influence"));
        Assert.Equal(["O-1"], briefing.Fields["open_opportunities"].Items);
        Assert.Equal(["K-1"], briefing.Fields["open_complaints"].Items);
        Assert.Equal(["C-3|2026-09-30"], Lines(briefing.Fields["contracts"], "contract_id", "ends_on"));
        // The account's plan after the send time, within 90 days: the first renewal reminder (the cross-sell waits for the complaint).
        Assert.Equal(["ContractRenewal|2026-06-02"], Lines(briefing.Fields["upcoming"], "kind", "due_on"));

        // No contact's name enters workflow history: the activity read the DMU.
        var recorded = string.Join("\n", host.Hub.GetHistory(Key).Select(Newtonsoft.Json.JsonConvert.SerializeObject));
        Assert.DoesNotContain("Mikko", recorded, StringComparison.Ordinal);
        Assert.DoesNotContain("Leena", recorded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulator_Handover_BriefingListsTheScenariosOwnEventsAndDmu()
    {
        string[] events =
        [
            Ev.AccountUpserted("2026-03-02T10:00:00+02:00"),
            Ev.ContactUpserted("C-1", "2026-03-02T10:05:00+02:00", "Mikko Laine", "executive"),
            Ev.ProposalSent("P-1", "2026-03-03T15:00:00+02:00", 125_000m, "2026-04-30"),
            Ev.MeetingLogged("2026-03-05T12:00:00+02:00", "2026-03-05T11:00:00+02:00"),
            Ev.AccountUpsertedWithKam("2026-03-06T15:00:00+02:00", OlliEmail, "Olli Saari"),
        ];
        var scenario = Simulation.Scenario.Parse($$"""{"name":"handover","until":"2026-03-20T00:00:00+02:00","events":[{{string.Join(",", events)}}]}""");

        var result = await new Simulation.ScenarioSimulator().RunAsync(scenario);

        var briefing = Assert.Single(result.Notifications, n => n.Kind == NotificationKind.AccountHandoverBriefing);
        Assert.Equal(OlliEmail, briefing.Recipient.Email);
        Assert.Equal("2026-03-09T09:00:00+02:00", RecordingOutbox.Local(briefing)); // Friday afternoon's handover: Monday morning.
        Assert.Equal(["2026-03-05|kam.meeting.logged|", "2026-03-03|kam.proposal.sent|P-1"], Lines(briefing.Fields["history"], "on", "event", "subject"));
        Assert.Equal(["Mikko Laine|executive|supporter|high"], Lines(briefing.Fields["dmu"], "name", "role", "attitude", "influence"));
    }

    [Fact]
    public async Task AccountCare_AccountWithNoHistoryOrDmu_BriefingSaysSoInsteadOfInventingIt()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-02T10:00:00+02:00"), Quiet, r => r.Profiles[AccountId] = Profile());
        await host.SendAsync(Ev.AccountUpserted("2026-03-02T10:00:00+02:00"));
        host.Accounts.Profiles[AccountId] = Profile() with { Kam = Olli };
        await host.SendAsync(Ev.AccountUpsertedWithKam("2026-03-06T18:00:00+02:00", OlliEmail, "Olli Saari")); // Friday evening.
        await host.AdvanceToAsync(At("2026-03-20T00:00:00+02:00"));

        var briefing = host.Outbox.One(NotificationKind.AccountHandoverBriefing);
        Assert.Equal("2026-03-09T09:00:00+02:00", RecordingOutbox.Local(briefing)); // Monday morning.
        Assert.Empty(briefing.Fields["history"].Rows!);
        Assert.Empty(briefing.Fields["dmu"].Rows!);
        Assert.Empty(briefing.Fields["open_opportunities"].Items!);
        Assert.Empty(briefing.Fields["contracts"].Rows!);
    }

    [Fact]
    public async Task AccountCare_NewAccount_DormantAfter14Days_EstablishedOneOnlyAfterDormantAfterDays()
    {
        async Task<List<string>> DormantAlertsAsync(bool established)
        {
            await using var host = await WorkflowHost.StartAsync(At("2026-02-02T10:00:00+02:00"), o =>
            {
                Quiet(o);
                o.AccountCare.DormantAfterDays = 60;
                o.AccountCare.NewAccountDormantAfterDays = 14;
            }, r => Acme(r));
            await host.SendAsync(Ev.AccountUpserted("2026-02-02T10:00:00+02:00"));
            // Both sign a contract on 2 February; the established client's first contract started two years ago.
            await host.SendAsync(Ev.ContractSigned("C-1", "2026-02-02T11:00:00+02:00", established ? "2024-01-01" : "2026-02-01", "2027-12-31"), Key);
            await host.AdvanceToAsync(At("2026-04-08T00:00:00+03:00"));
            return [.. host.Outbox.Of(NotificationKind.RelationshipDormant).Select(d => $"{RecordingOutbox.Local(d)} {d.Fields["days_since_last_contact"].Number}")];
        }

        Assert.Equal(
            ["2026-02-16T09:00:00+02:00 14", "2026-03-02T09:00:00+02:00 28", "2026-03-16T09:00:00+02:00 42", "2026-03-30T09:00:00+03:00 56"],
            await DormantAlertsAsync(established: false));
        // 60 days after 2 February is Good Friday 3 April; Easter Monday too is a holiday in Finland.
        Assert.Equal(["2026-04-07T09:00:00+03:00 64"], await DormantAlertsAsync(established: true));
    }

    [Fact]
    public async Task AccountCare_ClientSinceFromTheCrm_OutranksTheFirstContract_AndAnAccountWithNeitherIsNotNew()
    {
        async Task<int> AlertsBy8AprilAsync(string? clientSince, bool contract, bool revenueBefore = false)
        {
            await using var host = await WorkflowHost.StartAsync(At("2026-02-02T10:00:00+02:00"), o =>
            {
                Quiet(o);
                o.AccountCare.DormantAfterDays = 60;
                o.AccountCare.NewAccountDormantAfterDays = 14;
            }, r => Acme(r));
            await host.SendAsync(clientSince is null ? Ev.AccountUpserted("2026-02-02T10:00:00+02:00") : UpsertedClientSince("2026-02-02T10:00:00+02:00", clientSince));
            if (revenueBefore)
            {
                await host.SendAsync(Ev.RevenueReported("2026-02-02T10:30:00+02:00", "2025-10-01", "2025-12-31", 180_000m), Key);
            }

            if (contract)
            {
                await host.SendAsync(Ev.ContractSigned("C-1", "2026-02-02T11:00:00+02:00", "2026-02-01", "2027-12-31"), Key);
            }

            await host.AdvanceToAsync(At("2026-04-08T00:00:00+03:00"));
            return host.Outbox.Of(NotificationKind.RelationshipDormant).Count;
        }

        Assert.Equal(1, await AlertsBy8AprilAsync(clientSince: "2019-05-01", contract: true)); // A renewal of a long-standing client: 60 days.
        Assert.Equal(4, await AlertsBy8AprilAsync(clientSince: "2026-01-15", contract: false)); // New, no contract yet: 14 days.
        Assert.Equal(1, await AlertsBy8AprilAsync(clientSince: null, contract: false)); // Nothing says it is new: KamFlows merely started following it.
        Assert.Equal(4, await AlertsBy8AprilAsync(clientSince: null, contract: true)); // Its first contract: a new client.
        Assert.Equal(1, await AlertsBy8AprilAsync(clientSince: null, contract: true, revenueBefore: true)); // It bought from us before: a renewal, not a new client.
    }

    [Fact]
    public async Task AccountCare_NewAccountMonthsOver_CloserCadenceEnds_AndContactResetsIt()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-02-02T10:00:00+02:00"), o =>
        {
            Quiet(o);
            o.AccountCare.DormantAfterDays = 60;
            o.AccountCare.NewAccountDormantAfterDays = 14;
            o.AccountCare.NewAccountMonths = 2; // A client since 2 February (the CRM says so): new until 2 April.
        }, r => Acme(r));
        await host.SendAsync(UpsertedClientSince("2026-02-02T10:00:00+02:00", "2026-02-02"));
        await host.AdvanceToAsync(At("2026-02-20T10:00:00+02:00"));
        await host.SendAsync(Ev.MeetingLogged("2026-02-20T12:00:00+02:00", "2026-02-20T11:00:00+02:00"), Key);
        await host.AdvanceToAsync(At("2026-06-30T00:00:00+03:00"));

        Assert.Equal(
            [
                "2026-02-16T09:00:00+02:00", // 14 days after the first upsert.
                "2026-03-06T09:00:00+02:00", "2026-03-20T09:00:00+02:00", // 14 and 28 days after the meeting.
                // 3 April (42 days) is past the new months; 60 days after the meeting is Tuesday 21 April.
                "2026-04-21T09:00:00+03:00", "2026-06-22T09:00:00+03:00", // 120 days is Saturday 20 June.
            ],
            host.Outbox.Of(NotificationKind.RelationshipDormant).Select(RecordingOutbox.Local));
    }

    [Fact]
    public async Task AccountCare_ContractSigned_CrossSellPromptAfterTenBusinessDays_OnceForTwoContracts()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-02T10:00:00+02:00"), Quiet, r => Acme(r));
        await host.SendAsync(Ev.AccountUpserted("2026-03-02T10:00:00+02:00"));
        await host.SendAsync(Ev.ContractSigned("C-3", "2026-03-02T14:00:00+02:00", "2026-03-01", "2026-12-31"), Key);
        await host.SendAsync(Ev.ContractSigned("C-4", "2026-03-05T14:00:00+02:00", "2026-04-01", "2026-12-31"), Key);
        await host.SendAsync(Ev.ContractSigned("C-3", "2026-03-06T09:00:00+02:00", "2026-03-01", "2026-12-31"), Key); // The CRM sends C-3 again.
        await host.AdvanceToAsync(At("2026-03-20T00:00:00+02:00"));

        var prompt = host.Outbox.One(NotificationKind.CrossSellPrompt);
        Assert.Equal("account:ACME|CrossSellPrompt|contract-C-3", prompt.NotificationId);
        Assert.Equal(KamEmail, prompt.Recipient.Email);
        Assert.Equal("2026-03-16T09:00:00+02:00", RecordingOutbox.Local(prompt)); // Ten business days after Monday 2 March.
        Assert.Equal(["contract|C-3|2026-03-02", "contract|C-4|2026-03-05"], Lines(prompt.Fields["after"], "kind", "subject", "on"));

        // After the prompt, the next contract starts a new one (Good Friday and Easter Monday are no business days).
        await host.SendAsync(Ev.ContractSigned("C-5", "2026-03-20T10:00:00+02:00", "2026-04-01", "2026-12-31"), Key);
        await host.AdvanceToAsync(At("2026-04-20T00:00:00+03:00"));
        var prompts = host.Outbox.Of(NotificationKind.CrossSellPrompt);
        Assert.Equal(2, prompts.Count);
        Assert.Equal("2026-04-07T09:00:00+03:00", RecordingOutbox.Local(prompts[1]));
        Assert.Equal(["contract|C-5"], Lines(prompts[1].Fields["after"], "kind", "subject"));
    }

    [Fact]
    public async Task AccountCare_SuccessfulDelivery_PromptsCrossSell_ALateOneOrOneBelowExpectationsDoesNot()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-02T10:00:00+02:00"), o =>
        {
            Quiet(o);
            o.AccountCare.CrossSellAfterDeliveryBusinessDays = 5;
        }, r => Acme(r));
        await host.SendAsync(Ev.AccountUpserted("2026-03-02T10:00:00+02:00"));
        await host.SendAsync(Ev.DeliveryCompleted("D-1", "2026-03-02T12:00:00+02:00", onTime: false), Key);
        await host.SendAsync(Ev.DeliveryCompleted("D-2", "2026-03-03T12:00:00+02:00", expectationsMet: false), Key);
        await host.AdvanceToAsync(At("2026-03-16T00:00:00+02:00"));
        Assert.Empty(host.Outbox.Of(NotificationKind.CrossSellPrompt));

        await host.SendAsync(Ev.DeliveryCompleted("D-5", "2026-03-16T12:00:00+02:00"), Key);
        await host.AdvanceToAsync(At("2026-04-01T00:00:00+03:00"));
        var prompt = host.Outbox.One(NotificationKind.CrossSellPrompt);
        Assert.Equal("2026-03-23T09:00:00+02:00", RecordingOutbox.Local(prompt)); // Five business days after Monday 16 March.
        Assert.Equal(["delivery|D-5|Fleet maintenance, phase 1"], Lines(prompt.Fields["after"], "kind", "subject", "delivery_description"));
    }

    [Fact]
    public async Task AccountCare_DeliveryLateAgainstItsScheduledDeadline_EarnsNoCrossSell_EvenWhenTheCrmSaysOnTime()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-02T10:00:00+02:00"), o =>
        {
            Quiet(o);
            o.AccountCare.CrossSellAfterDeliveryBusinessDays = 5;
        }, r => Acme(r));
        await host.SendAsync(Ev.AccountUpserted("2026-03-02T10:00:00+02:00"));
        await host.SendAsync(Ev.DeliveryScheduled("D-1", "2026-03-02T11:00:00+02:00", "2026-03-10"), Key);
        await host.SendAsync(Ev.DeliveryScheduled("D-2", "2026-03-02T11:00:00+02:00", "2026-03-06"), Key);
        await host.SendAsync(Ev.DeliveryScheduled("D-2", "2026-03-09T11:00:00+02:00", "2026-03-20"), Key); // Moved after it had passed: missed.
        await host.SendAsync(Ev.DeliveryScheduled("D-3", "2026-03-02T11:00:00+02:00", "2026-03-20"), Key);
        await host.AdvanceToAsync(At("2026-03-11T12:00:00+02:00"));
        await host.SendAsync(Ev.DeliveryCompleted("D-1", "2026-03-11T12:00:00+02:00"), Key); // A day after its deadline; the CRM says on time.
        await host.SendAsync(Ev.DeliveryCompleted("D-2", "2026-03-11T12:30:00+02:00"), Key); // Before the new date, but a deadline was missed.
        await host.AdvanceToAsync(At("2026-03-25T00:00:00+02:00"));
        Assert.Empty(host.Outbox.Of(NotificationKind.CrossSellPrompt));

        await host.SendAsync(Ev.DeliveryCompleted("D-3", "2026-03-25T10:00:00+02:00"), Key); // After its deadline of 20 March too.
        await host.SendAsync(Ev.DeliveryScheduled("D-4", "2026-03-25T10:00:00+02:00", "2026-03-27"), Key);
        await host.SendAsync(Ev.DeliveryCompleted("D-4", "2026-03-26T10:00:00+02:00"), Key); // On time against its deadline.
        await host.AdvanceToAsync(At("2026-04-10T00:00:00+03:00"));
        var prompt = host.Outbox.One(NotificationKind.CrossSellPrompt);
        Assert.Equal(["delivery|D-4"], Lines(prompt.Fields["after"], "kind", "subject"));
    }

    [Fact]
    public async Task AccountCare_ComplaintOpen_CrossSellPromptWaitsUntilItIsResolved()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-02T10:00:00+02:00"), Quiet, r => Acme(r));
        await host.SendAsync(Ev.AccountUpserted("2026-03-02T10:00:00+02:00"));
        await host.SendAsync(Ev.ContractSigned("C-3", "2026-03-02T14:00:00+02:00", "2026-03-01", "2026-12-31"), Key);
        await host.SendAsync(Ev.ComplaintOpened("K-1", "2026-03-10T10:00:00+02:00"), Key);
        await host.AdvanceToAsync(At("2026-03-25T10:00:00+02:00"));
        Assert.Empty(host.Outbox.Of(NotificationKind.CrossSellPrompt)); // Due on 16 March, but the client is complaining.
        Assert.DoesNotContain(host.Upcoming.PlanOf(Key), a => a.Kind == nameof(NotificationKind.CrossSellPrompt));

        await host.SendAsync(Ev.ComplaintResolved("K-1", "2026-03-25T14:00:00+02:00"), Key);
        await host.AdvanceToAsync(At("2026-04-10T00:00:00+03:00"));
        var prompt = host.Outbox.One(NotificationKind.CrossSellPrompt);
        Assert.Equal("2026-03-26T09:00:00+02:00", RecordingOutbox.Local(prompt)); // The business morning after the resolution.
    }

    [Fact]
    public void AccountCare_SeedRuleOptions_DefaultsFromTheSeed_AndBadValuesNamedByKey()
    {
        var o = new Common.WorkflowsOptions();
        Assert.Equal((6, 14, 10, 10), (o.AccountCare.NewAccountMonths, o.AccountCare.NewAccountDormantAfterDays, o.AccountCare.CrossSellAfterBusinessDays, o.AccountCare.CrossSellAfterDeliveryBusinessDays));
        Assert.Empty(o.Validate());

        o.AccountCare.NewAccountDormantAfterDays = 90;
        o.AccountCare.CrossSellAfterBusinessDays = 0;
        o.AccountCare.NewAccountMonths = -1;
        Assert.Equal(
            [
                "KamFlows:Workflows:AccountCare:NewAccountMonths must be between 0 and 36 (got -1).",
                "KamFlows:Workflows:AccountCare:NewAccountDormantAfterDays must not be longer than DormantAfterDays (60): new accounts get a closer cadence.",
                "KamFlows:Workflows:AccountCare:CrossSellAfterBusinessDays must be between 1 and 120 (got 0).",
            ],
            o.Validate());
    }
}
