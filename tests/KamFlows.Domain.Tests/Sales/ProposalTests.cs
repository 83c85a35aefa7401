using KamFlows.Domain.Contacts;
using KamFlows.Domain.Sales;
using static KamFlows.Domain.Tests.TestData;

namespace KamFlows.Domain.Tests.Sales;

public sealed class ProposalTests
{
    private static Proposal Sent() => new(
        "P-7", "ACME", 1, Stamp("2026-03-10T14:00:00+02:00"), Date("2026-03-31"), Eur(120_000m),
        [DmuRole.Finance, DmuRole.Executive, DmuRole.Finance], discountPercent: 5m, opportunityId: "O-3");

    public static TheoryData<ProposalStatus, ProposalStatus, bool> Transitions()
    {
        // The expected table, written out independently of the implementation.
        var allowed = new HashSet<(ProposalStatus, ProposalStatus)>
        {
            (ProposalStatus.Sent, ProposalStatus.Acknowledged),
            (ProposalStatus.Sent, ProposalStatus.MeetingAgreed),
            (ProposalStatus.Sent, ProposalStatus.Accepted),
            (ProposalStatus.Sent, ProposalStatus.Rejected),
            (ProposalStatus.Sent, ProposalStatus.Expired),
            (ProposalStatus.Sent, ProposalStatus.Superseded),
            (ProposalStatus.Acknowledged, ProposalStatus.MeetingAgreed),
            (ProposalStatus.Acknowledged, ProposalStatus.Accepted),
            (ProposalStatus.Acknowledged, ProposalStatus.Rejected),
            (ProposalStatus.Acknowledged, ProposalStatus.Expired),
            (ProposalStatus.Acknowledged, ProposalStatus.Superseded),
            (ProposalStatus.MeetingAgreed, ProposalStatus.MeetingAgreed),
            (ProposalStatus.MeetingAgreed, ProposalStatus.Accepted),
            (ProposalStatus.MeetingAgreed, ProposalStatus.Rejected),
            (ProposalStatus.MeetingAgreed, ProposalStatus.Expired),
            (ProposalStatus.MeetingAgreed, ProposalStatus.Superseded),
            (ProposalStatus.Expired, ProposalStatus.Superseded),
        };
        var data = new TheoryData<ProposalStatus, ProposalStatus, bool>();
        foreach (var from in Enum.GetValues<ProposalStatus>())
        {
            foreach (var to in Enum.GetValues<ProposalStatus>())
            {
                data.Add(from, to, allowed.Contains((from, to)));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public void CanMoveTo_EveryPair_MatchesFollowUpAlgorithm(ProposalStatus from, ProposalStatus to, bool expected) =>
        Assert.Equal(expected, from.CanMoveTo(to));

    [Fact]
    public void Constructor_NewProposal_SentWithRolesDistinctSorted()
    {
        var proposal = Sent();
        Assert.Equal(ProposalStatus.Sent, proposal.Status);
        Assert.Equal(ValueList.Of(DmuRole.Executive, DmuRole.Finance), proposal.AddressedRoles);
        Assert.Null(proposal.MeetingAt);
    }

    [Fact]
    public void Constructor_ValidUntilBeforeSentDate_Throws() =>
        Assert.Throws<ArgumentException>(() => new Proposal("P-1", "ACME", 1, Stamp("2026-03-10T14:00:00+02:00"), Date("2026-03-09"), Eur(1m)));

    [Fact]
    public void Constructor_ValidUntilSentDateInSendersOffset_Allowed()
    {
        // 23:30 in New York is already the next day in UTC; the sender's date counts.
        var proposal = new Proposal("P-1", "ACME", 1, Stamp("2026-03-10T23:30:00-05:00"), Date("2026-03-10"), Eur(1m));
        Assert.Equal(Date("2026-03-10"), proposal.ValidUntil);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(100)]
    public void Constructor_DiscountOutOfRange_Throws(decimal discount) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Proposal("P-1", "ACME", 1, Stamp("2026-03-10T14:00:00+02:00"), Date("2026-03-31"), Eur(1m), discountPercent: discount));

    [Fact]
    public void Constructor_NegativeTotal_Throws() =>
        Assert.Throws<ArgumentException>(() => new Proposal("P-1", "ACME", 1, Stamp("2026-03-10T14:00:00+02:00"), Date("2026-03-31"), Eur(-1m)));

    [Fact]
    public void Constructor_VersionZero_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Proposal("P-1", "ACME", 0, Stamp("2026-03-10T14:00:00+02:00"), Date("2026-03-31"), Eur(1m)));

    [Fact]
    public void FollowUp_AcknowledgedThenMeetingThenAccepted_EndsAccepted()
    {
        var meeting = Stamp("2026-03-17T10:00:00+02:00");
        var proposal = Sent().Acknowledge().AgreeMeeting(meeting);

        Assert.Equal(ProposalStatus.MeetingAgreed, proposal.Status);
        Assert.Equal(meeting, proposal.MeetingAt);
        Assert.Equal(ProposalStatus.Accepted, proposal.Accept().Status);
    }

    [Fact]
    public void AgreeMeeting_AgainWithNewDate_MovesTheMeeting()
    {
        var moved = Sent().AgreeMeeting(Stamp("2026-03-17T10:00:00+02:00")).AgreeMeeting(Stamp("2026-03-19T13:00:00+02:00"));
        Assert.Equal(Stamp("2026-03-19T13:00:00+02:00"), moved.MeetingAt);
    }

    [Fact]
    public void Acknowledge_AfterMeetingAgreed_Unchanged()
    {
        var agreed = Sent().AgreeMeeting(Stamp("2026-03-17T10:00:00+02:00"));
        Assert.Same(agreed, agreed.Acknowledge());
    }

    [Fact]
    public void Reject_AfterAccepted_ThrowsNamingTheStatuses()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Sent().Accept().Reject());
        Assert.Equal("Proposal 'P-7' v1 is Accepted and cannot become Rejected.", ex.Message);
    }

    [Fact]
    public void Expire_OnValidityDate_ThrowsBecauseStillValid() =>
        Assert.Throws<InvalidOperationException>(() => Sent().Expire(Date("2026-03-31")));

    [Fact]
    public void Expire_DayAfterValidity_Expired()
    {
        Assert.False(Sent().IsPastValidity(Date("2026-03-31")));
        Assert.True(Sent().IsPastValidity(Date("2026-04-01")));
        Assert.Equal(ProposalStatus.Expired, Sent().Expire(Date("2026-04-01")).Status);
    }

    [Fact]
    public void ExpiresAt_Helsinki_MidnightStartingTheDayAfterValidityInSummerTime() =>
        Assert.Equal(At("2026-03-31T21:00:00Z"), Sent().ExpiresAt(Helsinki));

    [Fact]
    public void Revise_OpenProposal_OldSupersededNewSentWithHigherVersion()
    {
        var revision = Sent().Acknowledge().Revise(2, Stamp("2026-03-20T09:00:00+02:00"), Date("2026-04-30"), Eur(110_000m), discountPercent: 12m);

        Assert.Equal(ProposalStatus.Superseded, revision.Superseded.Status);
        Assert.Equal(1, revision.Superseded.Version);
        Assert.Equal(ProposalStatus.Sent, revision.Current.Status);
        Assert.Equal(2, revision.Current.Version);
        Assert.Equal(Eur(110_000m), revision.Current.Total);
        Assert.Equal(12m, revision.Current.DiscountPercent);
        Assert.Equal(ValueList.Of(DmuRole.Executive, DmuRole.Finance), revision.Current.AddressedRoles);
        Assert.Equal("O-3", revision.Current.OpportunityId);
    }

    [Fact]
    public void Revise_ExpiredProposal_ReissuedAsNewVersion()
    {
        var revision = Sent().Expire(Date("2026-04-01")).Revise(2, Stamp("2026-04-02T09:00:00+03:00"), Date("2026-04-30"), Eur(1m));
        Assert.Equal(ProposalStatus.Sent, revision.Current.Status);
    }

    [Fact]
    public void Revise_SameVersion_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Sent().Revise(1, Stamp("2026-03-20T09:00:00+02:00"), Date("2026-04-30"), Eur(1m)));

    [Fact]
    public void Revise_AcceptedProposal_Throws() =>
        Assert.Throws<InvalidOperationException>(() => Sent().Accept().Revise(2, Stamp("2026-03-20T09:00:00+02:00"), Date("2026-04-30"), Eur(1m)));

    [Theory]
    [InlineData(ProposalStatus.Sent, true)]
    [InlineData(ProposalStatus.Acknowledged, true)]
    [InlineData(ProposalStatus.MeetingAgreed, true)]
    [InlineData(ProposalStatus.Accepted, false)]
    [InlineData(ProposalStatus.Rejected, false)]
    [InlineData(ProposalStatus.Expired, false)]
    [InlineData(ProposalStatus.Superseded, false)]
    public void IsOpen_Status_OnlyWhileFollowUpRuns(ProposalStatus status, bool expected) => Assert.Equal(expected, status.IsOpen());
}
