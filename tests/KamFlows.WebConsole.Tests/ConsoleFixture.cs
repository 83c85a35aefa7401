// One real local host for the console's tests: HostComposition with the real KAM workflows, on a free loopback port,
// against the test run's Azurite in a task hub of its own, seeded through the signed webhook like a CRM would. One
// headless Chromium (Playwright) shared by the tests; each test opens its own browser context (own cookies).
using System.Globalization;
using KamFlows.Host.Tests;
using KamFlows.Testing;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KamFlows.WebConsole.Tests;

[CollectionDefinition(Name)]
public sealed class ConsoleTestGroup : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}

public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string Anna = "anna@kamflows.example";
    public const string Boris = "boris@kamflows.example";
    public const string Hanna = "hanna@kamflows.example";
    public const string Operator = "operator@kamflows.example";
    public const string ScriptName = "<script>alert('xss')</script> Virtanen";

    private KamFlowsTestHost? _host;
    private IPlaywright? _playwright;

    public Uri Address { get; private set; } = null!;

    /// <summary>The host's endpoints with the management API key.</summary>
    public HttpClient Api => _host!.Management;
    public IServiceProvider Services => _host!.Services;
    public DurableTaskClient Workflows => Services.GetRequiredService<DurableTaskClient>();
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The deadline of delivery D-2 of A-2, scheduled and not completed yet.</summary>
    public DateOnly DeliveryDueOn { get; private set; }

    /// <summary>Screenshots of every page land here (the test output folder), for the run's artifacts.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        // The browser first: without one, every test fails with the reason instead of a later, vaguer error.
        var chromium = Chromium.Path;
        Assertions.SetDefaultExpectTimeout(60_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // This machine's closed network refuses Chromium's background connections: keep it from making them.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        Directory.CreateDirectory(ScreenshotFolder);

        // The host the host tests start (KamFlowsTestHost.cs, compiled in here too), with the real workflows.
        _host = await KamFlowsTestHost.StartAsync(settings =>
        {
            settings["KamFlows:Storage:TaskHub"] = Names.TaskHub("c");
            settings["KamFlows:Email:LocalSinkFolder"] = Path.Combine(Path.GetTempPath(), "kamflows-console-tests", Guid.NewGuid().ToString("N"));
        }, recordWorkflows: false);
        Address = _host.Http.BaseAddress!;
        await SeedAsync();
    }

    /// <summary>A fresh browser context (own cookies) signed in as one person with one role, reading in one language.</summary>
    public async Task<IPage> SignInAsync(string email, string role, string language = "en", string? name = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Address.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "en-GB" });
        await context.AddCookiesAsync([new Cookie { Name = "kamflows.lang", Value = language, Url = Address.ToString() }]);
        // Generous deadlines: the machine is shared and loaded; a wait ends as soon as its condition holds.
        context.SetDefaultTimeout(120_000);
        context.SetDefaultNavigationTimeout(120_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/signin");
        var form = page.Locator("form:has(input[name=email][type=email])");
        await form.Locator("input[name=email]").FillAsync(email);
        await form.Locator("input[name=name]").FillAsync(name ?? email.Split('@')[0]);
        await form.Locator("select[name=role]").SelectOptionAsync(role);
        await form.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    private async Task SeedAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var quarterStart = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1).AddMonths(-3);
        var quarterEnd = quarterStart.AddMonths(3).AddDays(-1);
        var events = new List<string>
        {
            Account("A-1", "Nordic Steel Oy", Anna, "Anna Virtanen", "Europe/Helsinki", "fi", ["expert", "image_maker"], ["personal", "value"], now.AddDays(-30)),
            Account("A-2", "Baltic Foods AS", Boris, "Boris Petrov", "Europe/Sofia", "bg", ["prospective"], ["brand"], now.AddDays(-30)),
            Account("A-3", "Sofia Logistics", Anna, "Anna Virtanen", "Europe/Helsinki", "fi", [], ["information_and_control"], now.AddDays(-30)),
            Account("A-4", "Small Client Oy", Boris, "Boris Petrov", "Europe/Sofia", "bg", [], [], now.AddDays(-30), isKey: false),
            Account("A-5", "Volga Trade", Boris, "Boris Petrov", "Europe/Moscow", "ru", [], ["zero_choice"], now.AddDays(-30)),
        };
        var revenue = new (string Id, decimal Amount)[] { ("A-1", 500_000m), ("A-2", 250_000m), ("A-3", 120_000m), ("A-4", 300_000m), ("A-5", 30_000m) };
        events.AddRange(revenue.Select(r => Envelope("kam.revenue.reported", now.AddDays(-20), $$"""
            {"account_id":"{{r.Id}}","period_start":"{{quarterStart:yyyy-MM-dd}}","period_end":"{{quarterEnd:yyyy-MM-dd}}","revenue":{"amount":{{r.Amount.ToString(CultureInfo.InvariantCulture)}},"currency":"EUR"} }
            """)));
        events.Add(Envelope("kam.contact.upserted", now.AddDays(-25), $$"""
            {"contact_id":"C-1","account_id":"A-1","name":"{{ScriptName}}","role":"finance","influence":"high","attitude":"sceptic","job_title":"CFO",
             "email":"c1@client.example","phone":"+358 40 123 4567","personal_data":{"birthday":"1975-04-12","hobbies":["sailing"],"values":["punctuality"]} }
            """));
        events.Add(Envelope("kam.contact.upserted", now.AddDays(-25), """
            {"contact_id":"C-2","account_id":"A-1","name":"Mika Korhonen","role":"executive","influence":"high","attitude":"supporter","job_title":"CEO","email":"mika@client.example"}
            """));
        events.Add(Envelope("kam.contact.upserted", now.AddDays(-25), """
            {"contact_id":"C-3","account_id":"A-1","name":"Erkki Erased","role":"technical","influence":"medium","attitude":"neutral","email":"erkki@client.example","personal_data":{"birthday":"1980-01-02","hobbies":["fishing"]}}
            """));
        events.Add(Envelope("kam.contact.erased", now.AddDays(-24), """{"contact_id":"C-3","account_id":"A-1","reason":"request"}"""));
        events.Add(Envelope("kam.contact.upserted", now.AddDays(-25), """
            {"contact_id":"C-9","account_id":"A-2","name":"Georgi Ivanov","role":"executive","influence":"high","attitude":"neutral","email":"georgi@client.example"}
            """));
        events.Add(Envelope("kam.opportunity.upserted", now.AddDays(-60), """
            {"account_id":"A-1","opportunity_id":"O-1","name":"Rolling mill upgrade","stage":"evaluation_of_options","amount":{"amount":300000,"currency":"EUR"},"expected_close_date":"2027-12-31"}
            """));
        // Sent just now and reported at once, as a CRM's webhook does: the follow-up plans its call to confirm receipt for
        // the next business day. (Dated days back, the event would be late: the call's time would have passed more than a
        // business day ago and it would be recorded as missed while catching up, issue 13, not planned.)
        events.Add(Envelope("kam.proposal.sent", now, $$"""
            {"proposal_id":"P-1","account_id":"A-1","total":{"amount":120000,"currency":"EUR"},"valid_until":"{{today.AddDays(20):yyyy-MM-dd}}","addressed_roles":["finance"]}
            """));
        events.Add(Envelope("kam.tender.announced", now.AddDays(-10), $$"""
            {"account_id":"A-1","tender_id":"T-1","title":"Steel supply 2027-2029","tender_date":"{{today.AddDays(200):yyyy-MM-dd}}"}
            """));
        events.Add(Envelope("kam.delivery.completed", now.AddDays(-3), """{"account_id":"A-2","delivery_id":"D-1","on_time":true,"expectations_met":true}"""));
        DeliveryDueOn = today.AddDays(40);
        events.Add(Envelope("kam.delivery.scheduled", now, $$"""{"account_id":"A-2","delivery_id":"D-2","due_on":"{{DeliveryDueOn:yyyy-MM-dd}}"}"""));

        foreach (var body in events)
        {
            using var response = await _host!.PostEventsAsync(body);
            if ((int)response.StatusCode is not (200 or 202))
            {
                throw new InvalidOperationException($"Seeding failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()} for {body}");
            }
        }

        // An older proposal's call task still open two days after it was due, as its workflow leaves a fired task in the plan
        // until the CRM shows it done. Written to the projection directly: no event sent now can make a task two days overdue.
        await Services.GetRequiredService<IUpcomingActions>().ReplacePlanAsync("proposal:P-0", "A-3", Anna,
            [new PlannedAction(nameof(NotificationKind.ProposalCallToConfirmReceipt), now.AddDays(-2), Anna, "Call Sofia Logistics to confirm receipt of proposal P-0 v1")], CancellationToken.None);

        // Mail as a workflow's activity stores it (through the outbox port): one for later, one due now that the sender delivers.
        var outbox = Services.GetRequiredService<INotificationOutbox>();
        foreach (var (id, email, name, zone, sendAt) in new[] { ("console-test|later", Anna, "Anna Virtanen", "Europe/Helsinki", now.AddDays(2)), ("console-test|now", Boris, "Boris Petrov", "Europe/Sofia", now.AddMinutes(-1)) })
        {
            await outbox.EnqueueAsync(new NotificationRequest
            {
                NotificationId = id, Kind = NotificationKind.ProposalCallToConfirmReceipt, Recipient = new NotificationRecipient(email, name, "en", zone, RecipientRole.Kam),
                SendAt = sendAt, AccountId = "A-1", SourceKey = "proposal:P-1", Fields = NotificationCatalog.For(NotificationKind.ProposalCallToConfirmReceipt).SampleFields,
            }, CancellationToken.None);
        }

        // Seeded when the workflows have planned what comes next for A-1 (the proposal's call ahead, the tender's milestones)
        // and its proposal's follow-up runs.
        var upcoming = Services.GetRequiredService<IUpcomingActions>();
        await Eventually.WaitUntilAsync(async () =>
            (await upcoming.ForAccountAsync("A-1", now.AddDays(-60), now.AddDays(400), CancellationToken.None)).Any(a => a.SourceKey == "proposal:P-1"
                && a.Action.Kind == nameof(NotificationKind.ProposalCallToConfirmReceipt) && a.Action.DueAt > now)
            && (await upcoming.ForAccountAsync("A-1", now.AddDays(-60), now.AddDays(400), CancellationToken.None)).Any(a => a.SourceKey == "tender:T-1")
            && await Workflows.GetInstanceAsync("proposal:P-1") is { RuntimeStatus: OrchestrationRuntimeStatus.Running }
            && await Workflows.GetInstanceAsync("account:A-2") is { RuntimeStatus: OrchestrationRuntimeStatus.Running },
            TimeSpan.FromMinutes(3), "the seeded workflows planned their actions");
    }

    private static string Envelope(string type, DateTimeOffset time, string data) =>
        $$"""{"specversion":"1.0","id":"{{Guid.NewGuid():N}}","source":"/console-tests","type":"{{type}}","time":"{{time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)}}","data":{{data}}}""";

    private static string Account(string id, string name, string kam, string kamName, string zone, string locale, string[] groups, string[] bonds, DateTimeOffset time, bool isKey = true) =>
        Envelope("kam.account.upserted", time, $$"""
            {"account_id":"{{id}}","name":"{{name}}","currency":"EUR","groups":[{{string.Join(",", groups.Select(g => "\"" + g + "\""))}}],"bonds":[{{string.Join(",", bonds.Select(b => "\"" + b + "\""))}}],
             "is_key_account":{{(isKey ? "true" : "false")}},
             "kam":{"email":"{{kam}}","name":"{{kamName}}","time_zone":"{{zone}}","locale":"{{locale}}"},
             "head":{"email":"{{Hanna}}","name":"Hanna Head","time_zone":"Europe/Helsinki","locale":"en"} }
            """);

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
