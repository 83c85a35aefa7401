using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Tests;

/// <summary>DOMAIN.md "DMU", "After the contract", "Key accounts": the eternal account-care workflow.</summary>
public sealed class AccountCareTests
{
    private const string Key = "account:ACME";

    /// <summary>Fewer wake-ups where birthdays, reviews or dormancy are not what a test is about.</summary>
    private static void Quiet(Common.WorkflowsOptions o)
    {
        o.AccountCare.BirthdaySweepEveryDays = 60;
        o.AccountCare.BirthdayLookaheadDays = 61;
        o.AccountCare.QuarterlyReviews = false;
        o.AccountCare.DormantAfterDays = 400;
        o.AccountCare.InformationBondNudgeEveryDays = 0;
    }

    [Fact]
    public async Task AccountCare_DmuBirthday_RemindsTheKamTheBusinessDayBefore_AndNoBirthdayEntersHistory()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-30T10:00:00+03:00"), accounts: r =>
        {
            Acme(r);
            r.AddContact(Mikko, birthday: new DateOnly(1975, 4, 12)); // Sunday 12 April 2026.
        });
        await host.SendAsync(Ev.AccountUpserted("2026-03-30T10:00:00+03:00"));

        var reminder = host.Outbox.One(NotificationKind.ContactBirthday);
        Assert.Equal("account:ACME|ContactBirthday|C-1|2026", reminder.NotificationId);
        Assert.Equal("2026-04-10T09:00:00+03:00", RecordingOutbox.Local(reminder));
        Assert.Equal("Mikko Laine", reminder.Fields["contact_name"].Text);
        Assert.Equal("executive", reminder.Fields["contact_role"].Text);
        Assert.Equal("2026-04-12", reminder.Fields["birthday_on"].Date);
        Assert.Contains(host.Upcoming.PlanOf(Key + "|birthdays"), a => a.Kind == "ContactBirthday" && a.DueAt == At("2026-04-10T09:00:00+03:00"));

        await host.AdvanceToAsync(At("2026-04-20T00:00:00+03:00")); // Another sweep on 6 April finds the same birthday.
        Assert.Single(host.Outbox.Of(NotificationKind.ContactBirthday));

        var history = host.Hub.GetHistory(Key);
        var recorded = string.Join("\n", history.Select(Newtonsoft.Json.JsonConvert.SerializeObject));
        Assert.DoesNotContain("1975", recorded, StringComparison.Ordinal);
        Assert.DoesNotContain("\"2026-04-12\"", recorded, StringComparison.Ordinal);
        Assert.DoesNotContain("birthday_on", recorded, StringComparison.Ordinal);
        Assert.DoesNotContain("sailing", recorded, StringComparison.Ordinal);
        Assert.Contains(history, e => e is DurableTask.Core.History.TaskScheduledEvent { Name: "SweepBirthdays" });
    }

    [Fact]
    public async Task AccountCare_ContactErased_WithdrawsTheirPendingBirthdayReminder()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-30T10:00:00+03:00"), accounts: r =>
        {
            Acme(r);
            r.AddContact(Mikko, birthday: new DateOnly(1975, 4, 12));
        });
        await host.SendAsync(Ev.AccountUpserted("2026-03-30T10:00:00+03:00"));
        Assert.Single(host.Outbox.Of(NotificationKind.ContactBirthday));

        host.Accounts.Erase(AccountId, "C-1"); // Intake erases the personal data, then routes the event.
        await host.AdvanceToAsync(At("2026-03-31T10:00:00+03:00"));
        await host.SendAsync(Ev.ContactErased("C-1", "2026-03-31T10:00:00+03:00"), Key);
        await host.AdvanceToAsync(At("2026-03-31T10:10:00+03:00")); // The sweep follows contact changes after a short pause.

        Assert.Contains("account:ACME|ContactBirthday|C-1|2026", host.Outbox.Cancelled);
        Assert.Empty(host.Upcoming.PlanOf(Key + "|birthdays"));
    }

    [Fact]
    public async Task AccountCare_ContractSigned_RemindsRenewal120_60And30DaysBeforeItEnds()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-02-02T10:00:00+02:00"), Quiet, r => Acme(r));
        await host.SendAsync(Ev.AccountUpserted("2026-02-02T10:00:00+02:00"));
        await host.SendAsync(Ev.ContractSigned("C-3", "2026-02-02T11:00:00+02:00", "2026-02-01", "2026-09-30", 480_000m), Key);
        await host.AdvanceToAsync(At("2026-10-01T00:00:00+03:00"));

        var renewals = host.Outbox.Of(NotificationKind.ContractRenewal);
        Assert.Equal(
            ["120 2026-06-02T09:00:00+03:00", "60 2026-07-31T09:00:00+03:00", "30 2026-08-31T09:00:00+03:00"], // 1 August is a Saturday.
            renewals.Select(r => $"{r.Fields["days_left"].Number} {RecordingOutbox.Local(r)}"));
        Assert.All(renewals, r => Assert.Equal(480_000m, r.Fields["contract_value"].Number));
        Assert.All(renewals, r => Assert.Equal("2026-09-30", r.Fields["ends_on"].Date));
        Assert.All(renewals, r => Assert.True(r.Essential));
    }

    [Fact]
    public async Task AccountCare_QuarterStart_SendsTheReviewWithTheAccountsNumbers_AndConcentrationAndValueBondFlags()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-02-10T10:00:00+02:00"), o =>
        {
            Quiet(o);
            o.AccountCare.QuarterlyReviews = true;
            o.AccountCare.InformationBondNudgeEveryDays = 30;
        }, r =>
        {
            Acme(r, bonds: ["value"]);
            r.Margins[AccountId] = 4.5m;
            r.Revenue.Add(new ReportedRevenue("B-2", new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31), 500_000m, "EUR", true));
            r.Revenue.Add(new ReportedRevenue("C-3", new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31), 190_000m, "EUR", false));
        });
        await host.SendAsync(Ev.AccountUpserted("2026-02-10T10:00:00+02:00"));
        await host.SendAsync(Ev.OpportunityUpserted("O-1", "2026-02-11T10:00:00+02:00", "needs_recognition"), Key);
        await host.SendAsync(Ev.ComplaintOpened("K-1", "2026-02-12T10:00:00+02:00"), Key);
        await host.SendAsync(Ev.RevenueReported("2026-04-01T06:00:00+03:00", "2026-01-01", "2026-03-31", 310_000m), Key);
        var firstExecution = host.Hub.GetHistory(Key).OfType<DurableTask.Core.History.ExecutionStartedEvent>().Single().OrchestrationInstance.ExecutionId;
        await host.AdvanceToAsync(At("2026-04-01T12:00:00+03:00"));

        var review = host.Outbox.One(NotificationKind.QuarterlyBusinessReview);
        Assert.Equal("account:ACME|QuarterlyBusinessReview|2026-Q1", review.NotificationId);
        Assert.Equal("2026-04-01T09:00:00+03:00", RecordingOutbox.Local(review));
        Assert.Equal("2026-Q1", review.Fields["quarter"].Text);
        Assert.Equal(310_000m, review.Fields["revenue"].Number);
        Assert.Equal(31.0m, review.Fields["revenue_share_percent"].Number);
        Assert.Equal(1m, review.Fields["open_opportunities"].Number);
        Assert.Equal(1m, review.Fields["open_complaints"].Number);
        Assert.NotNull(review.Invite);

        var warnings = host.Outbox.Of(NotificationKind.ConcentrationWarning);
        Assert.Equal(
            ["account:ACME|ConcentrationWarning|single_account|2026-Q1 31.0/25", "portfolio|ConcentrationWarning|top_two|2026-Q1 81.0/50",
             "portfolio|ConcentrationWarning|key_accounts|2026-Q1 81.0/75"],
            warnings.Select(w => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{w.NotificationId} {w.Fields["share_percent"].Number:0.0}/{w.Fields["threshold_percent"].Number:0}")));
        Assert.All(warnings, w => Assert.Equal(HeadEmail, w.Recipient.Email));
        Assert.All(warnings, w => Assert.Equal("2026-04-01T09:00:00+03:00", RecordingOutbox.Local(w)));

        var risk = host.Outbox.One(NotificationKind.ValueBondRisk);
        Assert.Equal(4.5m, risk.Fields["margin_percent"].Number);
        Assert.Equal(["value"], risk.Fields["bonds"].Items);

        var nudges = host.Outbox.Of(NotificationKind.InformationBondNudge);
        Assert.Equal("2026-03-12T09:00:00+02:00", RecordingOutbox.Local(nudges[0]));
        Assert.Null(nudges[0].Fields["last_analysis_on"].Date); // No analysis is on record: no date is claimed.

        // A quarter is a fresh execution: short history, same state, nothing sent twice.
        Assert.NotEqual(firstExecution, host.Hub.GetHistory(Key).OfType<DurableTask.Core.History.ExecutionStartedEvent>().Single().OrchestrationInstance.ExecutionId);
        await host.AdvanceToAsync(At("2026-04-15T00:00:00+03:00"));
        Assert.Single(host.Outbox.Of(NotificationKind.QuarterlyBusinessReview));
        Assert.Equal(4, (await host.StatusAsync(Key))!.EventsReceived);
    }

    [Fact]
    public async Task AccountCare_QuarterRevenueNotReported_ReviewWaitsUntilTheDeadline_SaysUnknown_AndNamesWhoHasNotReported()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-02-10T10:00:00+02:00"), o =>
        {
            Quiet(o);
            o.AccountCare.QuarterlyReviews = true;
            o.AccountCare.RevenueReportWaitDays = 20;
        }, r =>
        {
            Acme(r);
            r.Profiles["B-2"] = Profile() with { AccountId = "B-2", Name = "Beta Oy" };
            // Beta reported last year but not this quarter; Gamma reported this quarter.
            r.Revenue.Add(new ReportedRevenue("B-2", new DateOnly(2025, 10, 1), new DateOnly(2025, 12, 31), 400_000m, "EUR", true));
            r.Revenue.Add(new ReportedRevenue("C-3", new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31), 190_000m, "EUR", false));
        });
        await host.SendAsync(Ev.AccountUpserted("2026-02-10T10:00:00+02:00"));

        await host.AdvanceToAsync(At("2026-04-15T12:00:00+03:00"));
        Assert.Empty(host.Outbox.Of(NotificationKind.QuarterlyBusinessReview)); // Not on the first day of the quarter: nothing is booked yet.

        await host.AdvanceToAsync(At("2026-04-25T12:00:00+03:00"));
        var review = host.Outbox.One(NotificationKind.QuarterlyBusinessReview);
        Assert.Equal("2026-04-21T09:00:00+03:00", RecordingOutbox.Local(review)); // 20 days after the quarter, the next business morning.
        Assert.Equal(TemplateValueKind.Money, review.Fields["revenue"].Kind);
        Assert.Null(review.Fields["revenue"].Number); // Unknown, not "0,00 €".
        Assert.Null(review.Fields["revenue_share_percent"].Number);
        Assert.Empty(host.Outbox.Of(NotificationKind.ConcentrationWarning)); // Gamma alone is no portfolio to warn about.
    }

    [Fact]
    public async Task AccountCare_RevenueReportedTenDaysAfterTheQuarter_ReviewAndConcentrationTheNextBusinessMorning()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-02-10T10:00:00+02:00"), o =>
        {
            Quiet(o);
            o.AccountCare.QuarterlyReviews = true;
        }, r =>
        {
            Acme(r);
            r.Revenue.Add(new ReportedRevenue("B-2", new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31), 500_000m, "EUR", true));
        });
        await host.SendAsync(Ev.AccountUpserted("2026-02-10T10:00:00+02:00"));
        await host.SendAsync(Ev.RevenueReported("2026-04-10T15:30:00+03:00", "2026-01-01", "2026-03-31", 500_000m), Key);
        await host.AdvanceToAsync(At("2026-04-20T00:00:00+03:00"));

        var review = host.Outbox.One(NotificationKind.QuarterlyBusinessReview);
        Assert.Equal("2026-04-13T09:00:00+03:00", RecordingOutbox.Local(review)); // Reported Friday afternoon: Monday morning.
        Assert.Equal(500_000m, review.Fields["revenue"].Number);
        Assert.Equal(50.0m, review.Fields["revenue_share_percent"].Number);
        var warnings = host.Outbox.Of(NotificationKind.ConcentrationWarning);
        // 50 % each: single ≥ 25 %, top two ≥ 50 %; key accounts at 100 % exceed 75 %.
        Assert.Equal(["single_account", "top_two", "key_accounts"], warnings.Select(w => w.Fields["warning"].Text));
        Assert.All(warnings, w => Assert.Empty(w.Fields["not_reported"].Items!));
    }

    [Fact]
    public async Task AccountCare_RevenueInAnotherCurrency_ConvertedWithTheConfiguredRate_OrTheWarningNamesTheMissingRate()
    {
        async Task<RecordingOutbox> RunAsync(CurrencyRates? rates)
        {
            var host = await WorkflowHost.StartAsync(At("2026-02-10T10:00:00+02:00"), o =>
            {
                Quiet(o);
                o.AccountCare.QuarterlyReviews = true;
            }, r =>
            {
                Acme(r);
                r.Rates = rates;
                r.Revenue.Add(new ReportedRevenue("S-1", new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31), 10_000_000m, "SEK", true));
            });
            await using (host)
            {
                await host.SendAsync(Ev.AccountUpserted("2026-02-10T10:00:00+02:00"));
                await host.SendAsync(Ev.RevenueReported("2026-04-02T08:00:00+03:00", "2026-01-01", "2026-03-31", 300_000m), Key);
                await host.AdvanceToAsync(At("2026-04-10T00:00:00+03:00"));
                return host.Outbox;
            }
        }

        var withoutRate = await RunAsync(null);
        var review = withoutRate.One(NotificationKind.QuarterlyBusinessReview);
        Assert.Equal(300_000m, review.Fields["revenue"].Number);
        Assert.Null(review.Fields["revenue_share_percent"].Number); // Not 100 %: the SEK account is not dropped.
        var incomplete = withoutRate.One(NotificationKind.ConcentrationWarning);
        Assert.Equal("incomplete", incomplete.Fields["warning"].Text);
        Assert.Equal(["SEK→EUR"], incomplete.Fields["missing_rates"].Items);

        var withRate = await RunAsync(new CurrencyRates("EUR", new Dictionary<string, decimal> { ["SEK"] = 0.09m }));
        Assert.Equal(25.0m, withRate.One(NotificationKind.QuarterlyBusinessReview).Fields["revenue_share_percent"].Number); // 300k of 300k + 900k.
        Assert.DoesNotContain(withRate.Of(NotificationKind.ConcentrationWarning), w => w.Fields["warning"].Text == "incomplete");
    }

    [Fact]
    public async Task AccountCare_NoMeetingOrEventFor60Days_FlagsTheDormantRelationship_UntilContactResumes()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-02-10T10:00:00+02:00"), o =>
        {
            Quiet(o);
            o.AccountCare.DormantAfterDays = 60;
        }, r => Acme(r));
        await host.SendAsync(Ev.AccountUpserted("2026-02-10T10:00:00+02:00"));
        await host.SendAsync(Ev.MeetingLogged("2026-02-10T12:00:00+02:00", "2026-02-10T11:00:00+02:00"), Key);
        await host.AdvanceToAsync(At("2026-04-14T10:00:00+03:00"));

        var dormant = host.Outbox.One(NotificationKind.RelationshipDormant);
        Assert.Equal("2026-04-13T09:00:00+03:00", RecordingOutbox.Local(dormant)); // 11 April is a Saturday.
        Assert.Equal(62m, dormant.Fields["days_since_last_contact"].Number);
        Assert.Equal("2026-02-10", dormant.Fields["last_contact_on"].Date);

        await host.SendAsync(Ev.MeetingLogged("2026-04-14T10:00:00+03:00", "2026-04-14T09:30:00+03:00"), Key);
        await host.AdvanceToAsync(At("2026-06-12T00:00:00+03:00"));
        Assert.Single(host.Outbox.Of(NotificationKind.RelationshipDormant));
        Assert.Contains(host.Upcoming.PlanOf(Key), a => a.Kind == "RelationshipDormant" && a.DueAt == At("2026-06-15T09:00:00+03:00"));
    }
}
