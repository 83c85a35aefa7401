using KamFlows.Domain.Events;
using KamFlows.Workflows.AccountCare;

namespace KamFlows.Workflows.Tests;

/// <summary>One rule for "contact with the client": the KAM's dormancy alert and the head's dormant list both use it.</summary>
public sealed class ClientContactTests
{
    private static DateTimeOffset? At(string json) => ClientContact.At(CanonicalEventParser.ParseOrThrow(json));

    [Fact]
    public void ClientContact_MeetingAtItsHeldTime_BookkeepingAndCancelledMeetingsAreNoContact_OtherEventsAtTheirTime()
    {
        Assert.Equal(DateTimeOffset.Parse("2026-03-02T09:30:00+02:00"), At(Ev.MeetingLogged("2026-03-05T10:00:00+02:00", "2026-03-02T09:30:00+02:00")));
        Assert.Equal(DateTimeOffset.Parse("2026-03-02T14:00:00+02:00"), At(Ev.ContractSigned("C-3", "2026-03-02T14:00:00+02:00", "2026-03-01", "2026-12-31")));
        Assert.Equal(DateTimeOffset.Parse("2026-03-02T11:00:00+02:00"), At(Ev.MeetingScheduled("M-1", "2026-03-02T11:00:00+02:00", "2026-03-10T10:00:00+02:00")));
        Assert.Null(At(Ev.MeetingCancelled("M-1", "2026-03-03T11:00:00+02:00")));
        Assert.Null(At(Ev.AccountUpserted("2026-03-02T10:00:00+02:00")));
        Assert.Null(At(Ev.RevenueReported("2026-03-31T10:00:00+03:00", "2026-01-01", "2026-03-31", 310_000m)));
    }
}
