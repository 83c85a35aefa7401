using Microsoft.DurableTask;
using KamFlows.Workflows.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KamFlows.Workflows.Tests;

/// <summary>Every default is a rule of DOMAIN.md, and every one can be changed in configuration.</summary>
public sealed class WorkflowsOptionsTests
{
    [Fact]
    public void WorkflowsOptions_Defaults_AreTheRulesOfDomainMd()
    {
        var o = new WorkflowsOptions();
        Assert.Empty(o.Validate());
        Assert.Equal("09:00", o.Timing.ReminderTime);
        Assert.Equal(30, o.Timing.HoldUnmatchedEventsDays);
        Assert.Equal(2, o.Escalation.OverdueBusinessDays);
        Assert.Equal(1, o.ProposalFollowUp.CallAfterBusinessDays);
        Assert.Equal([7, 1], o.ProposalFollowUp.ExpiryReminderBusinessDaysOrDefault);
        Assert.Equal([270, 240, 180, 120, 90, 60, 30, 7, 0], o.TenderPreparation.MilestonesOrDefault.Select(m => m.DaysBeforeTender));
        Assert.Equal(45, o.SaleCycle.StallDays);
        Assert.Equal(14, o.ReferenceLetter.SettlingDays);
        Assert.Equal([120, 60, 30], o.AccountCare.ContractRenewalDaysBeforeOrDefault);
        Assert.Equal(60, o.AccountCare.DormantAfterDays);
        Assert.Equal((25m, 50m, 75m), (o.AccountCare.SingleAccountWarningPercent, o.AccountCare.TopTwoWarningPercent, o.AccountCare.KeyAccountsWarningPercent));
    }

    [Fact]
    public void WorkflowsOptions_Issue14Settings_DefaultsFromDomainMd_AndBadValuesNamedByKey()
    {
        var o = new WorkflowsOptions();
        Assert.Equal((1.5m, 12), (o.SaleCycle.StallCadenceFactor, o.SaleCycle.ExpectedMeetingsPerCycle));
        Assert.Equal(5, o.ComplaintHandling.ResolutionBusinessDays); // DOMAIN.md: default 5 business days.
        Assert.Equal([2, 0], o.ComplaintHandling.ReminderBusinessDaysBeforeOrDefault);
        Assert.Equal(0, o.DecisionRules); // Not configured: ReadWorkflowOptions stamps it.

        o.SaleCycle.StallCadenceFactor = 0.5m;
        o.ComplaintHandling.ResolutionBusinessDays = 0;
        o.ComplaintHandling.ReminderBusinessDaysBefore = [-1];
        o.ProposalFollowUp.DraftWaitDays = 0;
        Assert.Equal(
            [
                "KamFlows:Workflows:ProposalFollowUp:DraftWaitDays must be at least 1 (got 0).",
                "KamFlows:Workflows:SaleCycle:StallCadenceFactor must be between 1 and 10 (got 0.5).",
                "KamFlows:Workflows:ComplaintHandling:ResolutionBusinessDays must be at least 1 (got 0).",
                "KamFlows:Workflows:ComplaintHandling:ReminderBusinessDaysBefore:0 must be at least 0 (got -1).",
            ],
            o.Validate());
    }

    [Fact]
    public void DeliveriesOptions_DefaultsFromTheTask_BoundFromConfiguration_AndBadValuesNamedByKeyAtStartUp()
    {
        var o = new WorkflowsOptions();
        Assert.Equal([5, 1], o.Deliveries.CheckBusinessDaysBeforeOrDefault);
        Assert.Equal(3, o.Deliveries.EscalateAfterBusinessDays);

        var bound = Services(new()
        {
            ["KamFlows:Workflows:Deliveries:CheckBusinessDaysBefore:0"] = "3",
            ["KamFlows:Workflows:Deliveries:EscalateAfterBusinessDays"] = "2",
        }).GetRequiredService<IOptions<WorkflowsOptions>>().Value;
        Assert.Equal([3], bound.Deliveries.CheckBusinessDaysBeforeOrDefault); // Replaces the default list, not appended to it.
        Assert.Equal(2, bound.Deliveries.EscalateAfterBusinessDays);

        var error = Assert.Throws<OptionsValidationException>(() => Services(new()
        {
            ["KamFlows:Workflows:Deliveries:CheckBusinessDaysBefore:0"] = "5",
            ["KamFlows:Workflows:Deliveries:CheckBusinessDaysBefore:1"] = "0",
            ["KamFlows:Workflows:Deliveries:EscalateAfterBusinessDays"] = "0",
        }).GetRequiredService<IOptions<WorkflowsOptions>>().Value);
        Assert.Equal(
            [
                "KamFlows:Workflows:Deliveries:CheckBusinessDaysBefore:1 must be at least 1 (got 0).",
                "KamFlows:Workflows:Deliveries:EscalateAfterBusinessDays must be at least 1 (got 0).",
            ],
            error.Failures);
    }

