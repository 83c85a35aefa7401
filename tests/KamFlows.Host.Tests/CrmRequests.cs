using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using KamFlows.Infrastructure.Intake.HubSpot;

namespace KamFlows.Host.Tests;

/// <summary>Valid requests of each CRM, built as the CRM sends them, for the sample mappings in samples/mappings.</summary>
internal static class CrmRequests
{
    public static string HubSpotBody(long eventId, long dealId, string stage, string account = "ACME") => $$"""
        [{"eventId":{{eventId}},"subscriptionId":11,"portalId":62515,"appId":54321,"occurredAt":1772438400000,"subscriptionType":"deal.propertyChange","attemptNumber":0,"objectId":{{dealId}},"changeSource":"CRM","propertyName":"kam_account_id","propertyValue":"{{account}}"},
         {"eventId":{{eventId + 1}},"subscriptionId":12,"portalId":62515,"appId":54321,"occurredAt":1772438400000,"subscriptionType":"deal.propertyChange","attemptNumber":0,"objectId":{{dealId}},"changeSource":"CRM","propertyName":"dealstage","propertyValue":"{{stage}}"}]
        """;

    public static HttpRequestMessage HubSpot(Uri baseAddress, string body, DateTimeOffset? at = null)
    {
        var uri = new Uri(baseAddress, "/api/webhooks/hubspot");
        var bytes = Encoding.UTF8.GetBytes(body);
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        request.Headers.Add("X-HubSpot-Signature-v3", HubSpotSource.Sign(KamFlowsTestHost.HubSpotSecret, "POST", uri.ToString(), bytes, timestamp));
        return request;
    }

    public static string PipedriveBody(string eventId, int dealId, int stage, int previousStage) => $$"""
        {"data":{"id":{{dealId}},"org_id":77,"stage_id":{{stage}},"status":"open","title":"Fleet telematics","custom_fields":{} },
         "previous":{"stage_id":{{previousStage}}},
         "meta":{"action":"change","entity":"deal","entity_id":"{{dealId}}","id":"{{eventId}}","timestamp":"2026-03-02T07:00:00.000Z","version":"2.0","attempt":1,"company_id":"1","type":"general"} }
        """;

    public static HttpRequestMessage Pipedrive(string body, string credentials = KamFlowsTestHost.PipedriveCredentials)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/pipedrive") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return request;
    }

    public static string BitrixBody(int dealId, string stage, string token = KamFlowsTestHost.BitrixToken) =>
        $"event=ONCRMDEALUPDATE&event_handler_id=5&data%5BFIELDS%5D%5BID%5D={dealId}&data%5BFIELDS%5D%5BSTAGE_ID%5D={stage}&data%5BFIELDS%5D%5BCOMPANY_ID%5D=42" +
        $"&ts=1772438400&auth%5Bdomain%5D=acme.bitrix24.ru&auth%5Bmember_id%5D=abc&auth%5Bapplication_token%5D={Uri.EscapeDataString(token)}";

    public static HttpRequestMessage Form(string path, string body) =>
        new(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded") };

    public static string AmoBody(int leadId, int status) =>
        $"leads%5Bstatus%5D%5B0%5D%5Bid%5D={leadId}&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D={status}&leads%5Bstatus%5D%5B0%5D%5Bpipeline_id%5D=3104455" +
        "&leads%5Bstatus%5D%5B0%5D%5Bold_status_id%5D=31000001&leads%5Bstatus%5D%5B0%5D%5Blast_modified%5D=1772438400" +
        "&leads%5Bstatus%5D%5B0%5D%5Bcustom_fields%5D%5B0%5D%5Bid%5D=512345&leads%5Bstatus%5D%5B0%5D%5Bcustom_fields%5D%5B0%5D%5Bvalues%5D%5B0%5D%5Bvalue%5D=9001" +
        "&account%5Bsubdomain%5D=acme&account%5Bid%5D=29085955";

    public static string AmoPath(string token = KamFlowsTestHost.AmoToken) => "/api/webhooks/amocrm?token=" + Uri.EscapeDataString(token);
}
