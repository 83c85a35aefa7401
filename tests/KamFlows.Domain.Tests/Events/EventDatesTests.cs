using KamFlows.Domain.Events;
using static KamFlows.Domain.Tests.Events.CanonicalEventSamples;

namespace KamFlows.Domain.Tests.Events;

/// <summary>Dates the domain cannot represent are refused where they are read; event times outside the door's limits are named.</summary>
public sealed class EventDatesTests
{
    private const string Range = "is outside the dates KamFlows can represent (1601-01-01 to 9000-12-31)";

    [Theory]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("9999-12-31T23:59:59-01:00")]
    [InlineData("1600-12-31T23:00:00-02:00")]
    public void Parse_EventTimeTheDomainCannotRepresent_RefusedNamingTime(string time)
    {
        var result = CanonicalEventParser.Parse(With(CanonicalEventTypes.ProposalSent, "time", $"\"{time}\""));

        Assert.False(result.IsValid);
        Assert.Equal([$"time: {Range} (got '{time}')"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_ValidUntilInYear9999_RefusedNamingTheDataField()
    {
        var result = CanonicalEventParser.Parse(With(CanonicalEventTypes.ProposalSent, "data.valid_until", "\"9999-12-31\""));

        Assert.Equal([$"data.valid_until: {Range} (got '9999-12-31')"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_DataTimestampInYearZeroInUtc_RefusedNamingTheDataField()
    {
        var result = CanonicalEventParser.Parse(With(CanonicalEventTypes.MeetingLogged, "data.held_at", "\"1601-01-01T00:30:00+01:00\""));

        Assert.Equal([$"data.held_at: {Range} (got '1601-01-01T00:30:00+01:00')"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_DatesOnTheEdgesOfTheRange_Accepted()
    {
        Assert.True(CanonicalEventParser.Parse(With(CanonicalEventTypes.ProposalSent, "data.valid_until", "\"9000-12-31\"")).IsValid);
        Assert.True(CanonicalEventParser.Parse(With(CanonicalEventTypes.MeetingLogged, "data.held_at", "\"1601-01-01T00:00:00Z\"")).IsValid);
        Assert.False(CanonicalEventParser.Parse(With(CanonicalEventTypes.ProposalSent, "data.valid_until", "\"9001-01-01\"")).IsValid);
    }

    [Theory]
    [InlineData("1999-12-31T23:59:59Z", "events[2].time: must not be before 2000-01-01T00:00:00Z (got '1999-12-31T23:59:59Z')")]
    [InlineData("2026-12-06T09:00:01+00:00", "events[2].time: must not be more than 1 day in the future, i.e. after 2026-12-06T09:00:00Z (got '2026-12-06T09:00:01Z')")]
    [InlineData("2200-01-01T00:00:00+02:00", "events[2].time: must not be more than 1 day in the future, i.e. after 2026-12-06T09:00:00Z (got '2200-01-01T00:00:00+02:00')")]
    public void TimeLimits_OutsideFloorOrSkew_ProblemNamesTheEventsTime(string time, string expected)
    {
        var limits = new EventTimeLimits(EventTimeLimits.DefaultEarliest, EventTimeLimits.DefaultMaxFutureSkew);
        var e = CanonicalEventParser.ParseOrThrow(With(CanonicalEventTypes.AccountUpserted, "time", $"\"{time}\""));

        Assert.Equal(expected, limits.Check(e, "events[2]", Instant.FromUtc(2026, 12, 5, 9, 0))?.ToString());
    }

    [Theory]
    [InlineData("2000-01-01T00:00:00Z")]
    [InlineData("2026-12-06T09:00:00Z")]
    [InlineData("2026-12-06T11:00:00+02:00")]
    public void TimeLimits_OnTheEdges_NoProblemAndALoneEventIsNamedTime(string time)
    {
        var limits = new EventTimeLimits(EventTimeLimits.DefaultEarliest, EventTimeLimits.DefaultMaxFutureSkew);
        var e = CanonicalEventParser.ParseOrThrow(With(CanonicalEventTypes.AccountUpserted, "time", $"\"{time}\""));

        Assert.Null(limits.Check(e, string.Empty, Instant.FromUtc(2026, 12, 5, 9, 0)));
        Assert.Equal("time", limits.Check(e, string.Empty, Instant.FromUtc(1990, 1, 1, 0, 0))?.Path);
    }
}
