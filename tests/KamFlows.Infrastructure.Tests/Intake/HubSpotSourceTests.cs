using System.Text;
using KamFlows.Infrastructure.Intake;
using KamFlows.Infrastructure.Intake.HubSpot;
using KamFlows.Infrastructure.Intake.Mapping;

namespace KamFlows.Infrastructure.Tests.Intake;

public sealed class HubSpotSourceTests
{
    private const string Secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1772438400000);

    private static WebhookRequest Request(string uri, byte[] body, string? signature, string timestamp) => new(
        "POST", uri, "application/json", body, Now,
        name => name switch { "X-HubSpot-Signature-v3" => signature, "X-HubSpot-Request-Timestamp" => timestamp, _ => null },
        _ => null);

    private static HubSpotSource Source() => new(Secret, CrmMapping.Load(Samples.Mapping("hubspot")));

    [Fact]
    public void Sign_IsHmacSha256OfMethodUriBodyAndTimestamp_Base64()
    {
        var body = Encoding.UTF8.GetBytes("[]");
        var expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("POSThttps://kam.example/api/webhooks/hubspot?x=1[]1772438400000")));
        Assert.Equal(expected, HubSpotSource.Sign(Secret, "POST", "https://kam.example/api/webhooks/hubspot?x=1", body, "1772438400000"));
    }

    [Fact]
    public void Authenticate_UriWithEncodedCharacters_IsSignedDecoded()
    {
        var body = Encoding.UTF8.GetBytes("[]");
        var signature = HubSpotSource.Sign(Secret, "POST", "https://kam.example/api/webhooks/hubspot?a=b:c", body, "1772438400000");
        Assert.Null(Source().Authenticate(Request("https://kam.example/api/webhooks/hubspot?a=b%3Ac", body, signature, "1772438400000")));
    }

    [Fact]
    public void Authenticate_AnyBodyByteChangedOrOldTimestamp_IsRefused()
    {
        var body = Encoding.UTF8.GetBytes("[{\"eventId\":1}]");
        var ts = Now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = HubSpotSource.Sign(Secret, "POST", "https://kam.example/h", body, ts);
        Assert.Null(Source().Authenticate(Request("https://kam.example/h", body, signature, ts)));
        for (var i = 0; i < body.Length; i++)
        {
            var changed = (byte[])body.Clone();
            changed[i] ^= 0x02;
            Assert.NotNull(Source().Authenticate(Request("https://kam.example/h", changed, signature, ts)));
        }

        var old = Now.AddMinutes(-5).AddMilliseconds(-1).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotNull(Source().Authenticate(Request("https://kam.example/h", body, HubSpotSource.Sign(Secret, "POST", "https://kam.example/h", body, old), old)));
    }

    [Fact]
    public void Read_DealStageAndAccountPropertyInOneRequest_MapsToOneStageChangedEvent()
    {
        var body = Encoding.UTF8.GetBytes("""
            [{"eventId":10,"portalId":62515,"subscriptionType":"deal.propertyChange","objectId":555,"occurredAt":1772438400000,"propertyName":"kam_account_id","propertyValue":"ACME"},
             {"eventId":11,"portalId":62515,"subscriptionType":"deal.propertyChange","objectId":555,"occurredAt":1772438400000,"propertyName":"dealstage","propertyValue":"contractsent"}]
            """);

        var result = Source().Read(Request("u", body, null, "0"));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var e = Assert.Single(result.Events);
        Assert.Equal("kam.opportunity.stage_changed", e.Type);
        Assert.Equal("ACME", e.AccountId);
        Assert.StartsWith("hubspot-", e.Id, StringComparison.Ordinal);
        Assert.Equal(1, result.Ignored);
        Assert.Equal(e.Id, Source().Read(Request("u", body, null, "0")).Events[0].Id); // a retry maps to the same id
    }

    [Theory]
    [InlineData("{}", "$")]
    [InlineData("[]", "$")]
    [InlineData("[1]", "events[0]")]
    [InlineData("[{\"eventId\":1,\"portalId\":2,\"subscriptionType\":\"deal.creation\",\"occurredAt\":1}]", "events[0].objectId")]
    public void Read_MalformedBodies_NameTheProblem(string json, string path)
    {
        var result = Source().Read(Request("u", Encoding.UTF8.GetBytes(json), null, "0"));
        Assert.Equal(path, Assert.Single(result.Errors).Path);
    }
}
