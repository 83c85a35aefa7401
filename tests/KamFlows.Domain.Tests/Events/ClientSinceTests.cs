using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
using NodaTime;
using static KamFlows.Domain.Tests.Events.CanonicalEventSamples;

namespace KamFlows.Domain.Tests.Events;

/// <summary><c>client_since</c> on kam.account.upserted: since when the client buys from us (new clients get a closer cadence).</summary>
public sealed class ClientSinceTests
{
    [Fact]
    public void AccountUpserted_ClientSince_IsOptional_ParsedAsADate_AndRoundTrips()
    {
        var without = CanonicalEventParser.Parse(ByType[CanonicalEventTypes.AccountUpserted]);
        Assert.True(without.IsValid, string.Join("; ", without.Errors));
        Assert.Null(((AccountUpserted)without.Event!.Data).ClientSince);

        var parsed = CanonicalEventParser.Parse(With(CanonicalEventTypes.AccountUpserted, "data.client_since", "\"2026-01-15\""));
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors));
        Assert.Equal(new LocalDate(2026, 1, 15), ((AccountUpserted)parsed.Event!.Data).ClientSince);

        var again = CanonicalEventParser.Parse(CanonicalEventJson.Serialize(parsed.Event));
        Assert.Equal(new LocalDate(2026, 1, 15), ((AccountUpserted)again.Event!.Data).ClientSince);
    }

    [Theory]
    [InlineData("\"15.01.2026\"", "data.client_since: must be an ISO 8601 date such as 2026-03-01 (got '15.01.2026')")]
    [InlineData("\"2026-02-30\"", "data.client_since: must be an ISO 8601 date such as 2026-03-01 (got '2026-02-30')")]
    public void AccountUpserted_BadClientSince_NamesTheField(string value, string error)
    {
        var parsed = CanonicalEventParser.Parse(With(CanonicalEventTypes.AccountUpserted, "data.client_since", value));
        Assert.False(parsed.IsValid);
        Assert.Contains(error, parsed.Errors.Select(e => e.ToString()));
    }
}
