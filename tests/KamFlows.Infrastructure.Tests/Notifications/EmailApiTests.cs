using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KamFlows.Infrastructure.Notifications;
using KamFlows.Infrastructure.Notifications.Api;
using KamFlows.Infrastructure.Notifications.Digests;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Infrastructure.Notifications.Senders;
using KamFlows.Workflows.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>The email endpoints on a real Kestrel: outbox listing and detail, preferences, signed unsubscribe links.</summary>
public sealed class EmailApiTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Start = EmailTestKit.InHelsinki(2026, 3, 24, 10);

    private readonly string _folder = Directory.CreateTempSubdirectory("kamflows-api-").FullName;
    private EmailTestKit _kit = null!;
    private LocalSinkEmailSender _sink = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _kit = await EmailTestKit.CreateAsync(Start);
        _sink = new LocalSinkEmailSender(_folder, _kit.Options, _kit.Clock);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(_kit.Store).AddSingleton(_kit.Recipients).AddSingleton(_kit.Links).AddSingleton(_kit.Renderer).AddSingleton<IEmailSender>(_sink);
        _app = builder.Build();
        _app.MapEmailApi(new RequireHeaderFilter());
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        _http.DefaultRequestHeaders.Add("X-Test-Key", "open");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Outbox_ListAndDetail_ShowStatusAndTheRenderedMessage()
    {
        await _kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ProposalExpired, "proposal:P-1|expired", Start), default);
        await _kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.DealStalled, "o9|stalled", Start.AddDays(1)), default);
        await _kit.Sender(_sink).SendDueAsync(default);

        var sent = await _http.GetFromJsonAsync<JsonObject>("/api/outbox?status=sent");
        var pending = await _http.GetFromJsonAsync<JsonObject>("/api/outbox?status=Pending&kind=DealStalled");
        var detail = await _http.GetFromJsonAsync<JsonObject>("/api/outbox/" + Uri.EscapeDataString("proposal:P-1|expired"));
        var eml = await _http.GetAsync("/api/outbox/" + Uri.EscapeDataString("proposal:P-1|expired") + "/eml");
        var bad = await _http.GetAsync("/api/outbox?status=Lost");

        var item = Assert.Single(sent!["items"]!.AsArray())!;
        Assert.Equal("proposal:P-1|expired", (string?)item["id"]);
        Assert.Equal("Sent", (string?)item["status"]);
        Assert.Equal("LocalSink", (string?)item["provider"]);
        Assert.Equal("o9|stalled", (string?)Assert.Single(pending!["items"]!.AsArray())!["id"]);
        Assert.Equal("Tarjouksen P-1001 (Acme Oy) voimassaolo on päättynyt", (string?)detail!["rendered"]!["subject"]);
        Assert.Contains("<p>Hei Anna Virtanen,</p>", (string?)detail["rendered"]!["html"]);
        Assert.Equal(_sink.PathFor("proposal:P-1|expired"), (string?)detail["localSinkFile"]);
        Assert.Equal("message/rfc822", eml.Content.Headers.ContentType!.MediaType);
        Assert.Contains("MIME-Version: 1.0", await eml.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/api/outbox/nope")).StatusCode);
    }

    [Fact]
    public async Task Management_WithoutTheKey_IsRefusedButUnsubscribeStillWorks()
    {
        using var anonymous = new HttpClient { BaseAddress = _http.BaseAddress };

        var outbox = await anonymous.GetAsync("/api/outbox");
        var preferences = await anonymous.PutAsJsonAsync("/api/email/recipients/a%40s.example/preferences", new { digest = "off" });
        var unsubscribe = await anonymous.GetAsync("/api/unsubscribe/" + _kit.Links.TokenFor("a@s.example"));

        Assert.Equal(HttpStatusCode.Unauthorized, outbox.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, preferences.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unsubscribe.StatusCode);
    }

    [Fact]
    public async Task Unsubscribe_SignedLink_TurnsOffDigestsAndNonEssentialMail()
    {
        using var anonymous = new HttpClient { BaseAddress = _http.BaseAddress };
        var link = _kit.Links.UrlFor("Anna.Virtanen@supplier.example");

        var page = await anonymous.GetAsync(link.PathAndQuery);
        var oneClick = await anonymous.PostAsync(link.PathAndQuery, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("anna.virtanen@supplier.example no longer receives", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        var recipient = await _kit.Recipients.GetAsync("anna.virtanen@supplier.example", default);
        Assert.True(recipient!.NonEssentialOptOut);
        Assert.Equal(DigestPreference.Off, recipient.Digest);
    }

    [Fact]
    public async Task Unsubscribe_TamperedLink_ChangesNothing()
    {
        using var anonymous = new HttpClient { BaseAddress = _http.BaseAddress };
        var token = _kit.Links.TokenFor("anna.virtanen@supplier.example");
        var otherAddress = _kit.Links.TokenFor("boss@supplier.example").Split('.')[0] + "." + token.Split('.')[1];

        var forged = await anonymous.GetAsync("/api/unsubscribe/" + otherAddress);
        var truncated = await anonymous.GetAsync("/api/unsubscribe/" + token[..^3]);

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, truncated.StatusCode);
        Assert.Null(await _kit.Recipients.GetAsync("boss@supplier.example", default));
        Assert.Null(await _kit.Recipients.GetAsync("anna.virtanen@supplier.example", default));
    }

    [Fact]
    public async Task Recipients_RegisterAndSetPreferences_ScheduleDigests()
    {
        var registered = await _http.PutAsJsonAsync("/api/email/recipients/anna.virtanen%40supplier.example", new
        {
            name = "Anna Virtanen", locale = "fi-FI", timeZone = EmailTestKit.Helsinki, isKam = true, isHead = false, headEmail = "pekka@supplier.example",
        });
        var weekly = await _http.PutAsJsonAsync("/api/email/recipients/anna.virtanen%40supplier.example/preferences", new { digest = "weekly" });
        var invalid = await _http.PutAsJsonAsync("/api/email/recipients/x%40s.example", new { locale = "fi", timeZone = "Mars/Olympus", isKam = true, isHead = false });
        var read = await _http.GetFromJsonAsync<JsonObject>("/api/email/recipients/anna.virtanen%40supplier.example");

        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Equal(EmailTestKit.InHelsinki(2026, 3, 25, 8), (await registered.Content.ReadFromJsonAsync<JsonObject>())!["nextAgendaAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(HttpStatusCode.OK, weekly.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("Mars/Olympus", await invalid.Content.ReadAsStringAsync());
        Assert.Equal("Weekly", (string?)read!["digest"]);
        Assert.Equal(EmailTestKit.InHelsinki(2026, 3, 30, 8), read["nextAgendaAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(["pekka@supplier.example"], read["heads"]!.AsArray().Select(h => (string)h!));
    }

    /// <summary>Stands in for the management API key check: a request without the test header is refused.</summary>
    private sealed class RequireHeaderFilter : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
            context.HttpContext.Request.Headers["X-Test-Key"] == "open" ? await next(context) : Results.Unauthorized();
    }
}
