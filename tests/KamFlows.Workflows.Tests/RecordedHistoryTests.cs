using KamFlows.DevStorage;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Ports;
using KamFlows.Workflows.Replay;
using Microsoft.DurableTask;

namespace KamFlows.Workflows.Tests;

/// <summary>
/// Histories recorded from representative runs of every workflow (Histories/*.json) replay against the current code: a
/// change that would break running instances (a call added, removed or reordered) fails here before deploy.
/// Set KAMFLOWS_RECORD_HISTORIES=1 to re-record them (after a deliberate, versioned change).
/// </summary>
public sealed class RecordedHistoryTests
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Find(), "tests", "KamFlows.Workflows.Tests", "Histories");

    private static bool Recording => Environment.GetEnvironmentVariable("KAMFLOWS_RECORD_HISTORIES") == "1";

    private static DurableTaskRegistry Current() => WorkflowsRegistration.Register(new DurableTaskRegistry());

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void RecordedHistory_ReplaysCleanlyAgainstTheCurrentCode(string file)
    {
        var history = RecordedHistory.Load(Path.Combine(Folder, file));
        var result = HistoryReplayChecker.Check(Current(), history);
        Assert.True(result.IsDeterministic, $"{file}: {result.Problem}");
    }

    [Fact]
    public void RecordedHistories_CoverEveryWorkflow()
    {
        var recorded = Directory.EnumerateFiles(Folder, "*.json").Select(f => RecordedHistory.Load(f).Orchestrator).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(
            new[] { WorkflowCatalog.AccountCare, WorkflowCatalog.ComplaintHandling, WorkflowCatalog.MeetingPreparation, WorkflowCatalog.ProposalFollowUp, WorkflowCatalog.ReferenceLetter, WorkflowCatalog.SaleCycle, WorkflowCatalog.TenderPreparation },
            recorded.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ReplayChecker_CatchesAWorkflowWhoseStepsChanged()
    {
        var history = RecordedHistory.Load(Path.Combine(Folder, "ProposalFollowUp.json"));
        var changed = new DurableTaskRegistry().AddOrchestrator<ProfileFirst>(WorkflowCatalog.ProposalFollowUp);
        var result = HistoryReplayChecker.Check(changed, history);
        Assert.False(result.IsDeterministic);
        Assert.Contains("ReadWorkflowOptions", result.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SaleCycle-before-issue14.json")]
    [InlineData("ProposalFollowUp-before-issue14.json")]
    [InlineData("AccountCare-before-issue14.json")]
    public void HistoryRecordedBeforeIssue14_ReplaysBecauseItsOptionsCarryNoDecisionRules_AndWouldNotUnderTheNewRules(string file)
    {
        var path = Path.Combine(Folder, file);
        Assert.True(HistoryReplayChecker.Check(Current(), RecordedHistory.Load(path)).IsDeterministic);

        // The same history as if its execution had read issue 14's rules: its recorded decisions no longer match.
        var stamped = Path.Combine(Path.GetTempPath(), $"stamped-{Guid.NewGuid():N}.json");
        File.WriteAllText(stamped, File.ReadAllText(path).Replace("{\\\"Timing\\\":", "{\\\"DecisionRules\\\":2,\\\"Timing\\\":", StringComparison.Ordinal));
        try
        {
            Assert.NotEqual(File.ReadAllText(path), File.ReadAllText(stamped));
            Assert.False(HistoryReplayChecker.Check(Current(), RecordedHistory.Load(stamped)).IsDeterministic);
        }
        finally
        {
            File.Delete(stamped);
        }
    }

    /// <summary>
    /// The client's calendar for a proposal's call, expiry and meeting preparation is a decision-rules-3 change: an execution
    /// recorded under rules 2 for a Bulgarian client (its call task on Tuesday 3 March, Bulgaria's Liberation Day) replays
    /// with the KAM's calendar, and the same history stamped with rules 3 does not (the call would be Wednesday's).
    /// </summary>
    [Fact]
    public void ProposalRecordedUnderRules2_BulgarianClient_ReplaysWithTheKamsCalendar_AndWouldNotUnderRules3() =>
        AssertReplays_ButNotWhenStamped("ProposalFollowUp-bulgarian-client-rules2.json", "{\\\"DecisionRules\\\":2,", "{\\\"DecisionRules\\\":3,");

    /// <summary>The same history as if its execution had read rules 2: the deadline is not watched, so its recorded steps no longer match.</summary>
    [Fact]
    public void DeliveryDeadlineHistory_RecordedWithTheSeedRules_WouldNotReplayUnderRules2_SoTheWatchIsGated() =>
        AssertReplays_ButNotWhenStamped("ReferenceLetter-deadline.json", "\\\"DecisionRules\\\":3", "\\\"DecisionRules\\\":2");

    /// <summary>The same history as if its execution had read the seed rules (new-account cadence, cross-sell): its decisions no longer match.</summary>
    [Fact]
    public void AccountCareRecordedWithDecisionRules2_ReplaysWithoutTheSeedRules_AndWouldNotUnderThem() =>
        AssertReplays_ButNotWhenStamped("AccountCare.json", "{\\\"DecisionRules\\\":2,", "{\\\"DecisionRules\\\":3,");

    /// <summary>
    /// A moved meeting's notice is a decision-rules-4 change: the cancellation history recorded under rules 3 (its meeting
    /// moved after its preparation, with no notice) replays, and would not if its execution had read rules 4.
    /// </summary>
    [Fact]
    public void MeetingMovedAfterItsInvite_RecordedUnderRules3_ReplaysWithoutTheNotice_AndWouldNotUnderRules4() =>
        AssertReplays_ButNotWhenStamped("MeetingPreparation-cancelled.json", "\\\"DecisionRules\\\":3", "\\\"DecisionRules\\\":4");

    /// <summary>The moved meeting's history recorded under rules 4 (two notices) would not replay as an execution of rules 3: the notices are gated.</summary>
    [Fact]
    public void MeetingMovedHistory_RecordedUnderRules4_WouldNotReplayUnderRules3() =>
        AssertReplays_ButNotWhenStamped("MeetingPreparation-moved.json", "\\\"DecisionRules\\\":4", "\\\"DecisionRules\\\":3");

    /// <summary>The recorded history replays, and the same history with its decision rules restamped does not: the change is gated.</summary>
    private static void AssertReplays_ButNotWhenStamped(string file, string recordedRules, string otherRules)
    {
        var path = Path.Combine(Folder, file);
        Assert.True(HistoryReplayChecker.Check(Current(), RecordedHistory.Load(path)).IsDeterministic);

        var stamped = Path.Combine(Path.GetTempPath(), $"stamped-{Guid.NewGuid():N}.json");
        File.WriteAllText(stamped, File.ReadAllText(path).Replace(recordedRules, otherRules, StringComparison.Ordinal));
        try
        {
            Assert.NotEqual(File.ReadAllText(path), File.ReadAllText(stamped));
            Assert.False(HistoryReplayChecker.Check(Current(), RecordedHistory.Load(stamped)).IsDeterministic);
        }
        finally
        {
            File.Delete(stamped);
        }
    }

    /// <summary>A careless edit: reads the profile before the options.</summary>
    public sealed class ProfileFirst : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        {
            await context.CallActivityAsync<object?>(ActivityNames.ReadAccountProfile, "ACME");
            return input;
        }
    }

    /// <summary>Runs each workflow through a representative scenario; its fresh history must replay (and is saved when re-recording).</summary>
    [Fact]
    public async Task FreshRuns_ProduceHistoriesThatReplay()
    {
        await Record("ProposalFollowUp", "proposal:P-1", "Drafted under the floor (head's approval task), approved, sent, call task, acknowledgement, next steps, meeting preparation, expiry reminder, accepted, revision wait.",
            At("2026-03-26T10:00:00+02:00"), r => Acme(r, priceFloor: 140_000m), async host =>
            {
                await host.SendAsync(Ev.ProposalDrafted("P-1", "2026-03-26T10:00:00+02:00", 125_000m, discount: 10m));
                await host.AdvanceToAsync(At("2026-03-27T10:00:00+02:00"));
                await host.SendAsync(Ev.PriceApproved("P-1", "2026-03-27T10:00:00+02:00"), "proposal:P-1");
                await host.AdvanceToAsync(At("2026-03-27T16:00:00+02:00"));
                await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-27T16:00:00+02:00", 125_000m, "2026-04-30", roles: ["executive"], discount: 10m));
                await host.AdvanceToAsync(At("2026-03-31T10:00:00+03:00"));
                await host.SendAsync(Ev.Acknowledged("P-1", "2026-03-31T10:00:00+03:00"));
                await host.AdvanceToAsync(At("2026-04-07T11:00:00+03:00"));
                await host.SendAsync(Ev.MeetingAgreed("P-1", "2026-04-07T11:00:00+03:00", "2026-04-23T14:00:00+03:00"));
                await host.AdvanceToAsync(At("2026-04-24T10:00:00+03:00"));
                await host.SendAsync(Ev.Accepted("P-1", "2026-04-24T10:00:00+03:00"));
                await host.AdvanceToAsync(At("2026-06-01T00:00:00+03:00"));
            });

        await Record("ProposalFollowUp-catch-up", "proposal:P-2", "History arriving late: sent and acknowledged a month late (held, then the missed call recorded), a late timer after the host was down, expiry.",
            At("2026-05-04T10:00:00+03:00"), r => Acme(r), async host =>
            {
                await host.SendAsync(Ev.ProposalSent("P-2", "2026-04-01T10:00:00+03:00", 125_000m, "2026-05-29"));
                await host.SendAsync(Ev.Acknowledged("P-2", "2026-04-08T10:00:00+03:00"));
                await host.AdvanceToAsync(At("2026-05-04T11:00:00+03:00"));
                host.Clock.MoveTo(At("2026-05-25T12:00:00+03:00")); // The host was down: the expiry reminder's timer fires late.
                await host.AdvanceToAsync(At("2026-06-05T00:00:00+03:00"));
            });

        await Record("TenderPreparation", "tender:T-77", "Registered late (overdue report), a milestone, T moved (moved and newly overdue milestones), result lost.",
            At("2026-06-10T10:00:00+03:00"), r => Acme(r), async host =>
            {
                await host.SendAsync(Ev.TenderAnnounced("T-77", "2026-06-10T10:00:00+03:00", "2026-12-01"));
                await host.AdvanceToAsync(At("2026-08-10T10:00:00+03:00"));
                await host.SendAsync(Ev.TenderDateChanged("T-77", "2026-08-10T10:00:00+03:00", "2026-10-15"));
                await host.AdvanceToAsync(At("2026-10-20T10:00:00+03:00"));
                await host.SendAsync(Ev.TenderResult("T-77", "2026-10-20T10:00:00+03:00", "lost"));
            });

        await Record("SaleCycle", "opportunity:O-9", "Cadence reminder, a proposal of the deal, meeting with an agreed next step, stall alert and escalation, stage change, won (the proposal told).",
            At("2026-01-12T10:00:00+02:00"), r => Acme(r), async host =>
            {
                await host.SendAsync(Ev.OpportunityUpserted("O-9", "2026-01-12T10:00:00+02:00", "needs_recognition"));
                await host.SendToAllAsync(Ev.ProposalSentForDeal("P-7", "O-9", "2026-01-14T10:00:00+02:00", 90_000m, "2026-06-30"));
                await host.AdvanceToAsync(At("2026-02-20T15:00:00+02:00"));
                await host.SendAsync(Ev.MeetingLogged("2026-02-20T15:00:00+02:00", "2026-02-20T14:00:00+02:00", opportunityId: "O-9",
                    nextStep: "Pilot scope review with IT", nextStepDue: "2026-03-05"));
                await host.AdvanceToAsync(At("2026-04-25T10:00:00+03:00"));
                await host.SendAsync(Ev.StageChanged("O-9", "2026-04-25T10:00:00+03:00", "decision"));
                await host.AdvanceToAsync(At("2026-05-05T10:00:00+03:00"));
                await host.SendAsync(Ev.StageChanged("O-9", "2026-05-05T10:00:00+03:00", "won"));
            });

        await Record("ReferenceLetter", "delivery:D-5", "Complaint held the request, asked after settling, follow-up, letter received, referral request.",
            At("2026-04-17T15:00:00+03:00"), r => Acme(r), async host =>
            {
                await host.SendAsync(Ev.DeliveryCompleted("D-5", "2026-04-17T15:00:00+03:00"));
                await host.SendAsync(Ev.ComplaintOpened("K-1", "2026-04-20T10:00:00+03:00", "D-5"), "delivery:D-5");
                await host.AdvanceToAsync(At("2026-04-22T10:00:00+03:00"));
                await host.SendAsync(Ev.ComplaintResolved("K-1", "2026-04-22T10:00:00+03:00", "D-5"), "delivery:D-5");
                await host.AdvanceToAsync(At("2026-05-25T10:00:00+03:00"));
                await host.SendAsync(Ev.ReferenceReceived("2026-05-25T10:00:00+03:00", "letter", "D-5"));
                await host.AdvanceToAsync(At("2026-05-27T00:00:00+03:00"));
            });

        await Record("ReferenceLetter-deadline", "delivery:D-7", "Delivery team's deadline (decision rules 3): scheduled, check 5 business days before, deadline moved (KAM told), check 1 day before, overdue task, head told, completed late (no reference ask).",
            At("2026-04-27T10:00:00+03:00"), r => Acme(r), async host =>
            {
                await host.SendAsync(Ev.DeliveryScheduled("D-7", "2026-04-27T10:00:00+03:00", "2026-05-20"));
                await host.AdvanceToAsync(At("2026-05-13T10:00:00+03:00"));
                await host.SendAsync(Ev.DeliveryScheduled("D-7", "2026-05-13T10:00:00+03:00", "2026-05-27"));
                await host.AdvanceToAsync(At("2026-06-03T10:00:00+03:00"));
                await host.SendAsync(Ev.DeliveryCompleted("D-7", "2026-06-03T10:00:00+03:00"));
            });

        await Record("ComplaintHandling", "complaint:CP-1", "Opened after hours (task next morning), a reminder, overdue to the head, resolved, follow-up, closed.",
            At("2026-03-26T19:00:00+02:00"), r => Acme(r), async host =>
            {
                await host.SendAsync(Ev.ComplaintOpened("CP-1", "2026-03-26T19:00:00+02:00"));
                await host.AdvanceToAsync(At("2026-04-08T10:00:00+03:00"));
                await host.SendAsync(Ev.ComplaintResolvedWith("CP-1", "2026-04-08T10:00:00+03:00", "Parts replaced"), "complaint:CP-1");
                await host.AdvanceToAsync(At("2026-04-14T10:00:00+03:00"));
                await host.SendAsync(Ev.ComplaintClosed("CP-1", "2026-04-14T10:00:00+03:00"), "complaint:CP-1");
            });

        await Record("MeetingPreparation", "meeting:M-1", "Scheduled, moved, prepared the business day before, outcome prompt the next morning, then logged.",
            At("2026-03-16T10:00:00+02:00"), r => Acme(r), async host =>
            {
                await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00", subject: "Pilot results", contactIds: ["C-1"]));
                await host.AdvanceToAsync(At("2026-03-17T10:00:00+02:00"));
                await host.SendAsync(Ev.MeetingScheduled("M-1", "2026-03-17T10:00:00+02:00", "2026-03-24T14:00:00+02:00", subject: "Pilot results", contactIds: ["C-1"]), "meeting:M-1");
                await host.AdvanceToAsync(At("2026-03-26T10:00:00+02:00"));
                await host.SendAsync(Ev.MeetingLoggedFor("M-1", "2026-03-26T10:00:00+02:00", "2026-03-24T14:00:00+02:00"), "meeting:M-1");
            });

        await Record("MeetingPreparation-cancelled", "meeting:M-2", "Scheduled, prepared with its invite, moved (the invite updated), cancelled: the KAM's notice at once with the invite withdrawn, then a second cancellation ignored.",
            At("2026-03-16T10:00:00+02:00"), r => Acme(r), async host =>
            {
                await host.SendAsync(Ev.MeetingScheduled("M-2", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00", subject: "Pilot results", contactIds: ["C-1"]));
                await host.AdvanceToAsync(At("2026-03-18T12:00:00+02:00"));
                await host.SendAsync(Ev.MeetingScheduled("M-2", "2026-03-18T12:00:00+02:00", "2026-03-24T14:00:00+02:00", subject: "Pilot results", contactIds: ["C-1"]), "meeting:M-2");
                await host.AdvanceToAsync(At("2026-03-23T12:00:00+02:00"));
                await host.SendAsync(Ev.MeetingCancelled("M-2", "2026-03-23T12:00:00+02:00"), "meeting:M-2");
                await host.SendAsync(Ev.MeetingCancelled("M-2", "2026-03-23T12:00:00+02:00"), "meeting:M-2");
                Assert.True(host.Outbox.One(NotificationKind.MeetingCancelledNotice).Invite!.Sequence > host.Outbox.One(NotificationKind.MeetingMovedNotice).Invite!.Sequence);
            });

        await Record("MeetingPreparation-moved", "meeting:M-3", "Decision rules 4: scheduled, prepared with its invite, moved twice (the KAM told at once each time, the invite updated), prepared again for the new date, outcome prompts.",
            At("2026-03-16T10:00:00+02:00"), r => Acme(r), async host =>
            {
                await host.SendAsync(Ev.MeetingScheduled("M-3", "2026-03-16T10:00:00+02:00", "2026-03-19T14:00:00+02:00", subject: "Pilot results", contactIds: ["C-1"]));
                await host.AdvanceToAsync(At("2026-03-18T21:30:00+02:00"));
                await host.SendAsync(Ev.MeetingScheduled("M-3", "2026-03-18T21:30:00+02:00", "2026-03-26T10:00:00+02:00", subject: "Pilot results", contactIds: ["C-1"]), "meeting:M-3");
                await host.AdvanceToAsync(At("2026-03-20T11:00:00+02:00"));
                await host.SendAsync(Ev.MeetingScheduled("M-3", "2026-03-20T11:00:00+02:00", "2026-03-27T10:00:00+02:00", subject: "Pilot results", contactIds: ["C-1"]), "meeting:M-3");
                await host.AdvanceToAsync(At("2026-04-10T00:00:00+03:00"));
                Assert.Equal(2, host.Outbox.Of(NotificationKind.MeetingMovedNotice).Count);
                Assert.Equal(2, host.Outbox.Of(NotificationKind.MeetingOutcomeNotRecorded).Count);
            });

        await Record("AccountCare", "account:ACME", "First execution up to the quarterly review: birthday sweeps, contract, revenue, deals, complaint, meeting, dormancy, information-bond nudge.",
            At("2026-02-10T10:00:00+02:00"), r =>
            {
                Acme(r, bonds: ["value"]);
                r.AddContact(Mikko, birthday: new DateOnly(1975, 3, 20));
                r.Margins[AccountId] = 4.5m;
            }, async host =>
            {
                const string key = "account:ACME";
                await host.SendAsync(Ev.AccountUpserted("2026-02-10T10:00:00+02:00"));
                await host.SendAsync(Ev.ContractSigned("C-3", "2026-02-11T10:00:00+02:00", "2026-02-01", "2026-07-31", 480_000m), key);
                await host.SendAsync(Ev.OpportunityUpserted("O-1", "2026-02-12T10:00:00+02:00", "needs_recognition"), key);
                await host.SendAsync(Ev.ComplaintOpened("K-1", "2026-02-13T10:00:00+02:00"), key);
                await host.AdvanceToAsync(At("2026-03-02T10:00:00+02:00"));
                await host.SendAsync(Ev.ContactUpserted("C-2", "2026-03-02T10:00:00+02:00", "Sari Koski", "finance"), key);
                await host.SendAsync(Ev.RevenueReported("2026-03-31T10:00:00+03:00", "2026-01-01", "2026-03-31", 310_000m), key);
                await host.AdvanceToAsync(At("2026-03-31T23:00:00+03:00"));
            }, afterwards: async host =>
            {
                // The quarterly review continues the instance as new: record the carried-over execution too.
                await host.AdvanceToAsync(At("2026-04-20T10:00:00+03:00"));
                await host.SendAsync(Ev.MeetingLogged("2026-04-20T10:00:00+03:00", "2026-04-20T09:30:00+03:00"), "account:ACME");
                await host.AdvanceToAsync(At("2026-06-05T00:00:00+03:00"));
                await Save(host, "AccountCare-continued", "account:ACME", "The execution after the quarterly review (state carried over): a meeting, contract renewal, sweeps.");
            });

        await Record("AccountCare-seed-rules", "account:ACME", "Decision rules 3: a new account's closer dormancy cadence, a contract and a successful delivery (one cross-sell prompt, held by a complaint until resolved), a KAM handover (briefing).",
            At("2026-03-02T10:00:00+02:00"), r =>
            {
                Acme(r);
                r.History.Add(new AccountHistoryEntry(At("2026-02-20T11:00:00+02:00"), "kam.meeting.logged", ""));
            }, async host =>
            {
                const string key = "account:ACME";
                await host.SendAsync(Ev.AccountUpserted("2026-03-02T10:00:00+02:00"));
                await host.SendAsync(Ev.ContractSigned("C-3", "2026-03-02T14:00:00+02:00", "2026-03-01", "2026-12-31", 480_000m), key);
                await host.SendAsync(Ev.DeliveryCompleted("D-5", "2026-03-05T12:00:00+02:00"), key);
                await host.SendAsync(Ev.ComplaintOpened("K-1", "2026-03-10T10:00:00+02:00"), key);
                await host.AdvanceToAsync(At("2026-03-25T14:00:00+02:00"));
                await host.SendAsync(Ev.ComplaintResolved("K-1", "2026-03-25T14:00:00+02:00"), key);
                await host.AdvanceToAsync(At("2026-04-01T16:00:00+03:00"));
                host.Accounts.Profiles[AccountId] = Profile() with { Kam = Kam with { Email = "olli.saari@supplier.example", Name = "Olli Saari" } };
                await host.SendAsync(Ev.AccountUpsertedWithKam("2026-04-01T16:00:00+03:00", "olli.saari@supplier.example", "Olli Saari"));
                await host.AdvanceToAsync(At("2026-04-20T00:00:00+03:00"));
                Assert.Single(host.Outbox.Of(NotificationKind.CrossSellPrompt));
                Assert.Single(host.Outbox.Of(NotificationKind.AccountHandoverBriefing));
            });
    }

    private static async Task Record(string file, string key, string description, DateTimeOffset start, Action<Support.InMemoryAccountReader> accounts,
        Func<WorkflowHost, Task> scenario, Func<WorkflowHost, Task>? afterwards = null)
    {
        await using var host = await WorkflowHost.StartAsync(start, accounts: accounts);
        await scenario(host);
        await Save(host, file, key, description);
        if (afterwards is not null)
        {
            await afterwards(host);
        }
    }

    private static async Task Save(WorkflowHost host, string file, string key, string description)
    {
        var meta = await host.InstanceAsync(key);
        var events = host.Hub.GetHistory(key);
        var history = new RecordedHistory
        {
            Orchestrator = meta.Name, Version = events.OfType<DurableTask.Core.History.ExecutionStartedEvent>().Single().Version ?? string.Empty,
            InstanceId = key, Description = description, Events = [.. events],
        };
        var check = HistoryReplayChecker.Check(Current(), history);
        Assert.True(check.IsDeterministic, $"{file}: {check.Problem}");
        Assert.True(history.Events.Count > 10, $"{file} has only {history.Events.Count} events");
        if (Recording)
        {
            history.Save(Path.Combine(Folder, file + ".json"));
        }
    }
}
