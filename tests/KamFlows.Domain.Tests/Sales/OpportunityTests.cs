using KamFlows.Domain.Sales;
using static KamFlows.Domain.Tests.TestData;

namespace KamFlows.Domain.Tests.Sales;

public sealed class OpportunityTests
{
    private static Opportunity Deal() => new("O-3", "ACME", "Fleet telematics", OpportunityStage.EvaluationOfOptions, At("2026-01-10T10:00:00Z"), Eur(400_000m));

    [Fact]
    public void IsStalled_FortyFourDaysWithoutProgress_False() => Assert.False(Deal().IsStalled(At("2026-02-23T10:00:00Z")));

    [Fact]
    public void IsStalled_FortyFiveDaysWithoutProgress_True() => Assert.True(Deal().IsStalled(At("2026-02-24T10:00:00Z")));

    [Fact]
    public void IsStalled_RecentMeeting_False()
    {
        var met = Deal().RecordMeeting(At("2026-02-01T10:00:00Z"));
        Assert.Equal(At("2026-02-01T10:00:00Z"), met.LastProgressAt);
        Assert.False(met.IsStalled(At("2026-02-24T10:00:00Z")));
        Assert.True(met.IsStalled(At("2026-03-18T10:00:00Z")));
    }

    [Fact]
    public void IsStalled_CustomThreshold_Used() => Assert.True(Deal().IsStalled(At("2026-01-20T10:00:00Z"), Duration.FromDays(10)));

    [Fact]
    public void IsStalled_WonDeal_NeverStalled() =>
        Assert.False(Deal().MoveTo(OpportunityStage.Won, At("2026-01-11T10:00:00Z")).IsStalled(At("2027-01-01T00:00:00Z")));

    [Fact]
    public void MoveTo_NewStage_ResetsStageAge()
    {
        var moved = Deal().MoveTo(OpportunityStage.ResolutionOfConcerns, At("2026-02-01T10:00:00Z"));
        Assert.Equal(OpportunityStage.ResolutionOfConcerns, moved.Stage);
        Assert.Equal(Duration.FromDays(3), moved.StageAge(At("2026-02-04T10:00:00Z")));
    }

    [Fact]
    public void MoveTo_SameStage_Unchanged()
    {
        var deal = Deal();
        Assert.Same(deal, deal.MoveTo(OpportunityStage.EvaluationOfOptions, At("2026-02-01T10:00:00Z")));
    }

    [Fact]
    public void MoveTo_FromLost_Throws() =>
        Assert.Throws<InvalidOperationException>(() =>
            Deal().MoveTo(OpportunityStage.Lost, At("2026-02-01T10:00:00Z")).MoveTo(OpportunityStage.Decision, At("2026-02-02T10:00:00Z")));

    [Fact]
    public void RecordMeeting_OlderMeetingLoggedLate_KeepsLatest()
    {
        var met = Deal().RecordMeeting(At("2026-02-10T10:00:00Z")).RecordMeeting(At("2026-02-01T10:00:00Z"));
        Assert.Equal(At("2026-02-10T10:00:00Z"), met.LastMeetingAt);
    }

    [Fact]
    public void Constructor_NegativeAmount_Throws() =>
        Assert.Throws<ArgumentException>(() => new Opportunity("O-1", "ACME", "X", OpportunityStage.Decision, At("2026-01-10T10:00:00Z"), Eur(-5m)));

    [Theory]
    [InlineData(OpportunityStage.NeedsRecognition, false)]
    [InlineData(OpportunityStage.Decision, false)]
    [InlineData(OpportunityStage.Won, true)]
    [InlineData(OpportunityStage.Lost, true)]
    public void IsClosed_Stage_OnlyWonOrLost(OpportunityStage stage, bool expected) => Assert.Equal(expected, stage.IsClosed());
}
