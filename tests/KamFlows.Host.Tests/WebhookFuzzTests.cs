using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using KamFlows.Infrastructure.Intake.Events;
using KamFlows.Infrastructure.Intake.HubSpot;
using Xunit.Abstractions;

namespace KamFlows.Host.Tests;

/// <summary>
/// Mutated bodies and headers (byte flips, insertions, deletions, truncation, duplication, header damage or removal,
/// other media types), at least 1,000 per source, through the real host. Never a 5xx; a refused request writes nothing.
/// Signed sources (events, hubspot) must refuse every mutation. Pipedrive, Bitrix24 and amoCRM do not sign their bodies,
/// so a body mutation that keeps the credentials and still maps is a legitimate request: it may be accepted, and then
/// exactly its events are stored (intake rows = 2 × events accepted), which is what "nothing else is written" means there.
/// </summary>
public sealed class WebhookFuzzTests(ITestOutputHelper output)
{
    private const int MutationsPerSource = 1000;

    private sealed record BaseRequest(string Path, string MediaType, byte[] Body, Dictionary<string, string> Headers);

    [Theory]
    [InlineData("events", true)]
    [InlineData("hubspot", true)]
    [InlineData("pipedrive", false)]
    [InlineData("bitrix24", false)]
    [InlineData("amocrm", false)]
    public async Task Webhook_MutatedRequests_Never5xxAndRefusalsWriteNothing(string source, bool bodyIsSigned)
    {
        await using var host = await KamFlowsTestHost.StartAsync(s => s["KamFlows:Intake:ProcessInBackground"] = "false");
        var random = new Random(source.GetHashCode(StringComparison.Ordinal) ^ 20260302);
        var statuses = new Dictionary<int, int>();
        var acceptedEvents = 0;
        var gate = new SemaphoreSlim(16);
        var tasks = Enumerable.Range(0, MutationsPerSource).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var request = Mutate(Build(source, host.Http.BaseAddress!), random, i);
                using var response = await host.Http.SendAsync(request);
                var status = (int)response.StatusCode;
                lock (statuses)
                {
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                }

                Assert.True(status < 500, $"mutation {i} of {source} answered {status}: {await response.Content.ReadAsStringAsync()}");
                if (bodyIsSigned)
                {
                    Assert.True(status is >= 400 and < 500, $"mutation {i} of signed source {source} was not refused ({status})");
                }

                if (status is 200 or 202)
                {
                    Interlocked.Add(ref acceptedEvents, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
                }
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(tasks);

        output.WriteLine($"{source}: " + string.Join(", ", statuses.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}×{kv.Value}")));
        Assert.Equal(MutationsPerSource, statuses.Values.Sum());
        Assert.Equal(2 * acceptedEvents, await host.CountRowsAsync("Intake"));
        Assert.Equal(0, await host.CountRowsAsync("Accounts") + await host.CountRowsAsync("Timeline") + await host.CountRowsAsync("PersonalData"));
        if (bodyIsSigned)
        {
            Assert.Equal(0, acceptedEvents);
        }
    }

    private static BaseRequest Build(string source, Uri baseAddress)
    {
        var now = DateTimeOffset.UtcNow;
        switch (source)
        {
            case "events":
            {
                var body = Encoding.UTF8.GetBytes(TestEvents.Batch(
                    TestEvents.ProposalSent("fz-1", "ACME", "P-1", now), TestEvents.Account("fz-2", "ACME", now, "Acme")));
                var ts = now.ToUnixTimeSeconds();
                return new BaseRequest("/api/webhooks/events", "application/cloudevents-batch+json", body, new()
                {
                    ["webhook-id"] = "msg_1",
                    ["webhook-timestamp"] = ts.ToString(CultureInfo.InvariantCulture),
                    ["webhook-signature"] = StandardWebhookVerifier.Sign(StandardWebhookVerifier.KeyOf(KamFlowsTestHost.EventsSecret), "msg_1", ts, body),
                });
            }

            case "hubspot":
            {
                var body = Encoding.UTF8.GetBytes(CrmRequests.HubSpotBody(1001, 555, "closedwon"));
                var uri = new Uri(baseAddress, "/api/webhooks/hubspot").ToString();
                var ts = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                return new BaseRequest("/api/webhooks/hubspot", "application/json", body, new()
                {
                    ["X-HubSpot-Request-Timestamp"] = ts,
                    ["X-HubSpot-Signature-v3"] = HubSpotSource.Sign(KamFlowsTestHost.HubSpotSecret, "POST", uri, body, ts),
                });
            }

            case "pipedrive":
                return new BaseRequest("/api/webhooks/pipedrive", "application/json",
                    Encoding.UTF8.GetBytes(CrmRequests.PipedriveBody("8c1f4c1e-7f61-4a53-9d7b-1f1c2d3e4f50", 31, 3, 2)),
                    new() { ["Authorization"] = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(KamFlowsTestHost.PipedriveCredentials)) });
            case "bitrix24":
                return new BaseRequest("/api/webhooks/bitrix24", "application/x-www-form-urlencoded", Encoding.UTF8.GetBytes(CrmRequests.BitrixBody(7, "WON")), []);
            default:
                return new BaseRequest(CrmRequests.AmoPath(), "application/x-www-form-urlencoded", Encoding.UTF8.GetBytes(CrmRequests.AmoBody(25399013, 142)), []);
        }
    }

    private static HttpRequestMessage Mutate(BaseRequest b, Random shared, int i)
    {
        Random random;
        lock (shared)
        {
            random = new Random(shared.Next());
        }

        var body = b.Body.ToList();
        var headers = new Dictionary<string, string>(b.Headers);
        var mediaType = b.MediaType;
        var path = b.Path;
        var operations = 1 + random.Next(3);
        for (var op = 0; op < operations; op++)
        {
            switch (random.Next(9))
            {
                case 0 when body.Count > 0:
                    body[random.Next(body.Count)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    body.Insert(random.Next(body.Count + 1), (byte)random.Next(256));
                    break;
                case 2 when body.Count > 0:
                    body.RemoveAt(random.Next(body.Count));
                    break;
                case 3:
                    body = body.Take(random.Next(body.Count + 1)).ToList();
                    break;
                case 4 when body.Count > 2:
                    var start = random.Next(body.Count - 1);
                    body.InsertRange(start, body.Skip(start).Take(1 + random.Next(Math.Min(40, body.Count - start))).ToList());
                    break;
                case 5 when headers.Count > 0:
                    var key = headers.Keys.ElementAt(random.Next(headers.Count));
                    var chars = headers[key].ToCharArray();
                    chars[random.Next(chars.Length)] = (char)('!' + random.Next(90));
                    headers[key] = new string(chars);
                    break;
                case 6 when headers.Count > 0:
                    headers.Remove(headers.Keys.ElementAt(random.Next(headers.Count)));
                    break;
                case 7:
                    mediaType = new[] { "text/plain", "application/xml", "multipart/form-data", "application/json; charset=utf-16", "application/octet-stream" }[random.Next(5)];
                    break;
                case 8 when path.Contains("token=", StringComparison.Ordinal):
                    path = path[..^1] + (char)('a' + random.Next(26));
                    break;
                default:
                    body.Add((byte)random.Next(256));
                    break;
            }
        }

        // A mutation that left the request byte-identical would not be a mutation: damage one body byte then.
        if (body.SequenceEqual(b.Body) && headers.Count == b.Headers.Count && headers.All(h => b.Headers.TryGetValue(h.Key, out var v) && v == h.Value)
            && mediaType == b.MediaType && path == b.Path)
        {
            body.Add((byte)' ');
            body[i % body.Count] ^= 0x20;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body.ToArray()) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