    [Fact]
    public void WorkflowsOptions_MeetingSettings_DefaultsFromTheBrief_AndBadValuesNamedByKey()
    {
        var o = new WorkflowsOptions();
        Assert.Equal((1, 2), (o.Meetings.PrepareBusinessDaysBefore, o.Meetings.OutcomeReminderBusinessDays));
        o.Meetings.PrepareBusinessDaysBefore = -1;
        o.Meetings.OutcomeReminderBusinessDays = 0;
        Assert.Equal(
            [
                "KamFlows:Workflows:Meetings:PrepareBusinessDaysBefore must be at least 0 (got -1).",
                "KamFlows:Workflows:Meetings:OutcomeReminderBusinessDays must be at least 1 (got 0).",
            ],
            o.Validate());
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddKamFlowsWorkflows(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddKamFlowsWorkflows_BindsEachWorkflowsSection_ReplacingListsRatherThanAppending_AndRegistersEveryWorkflow()
    {
        var sp = Services(new()
        {
            ["KamFlows:Workflows:ProposalFollowUp:ExpiryReminderBusinessDays:0"] = "5",
            ["KamFlows:Workflows:SaleCycle:StallDays"] = "30",
            ["KamFlows:Workflows:Meetings:PrepareBusinessDaysBefore"] = "2",
            ["KamFlows:Workflows:Timing:ReminderTime"] = "08:30",
            ["KamFlows:Workflows:Escalation:EscalatedTasks:0"] = "ReferenceLetterAsk",
        });

        var o = sp.GetRequiredService<IOptions<WorkflowsOptions>>().Value;
        Assert.Equal([5], o.ProposalFollowUp.ExpiryReminderBusinessDaysOrDefault);
        Assert.Equal(30, o.SaleCycle.StallDays);
        Assert.Equal((2, 2), (o.Meetings.PrepareBusinessDaysBefore, o.Meetings.OutcomeReminderBusinessDays));
        Assert.Equal("08:30", o.Timing.ReminderTime);
        Assert.Equal([NotificationKind.ReferenceLetterAsk], o.Escalation.EscalatedTasksOrDefault);
        var registry = WorkflowsRegistration.Register(new DurableTaskRegistry());
        Assert.Equal(
            [WorkflowCatalog.AccountCare, WorkflowCatalog.ComplaintHandling, WorkflowCatalog.MeetingPreparation, WorkflowCatalog.ProposalFollowUp, WorkflowCatalog.ReferenceLetter, WorkflowCatalog.SaleCycle, WorkflowCatalog.TenderPreparation],
            registry.GetOrchestrators().Select(o => o.Key.Name).Order(StringComparer.Ordinal));
        Assert.Equal(9, registry.GetActivities().Count());
    }

    [Fact]
    public void AddKamFlowsWorkflows_WrongSettings_FailWithTheirConfigurationKeys()
    {
        var sp = Services(new()
        {
            ["KamFlows:Workflows:Timing:ReminderTime"] = "9am",
            ["KamFlows:Workflows:AccountCare:BirthdayLookaheadDays"] = "3",
            ["KamFlows:Workflows:TenderPreparation:Milestones:0:Code"] = "bid|no-bid",
            ["KamFlows:Workflows:TenderPreparation:Milestones:0:Title"] = "Bid",
            ["KamFlows:Workflows:TenderPreparation:Milestones:0:DaysBeforeTender"] = "90",
            ["KamFlows:Workflows:Timing:MissedAfterBusinessDays"] = "-1",
            ["KamFlows:Workflows:Timing:CatchUpSettleSeconds"] = "0",
        });

        var error = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<WorkflowsOptions>>().Value);
        Assert.Contains(error.Failures, f => f.StartsWith("KamFlows:Workflows:Timing:ReminderTime ", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("KamFlows:Workflows:AccountCare:BirthdayLookaheadDays ", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("KamFlows:Workflows:TenderPreparation:Milestones:0:Code ", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("KamFlows:Workflows:Timing:MissedAfterBusinessDays ", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("KamFlows:Workflows:Timing:CatchUpSettleSeconds ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Workflows_ConfiguredReminderTimeAndPeriods_AreUsedByRunningInstances()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-27T16:00:00+02:00"), o =>
        {
            o.Timing.ReminderTime = "10:30";
            o.ProposalFollowUp.CallAfterBusinessDays = 2;
        }, r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-27T16:00:00+02:00", 125_000m, "2026-04-30"));
        await host.AdvanceToAsync(At("2026-04-01T00:00:00+03:00"));

        Assert.Equal("2026-03-31T10:30:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.ProposalCallToConfirmReceipt)));
    }
}
