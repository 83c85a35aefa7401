using KamFlows.Workflows.SaleCycles;

namespace KamFlows.Workflows.Tests;

/// <summary>
/// DOMAIN.md "Long sale cycles", texts that say only what is true: a stalled deal names its last meeting only when one was
/// logged, its last stage change only when the stage changed, else when it was registered; the stage's built-in next
/// steps travel as codes the templates translate, configured ones as written.
/// </summary>
public sealed class SaleCycleTextTests
{
    [Fact]
    public async Task DealStalled_NoMeetingAndNoStageChange_ClaimsOnlyWhenTheDealWasRegistered()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-01-12T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.OpportunityUpserted("O-9", "2026-01-12T10:00:00+02:00", "evaluation_of_options"));
        await host.AdvanceToAsync(At("2026-03-20T00:00:00+02:00"));

        var stalled = host.Outbox.One(NotificationKind.DealStalled);
        Assert.Equal("2026-02-26T09:00:00+02:00", RecordingOutbox.Local(stalled));
        Assert.Null(stalled.Fields["last_meeting_on"].Date);  // No meeting logged: none is claimed.
        Assert.Null(stalled.Fields["stage_since"].Date);      // Still the stage it was registered with: no stage change is claimed.
        Assert.Equal("2026-01-12", stalled.Fields["registered_on"].Date);

        var escalated = host.Outbox.One(NotificationKind.DealStalledEscalation);
        Assert.Equal(HeadEmail, escalated.Recipient.Email);
        Assert.Equal("2026-03-12T09:00:00+03:00", RecordingOutbox.Local(escalated));
        Assert.Null(escalated.Fields["last_meeting_on"].Date);
        Assert.Null(escalated.Fields["stage_since"].Date);
        Assert.Equal("2026-01-12", escalated.Fields["registered_on"].Date);
    }

    [Fact]
    public async Task DealStalled_StageChangedButNoMeeting_SaysInStageSinceTheChange_AndNoMeeting()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-01-12T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.OpportunityUpserted("O-9", "2026-01-12T10:00:00+02:00", "needs_recognition"));
        await host.AdvanceToAsync(At("2026-02-02T11:00:00+02:00"));
        await host.SendAsync(Ev.StageChanged("O-9", "2026-02-02T11:00:00+02:00", "evaluation_of_options"));
        await host.AdvanceToAsync(At("2026-04-10T00:00:00+03:00"));

        // 45 days from the stage change of Monday 2 February: Thursday 19 March; the head 14 days later, Thursday 2 April.
        var stalled = host.Outbox.One(NotificationKind.DealStalled);
        Assert.Equal("2026-03-19T09:00:00+02:00", RecordingOutbox.Local(stalled));
        Assert.Equal("evaluation_of_options", stalled.Fields["stage"].Text);
        Assert.Equal("2026-02-02", stalled.Fields["stage_since"].Date);
        Assert.Null(stalled.Fields["last_meeting_on"].Date);
        Assert.Equal(45m, stalled.Fields["days_without_progress"].Number);

        var escalated = host.Outbox.One(NotificationKind.DealStalledEscalation);
        Assert.Equal("2026-04-02T09:00:00+03:00", RecordingOutbox.Local(escalated));
        Assert.Equal("2026-02-02", escalated.Fields["stage_since"].Date);
        Assert.Null(escalated.Fields["last_meeting_on"].Date);
        Assert.Equal(59m, escalated.Fields["days_without_progress"].Number);
    }

    [Fact]
    public async Task DealStalled_AfterAMeeting_NamesTheMeeting_NotAStageChange()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-01-12T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.OpportunityUpserted("O-9", "2026-01-12T10:00:00+02:00", "evaluation_of_options"));
        await host.AdvanceToAsync(At("2026-02-20T15:00:00+02:00"));
        await host.SendAsync(Ev.MeetingLogged("2026-02-20T15:00:00+02:00", "2026-02-20T14:00:00+02:00", opportunityId: "O-9"));
        await host.AdvanceToAsync(At("2026-04-08T00:00:00+03:00"));

        // No alert on 26 February (the meeting is progress); 45 days after it is Easter Monday 6 April, a Finnish holiday: Tuesday.
        var stalled = host.Outbox.One(NotificationKind.DealStalled);
        Assert.Equal("2026-04-07T09:00:00+03:00", RecordingOutbox.Local(stalled));
        Assert.Equal("2026-02-20", stalled.Fields["last_meeting_on"].Date);
        Assert.Null(stalled.Fields["stage_since"].Date);
        Assert.Equal("2026-01-12", stalled.Fields["registered_on"].Date);
        Assert.Equal(46m, stalled.Fields["days_without_progress"].Number);
        Assert.Empty(host.Outbox.Of(NotificationKind.DealStalledEscalation)); // Not yet: 14 days after the KAM's alert.
    }

    [Fact]
    public async Task SaleCycleNextStep_BuiltInStepCarriesItsCode_ForTheTemplatesToTranslate()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-01-12T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.OpportunityUpserted("O-9", "2026-01-12T10:00:00+02:00", "resolution_of_concerns"));
        await host.AdvanceToAsync(At("2026-02-03T00:00:00+02:00"));

        var step = host.Outbox.One(NotificationKind.SaleCycleNextStep);
        Assert.Equal("2026-02-02T09:00:00+02:00", RecordingOutbox.Local(step));
        Assert.Equal("resolution_of_concerns", step.Fields["next_step_code"].Text);
        Assert.Equal(SaleCycleOptions.DefaultStageNextSteps["resolution_of_concerns"], step.Fields["next_step"].Text);
    }

    [Fact]
    public async Task SaleCycleNextStep_ConfiguredTextIsSentAsWritten_AStageWithoutOneGetsTheTranslatedGenericStep()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-01-12T10:00:00+02:00"),
            configure: o => o.SaleCycle.StageNextSteps = new() { ["evaluation_of_options"] = "Pilotti teknisen tiimin kanssa" },
            accounts: r => Acme(r));
        await host.SendAsync(Ev.OpportunityUpserted("O-9", "2026-01-12T10:00:00+02:00", "evaluation_of_options"));
        await host.SendAsync(Ev.OpportunityUpserted("O-10", "2026-01-12T10:00:00+02:00", "decision", name: "Fleet telematics 2028"));
        await host.AdvanceToAsync(At("2026-02-03T00:00:00+02:00"));

        var steps = host.Outbox.Of(NotificationKind.SaleCycleNextStep).ToDictionary(r => r.SourceKey);
        Assert.Equal(2, steps.Count);
        var configured = steps["opportunity:O-9"];
        Assert.Equal("Pilotti teknisen tiimin kanssa", configured.Fields["next_step"].Text);
        Assert.Equal(string.Empty, configured.Fields["next_step_code"].Text); // The KAMs' own words: no code to translate over them.

        var generic = steps["opportunity:O-10"];  // The configured list has no step for "decision": the generic one, by its code.
        Assert.Equal(SaleCycleOptions.GenericNextStepCode, generic.Fields["next_step_code"].Text);
        Assert.Equal(SaleCycleOptions.GenericNextStep, generic.Fields["next_step"].Text);
    }

    [Fact]
    public async Task SaleCycleNextStep_StepAgreedAtAMeeting_HasNoCode()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-01-12T10:00:00+02:00"), accounts: r => Acme(r));
        await host.SendAsync(Ev.OpportunityUpserted("O-9", "2026-01-12T10:00:00+02:00", "evaluation_of_options"));
        await host.SendAsync(Ev.MeetingLogged("2026-01-14T15:00:00+02:00", "2026-01-14T14:00:00+02:00", opportunityId: "O-9",
            nextStep: "Pilot scope review with IT", nextStepDue: "2026-01-22"));
        await host.AdvanceToAsync(At("2026-01-23T00:00:00+02:00"));

        var agreed = host.Outbox.One(NotificationKind.SaleCycleNextStep);
        Assert.Equal("2026-01-21T09:00:00+02:00", RecordingOutbox.Local(agreed));
        Assert.Equal("Pilot scope review with IT", agreed.Fields["next_step"].Text);
        Assert.Equal(string.Empty, agreed.Fields["next_step_code"].Text);
    }
}
