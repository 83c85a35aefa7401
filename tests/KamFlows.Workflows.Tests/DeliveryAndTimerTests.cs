using DurableTask.Core.History;
using KamFlows.Domain.Events;
using Microsoft.DurableTask.Client;

namespace KamFlows.Workflows.Tests;

/// <summary>
/// What the workflows rely on from the Durable Task Framework and from intake's signal-with-start
/// (<see cref="WorkflowRouting"/>), on DurableTask.Core's replay with virtual time.
/// </summary>
public sealed class DeliveryAndTimerTests
{
    [Fact]
    public async Task StartingEvent_TravelsInTheStartInput_SoNoRaisedEventCanOvertakeIt()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-27T16:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-27T16:00:00+02:00", 125_000m, "2026-04-30"));

        var started = host.Hub.GetHistory("proposal:P-1").OfType<ExecutionStartedEvent>().Single();
        Assert.Contains("kam.proposal.sent", started.Input, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Hub.GetHistory("proposal:P-1"), e => e is EventRaisedEvent);
        Assert.Equal(1, (await host.StatusAsync("proposal:P-1"))!.EventsReceived);
    }

    [Fact]
    public async Task SameEventDeliveredTwice_IsAppliedOnce_AndSendsNothingTwice()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-27T16:00:00+02:00"), accounts: r => Acme(r));
        var sent = Ev.ProposalSent("P-1", "2026-03-27T16:00:00+02:00", 125_000m, "2026-04-30");
        var acknowledged = Ev.Acknowledged("P-1", "2026-03-31T10:00:00+03:00");
        await host.SendAsync(sent);
        await host.SendAsync(sent); // Intake crashed after delivering and delivers again.
        await host.AdvanceToAsync(At("2026-03-31T10:00:00+03:00"));
        await host.SendAsync(acknowledged);
        await host.SendAsync(acknowledged);
        await host.AdvanceToAsync(At("2026-04-10T00:00:00+03:00"));

        Assert.Single(host.Outbox.Of(NotificationKind.ProposalCallToConfirmReceipt));
        Assert.Single(host.Outbox.Of(NotificationKind.ProposalAskNextSteps));
        await host.SendAsync(Ev.Accepted("P-1", "2026-04-10T10:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-06-01T00:00:00+03:00"));
        var result = await host.ResultAsync("proposal:P-1");
        Assert.Equal(2, result.Notes.Count(n => n.Contains("received again: ignored", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task FinishedInstance_IgnoresEventsThatDoNotStartIt_AndRestartsOnOneThatDoes()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-27T16:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-27T16:00:00+02:00", 125_000m, "2026-04-30"));
        await host.SendAsync(Ev.Accepted("P-1", "2026-03-30T10:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-06-01T00:00:00+03:00")); // Past the revision wait: the instance ends.
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.InstanceAsync("proposal:P-1")).RuntimeStatus);
        var firstExecution = Execution(host, "proposal:P-1");

        var ignored = await WorkflowRouting.DeliverAsync(host.Client, new WorkflowDeliveryRoute("proposal:P-1", WorkflowCatalog.ProposalFollowUp, StartsIfAbsent: false),
            Ev.Acknowledged("P-1", "2026-06-01T10:00:00+03:00"), TimeSpan.Zero);
        Assert.Equal(WorkflowDeliveryOutcome.Ignored, ignored);
        Assert.Equal(firstExecution, Execution(host, "proposal:P-1"));

        await host.SendAsync(Ev.ProposalSent("P-1", "2026-06-02T10:00:00+03:00", 99_000m, "2026-07-31", version: 2));
        Assert.NotEqual(firstExecution, Execution(host, "proposal:P-1"));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.InstanceAsync("proposal:P-1")).RuntimeStatus);
    }

    [Fact]
    public async Task LoggedMeetingThatWasNeverScheduled_StartsNoWorkflow_AScheduledOneGetsItsOutcome()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-27T10:00:00+02:00"), accounts: r => Acme(r));
        var logged = Ev.MeetingLoggedFor("M-1", "2026-03-27T12:00:00+02:00", "2026-03-27T10:00:00+02:00");
        var route = Assert.Single(WorkflowRouting.Routes(CanonicalEventParser.ParseOrThrow(logged)), r => r.InstanceId == "meeting:M-1");

        // The common case of CRMs that never send kam.meeting.scheduled: no orchestration for each meeting held.
        Assert.Equal(WorkflowDeliveryOutcome.Ignored, await WorkflowRouting.DeliverAsync(host.Client, route, logged, TimeSpan.Zero));
        Assert.Null(await host.Client.GetInstanceAsync("meeting:M-1"));

        await host.SendAsync(Ev.MeetingScheduled("M-2", "2026-03-27T12:00:00+02:00", "2026-03-30T10:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-03-30T12:00:00+03:00"));
        var loggedTwo = Ev.MeetingLoggedFor("M-2", "2026-03-30T12:00:00+03:00", "2026-03-30T10:00:00+03:00");
        var routeTwo = Assert.Single(WorkflowRouting.Routes(CanonicalEventParser.ParseOrThrow(loggedTwo)), r => r.InstanceId == "meeting:M-2");
        Assert.Equal(WorkflowDeliveryOutcome.Raised, await WorkflowRouting.DeliverAsync(host.Client, routeTwo, loggedTwo, TimeSpan.Zero));
    }

    [Fact]
    public async Task SeveralEventsInOneDelivery_AreAppliedInOrder_AsIfTheyCameOneByOne()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-27T16:00:00+02:00"), accounts: r => Acme(r));
        var route = new WorkflowDeliveryRoute("proposal:P-1", WorkflowCatalog.ProposalFollowUp, StartsIfAbsent: true);
        var acknowledged = Ev.Acknowledged("P-1", "2026-03-27T17:00:00+02:00");

        // Intake's batch: the start carries both events, then one raised message carries two more.
        Assert.Equal(WorkflowDeliveryOutcome.Started, await WorkflowRouting.DeliverManyAsync(host.Client, route,
            [Ev.ProposalSent("P-1", "2026-03-27T16:00:00+02:00", 125_000m, "2026-04-30"), acknowledged], TimeSpan.Zero));
        await host.AdvanceToAsync(At("2026-03-30T12:00:00+03:00"));
        Assert.Equal(WorkflowDeliveryOutcome.Raised, await WorkflowRouting.DeliverManyAsync(host.Client, route,
            [acknowledged, Ev.Accepted("P-1", "2026-03-30T12:00:00+03:00")], TimeSpan.Zero));
        await host.AdvanceToAsync(At("2026-06-01T00:00:00+03:00"));

        Assert.Single(host.Hub.GetHistory("proposal:P-1").OfType<EventRaisedEvent>());
        Assert.Empty(host.Outbox.Of(NotificationKind.ProposalCallToConfirmReceipt)); // Acknowledged in the start: no call task.
        Assert.Single(host.Outbox.Of(NotificationKind.ProposalAskNextSteps));
        var result = await host.ResultAsync("proposal:P-1");
        Assert.Equal(1, result.Notes.Count(n => n.Contains("received again: ignored", StringComparison.Ordinal)));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.InstanceAsync("proposal:P-1")).RuntimeStatus); // Accepted, then the revision wait.
    }

    [Fact]
    public async Task NineMonthWait_IsSplitIntoTimersOfAtMostThreeDays_AsTheAzureStorageBackendNeeds()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-02T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.TenderAnnounced("T-77", "2026-03-02T10:00:00+02:00", "2026-12-01"));
        await host.AdvanceToAsync(At("2026-03-20T00:00:00+02:00"));

        var timers = host.Hub.GetHistory("tender:T-77").OfType<TimerCreatedEvent>().ToList();
        Assert.NotEmpty(timers);
        Assert.All(timers, t => Assert.True(t.FireAt - t.Timestamp <= TimeSpan.FromDays(3), $"a timer of {t.FireAt - t.Timestamp}"));
        Assert.Contains(timers, t => t.FireAt - t.Timestamp == TimeSpan.FromDays(3)); // A long wait, chunked.
    }

    private static string Execution(WorkflowHost host, string key) =>
        host.Hub.GetHistory(key).OfType<ExecutionStartedEvent>().Single().OrchestrationInstance.ExecutionId;
}
