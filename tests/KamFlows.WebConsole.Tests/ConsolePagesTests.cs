// What a person sees in a real Chromium: each page in each language with the seeded data, times in the viewer's zone
// (named), the Pareto chart against the portfolio API, who may see what, the operator's controls, escaping.
using System.Globalization;
using System.Text.Json;
using KamFlows.Domain.Portfolio;
using KamFlows.Infrastructure.Timeline;
using KamFlows.Testing;
using KamFlows.WebConsole.Pages;
using KamFlows.WebConsole.Web;
using KamFlows.Workflows.Notifications;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace KamFlows.WebConsole.Tests;

[Collection(ConsoleTestGroup.Name)]
public sealed class ConsolePagesTests(ConsoleFixture console)
{
    public static TheoryData<string> Languages => new() { "en", "ru", "fi", "bg" };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task EveryPage_RendersSeededData_InTheViewersLanguageAndZone(string language)
    {
        var head = await console.SignInAsync(ConsoleFixture.Hanna, "head", language, "Hanna Head");
        await ExpectPageAsync(head, "/console/portfolio", language, "portfolio", "Europe/Helsinki", "portfolio-" + language);
        await Expect(head.Locator("svg.pareto circle.point")).ToHaveCountAsync(5);
        // Anna's open overdue task and her proposal without follow-up, as the weekly report counts them.
        await Expect(head.Locator("table.kams tr:has-text('anna@kamflows.example') td:nth-child(3)")).ToHaveTextAsync("1");
        await Expect(head.Locator("table.kams tr:has-text('anna@kamflows.example') td:nth-child(5)")).ToHaveTextAsync("1");
        await ExpectPageAsync(head, "/console/accounts", language, "accounts", "Europe/Helsinki", "accounts-" + language);
        await Expect(head.GetByRole(AriaRole.Link, new() { Name = "Nordic Steel Oy" })).ToBeVisibleAsync();
        await ExpectPageAsync(head, "/console/accounts/A-1", language, null, "Europe/Helsinki", "account-" + language, "Nordic Steel Oy");
        await Expect(head.Locator("main")).ToContainTextAsync("Mika Korhonen");
        await Expect(head.Locator("main")).ToContainTextAsync("Steel supply 2027-2029");
        await Expect(head.Locator("main")).ToContainTextAsync("P-1 v1");
        await Expect(head.Locator("table.planned")).ToContainTextAsync("Europe/Helsinki");
        await ExpectPageAsync(head, "/console/email", language, "email", "Europe/Helsinki", "email-" + language);
        await Expect(head.Locator("table.outbox tbody tr").First).ToBeVisibleAsync();
        await head.Locator("table.outbox a").First.ClickAsync();
        await Expect(head.Locator("iframe.preview")).ToBeVisibleAsync();
        await ConsoleFixture.ScreenshotAsync(head, "email-preview-" + language);

        var kam = await console.SignInAsync(ConsoleFixture.Anna, "kam", language, "Anna Virtanen");
        await ExpectPageAsync(kam, "/console/week", language, "my_week", "Europe/Helsinki", "week-" + language);
        // Her week across her accounts: Sofia Logistics' overdue call first, then, in the days ahead, the call the follow-up
        // planned for the proposal just sent to Nordic Steel Oy.
        await Expect(kam.Locator("section.overdue h2")).ToContainTextAsync(Strings.Get(language, "overdue") + " (1)");
        await Expect(kam.Locator("section.overdue")).ToContainTextAsync("proposal P-0");
        await Expect(kam.Locator("section.overdue")).ToContainTextAsync("Sofia Logistics");
        var call = kam.Locator("section.day tr").Filter(new() { HasText = "proposal:P-1" }).Filter(new() { HasText = Strings.Get(language, "kind_ProposalCallToConfirmReceipt") });
        await Expect(call).ToHaveCountAsync(1);
        await Expect(call).ToContainTextAsync("Nordic Steel Oy");
        await Expect(kam.Locator("main section").First).ToHaveClassAsync("overdue");

        var op = await console.SignInAsync(ConsoleFixture.Operator, "operator", language, "Olli Operator");
        await ExpectPageAsync(op, "/console/workflows", language, "workflows", "UTC", "workflows-" + language);
        await Expect(op.Locator("tr[data-instance='proposal:P-1']")).ToBeVisibleAsync();
        await ExpectPageAsync(op, "/console/workflows/proposal:P-1", language, null, "UTC", "workflow-" + language, "proposal:P-1");
        await Expect(op.Locator("main")).ToContainTextAsync("ExecutionStarted");
        await Expect(op.Locator("main")).ToContainTextAsync("ProposalFollowUp");
        await head.Context.CloseAsync();
        await kam.Context.CloseAsync();
        await op.Context.CloseAsync();
    }

    [Fact]
    public async Task ParetoChart_PointsAreThePortfolioFigures()
    {
        using var response = await console.Api.GetAsync("/api/portfolio");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var expected = json.RootElement.GetProperty("accounts").EnumerateArray()
            .Select(a => (Id: a.GetProperty("accountId").GetString()!, Rank: a.GetProperty("share").GetProperty("rank").GetInt32(), Cumulative: a.GetProperty("share").GetProperty("cumulativeShare").GetDecimal()))
            .OrderBy(a => a.Rank).ToList();
        var keyShare = json.RootElement.GetProperty("keyAccountShare").GetDecimal();

        var head = await console.SignInAsync(ConsoleFixture.Hanna, "head");
        await head.GotoAsync("/console/portfolio");
        var points = await head.Locator("svg.pareto circle.point").EvaluateAllAsync<PointAttributes[]>(
            "els => els.map(e => ({ account: e.dataset.account, rank: +e.dataset.rank, cumulative: e.dataset.cumulative, cx: +e.getAttribute('cx'), cy: +e.getAttribute('cy') }))");

        Assert.Equal(5, expected.Count);
        Assert.Equal(expected.Count, points.Length);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Id, points[i].Account);
            Assert.Equal(expected[i].Rank, points[i].Rank);
            Assert.Equal(decimal.Round(expected[i].Cumulative, 4), decimal.Parse(points[i].Cumulative, CultureInfo.InvariantCulture));
            Assert.Equal(Charts.ParetoY(expected[i].Cumulative), points[i].Cy, 1);
            Assert.Equal(Charts.ParetoX(expected[i].Rank, expected.Count), points[i].Cx, 1);
        }

        // The last point reaches 100 %; the curve never falls; the largest account (A-1, 500k of 1.2M) is first.
        Assert.Equal(1.0000m, decimal.Parse(points[^1].Cumulative, CultureInfo.InvariantCulture));
        Assert.Equal("A-1", points[0].Account);
        Assert.Equal(Charts.ParetoY(new PortfolioOptions().ClassACumulativeShare), double.Parse(await head.Locator("svg.pareto line.line80").GetAttributeAsync("y1") ?? "0", CultureInfo.InvariantCulture), 1);
        Assert.Equal(decimal.Round(keyShare, 4), decimal.Parse(await head.Locator("svg.keyshare path.marker").GetAttributeAsync("data-share") ?? "-1", CultureInfo.InvariantCulture));
        await head.Context.CloseAsync();
    }

    [Fact]
    public async Task Portfolio_ShowsTheAbcBands_TheKeyShareBandAndMonoLine_TheFourGroups_Warnings_AndEachKamsAccountsAndPipeline()
    {
        var head = await console.SignInAsync(ConsoleFixture.Hanna, "head");
        await head.GotoAsync("/console/portfolio");

        // A band behind the curve for each class the shares table gives.
        var classes = (await head.Locator("table.shares tbody td:last-child").AllInnerTextsAsync()).Distinct().ToList();
        Assert.Contains("A", classes);
        Assert.Equal(classes.Count, await head.Locator("svg.pareto rect[data-class]").CountAsync());
        foreach (var band in classes)
        {
            Assert.Equal(1, await head.Locator($"svg.pareto rect[data-class='{band}']").CountAsync());
        }

        // The typical 30–55 % band and the 75 % mono-dependence line.
        await Expect(head.Locator("svg.keyshare rect.typical")).ToHaveCountAsync(1);
        await Expect(head.Locator("svg.keyshare line.line75")).ToHaveCountAsync(1);
        await Expect(head.Locator("svg.keyshare")).ToContainTextAsync("30 %–55 %");
        await Expect(head.Locator("svg.keyshare")).ToContainTextAsync("75 %");
        await Expect(head.Locator(".card[data-group]")).ToHaveCountAsync(4);
        // Nordic Steel Oy has 500k of 1.2M (over a quarter of the revenue): named in a warning.
        await Expect(head.Locator("ul.warnings li.warning").Filter(new() { HasText = "Nordic Steel Oy" })).Not.ToHaveCountAsync(0);
        // Anna: two accounts, the open opportunity O-1 of 300,000 EUR; Boris: three accounts, no opportunity.
        var anna = head.Locator("table.kams tr:has-text('anna@kamflows.example')");
        await Expect(anna.Locator("td:nth-child(2)")).ToHaveTextAsync("2");
        await Expect(anna.Locator("td:nth-child(6)")).ToHaveTextAsync("300,000 EUR");
        var boris = head.Locator("table.kams tr:has-text('boris@kamflows.example')");
        await Expect(boris.Locator("td:nth-child(2)")).ToHaveTextAsync("3");
        await Expect(boris.Locator("td:nth-child(6)")).ToHaveTextAsync("0 EUR");
        await head.Context.CloseAsync();
    }

    [Fact]
    public async Task Account_ShowsTheSevenBonds_TheProposalsCountdown_AndTheTendersMilestonesFromT270ToT()
    {
        var head = await console.SignInAsync(ConsoleFixture.Hanna, "head");
        await head.GotoAsync("/console/accounts/A-1");

        await Expect(head.Locator("section.profile .tag[title]")).ToHaveCountAsync(Enum.GetValues<KamFlows.Domain.Accounts.BondKind>().Length);
        await Expect(head.Locator("section.profile .tag.on[title]")).ToHaveCountAsync(2);
        // P-1 is valid for 20 days from today in UTC (19 from the head's Helsinki date late in a UTC day).
        var countdown = await head.Locator("[data-countdown]").GetAttributeAsync("data-countdown");
        Assert.Contains(countdown, new[] { "19", "20" });
        var milestones = KamFlows.Workflows.Tenders.TenderPreparationOptions.DefaultMilestones;
        await Expect(head.Locator("svg.milestones circle")).ToHaveCountAsync(milestones.Count);
        await Expect(head.Locator("svg.milestones")).ToContainTextAsync("T−270");
        await head.Context.CloseAsync();
    }

    [Fact]
    public async Task Account_ScheduledDeliveryNotCompleted_ShowsItsDeadline_NotAsLate()
    {
        var head = await console.SignInAsync(ConsoleFixture.Hanna, "head");
        await head.GotoAsync("/console/accounts/A-2");

        var due = new NodaTime.LocalDate(console.DeliveryDueOn.Year, console.DeliveryDueOn.Month, console.DeliveryDueOn.Day)
            .ToString("d MMM uuuu", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
        // The deliveries table's row (what fires next and the timeline mention D-2 too, further along their rows).
        var row = head.Locator("tr").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^" + Strings.Get("en", "delivery") + " D-2") });
        await Expect(row).ToContainTextAsync(Strings.Get("en", "delivery_due_on").Replace("{0}", due, StringComparison.Ordinal));
        await Expect(row.Locator("td.ok")).ToHaveTextAsync(Strings.Get("en", "open"));
        await Expect(row).Not.ToContainTextAsync(Strings.Get("en", "expectations_not_met")); // Not done yet: nothing to judge.
        await head.Context.CloseAsync();
    }

    [Fact]
    public async Task Workflows_FilteredByStatusAndWorkflow_ListOnlyThoseInstances()
    {
        var op = await console.SignInAsync(ConsoleFixture.Operator, "operator");
        await op.GotoAsync("/console/workflows?status=Running&workflow=ProposalFollowUp");

        var listed = await op.Locator("tr[data-instance]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.instance)");
        Assert.Contains("proposal:P-1", listed);
        Assert.All(listed, id => Assert.StartsWith("proposal:", id, StringComparison.Ordinal));
        Assert.All(await op.Locator("tr[data-instance] td.status").AllInnerTextsAsync(), status => Assert.Equal(Strings.Get("en", "status_Running"), status));
        await op.Context.CloseAsync();
    }

    [Fact]
    public async Task Email_AKamSeesHerOwnMailAndDigestPreference_TheHeadSeesEveryonesPreference()
    {
        var anna = await console.SignInAsync(ConsoleFixture.Anna, "kam");
        await anna.GotoAsync("/console/email");
        await Expect(anna.Locator("select[name=digest]")).ToHaveCountAsync(1);
        await Expect(anna.Locator("table.outbox")).ToContainTextAsync(ConsoleFixture.Anna);
        await Expect(anna.Locator("table.outbox")).Not.ToContainTextAsync(ConsoleFixture.Boris);
        await Expect(anna.Locator("table.recipients")).ToHaveCountAsync(0);

        var head = await console.SignInAsync(ConsoleFixture.Hanna, "head");
        await head.GotoAsync("/console/email");
        await Expect(head.Locator("table.recipients")).ToContainTextAsync(ConsoleFixture.Anna);
        await Expect(head.Locator("table.recipients")).ToContainTextAsync(ConsoleFixture.Boris);
        await anna.Context.CloseAsync();
        await head.Context.CloseAsync();
    }

    [Fact]
    public async Task Email_FilteredByARecipientWithAPlus_EveryPageKeepsTheFilter()
    {
        // More than a page of mail for one address with a "+" (a space once a query decodes it unescaped), due later so none is sent.
        const string recipient = "paging+kam@supplier.example";
        var outbox = console.Services.GetRequiredService<INotificationOutbox>();
        var later = DateTimeOffset.UtcNow.AddDays(30);
        for (var i = 0; i < 55; i++)
        {
            await outbox.EnqueueAsync(new NotificationRequest
            {
                NotificationId = "console-paging|" + i.ToString("D2", CultureInfo.InvariantCulture),
                Kind = NotificationKind.ProposalCallToConfirmReceipt,
                Recipient = new NotificationRecipient(recipient, "Paging Test", "en", "Europe/Helsinki", RecipientRole.Kam),
                SendAt = later.AddMinutes(i), AccountId = "A-1", SourceKey = "proposal:P-1",
                Fields = NotificationCatalog.For(NotificationKind.ProposalCallToConfirmReceipt).SampleFields,
            }, CancellationToken.None);
        }

        var head = await console.SignInAsync(ConsoleFixture.Hanna, "head");
        await head.GotoAsync("/console/email?recipient=" + Uri.EscapeDataString(recipient));
        var seen = new List<string>();
        for (var pages = 0; pages < 10; pages++)
        {
            var rows = await head.Locator("table.outbox tbody tr").AllInnerTextsAsync();
            Assert.All(rows, row => Assert.Contains(recipient, row, StringComparison.Ordinal)); // Nobody else's mail on any page.
            seen.AddRange(rows);
            var next = head.Locator("a.button", new() { HasText = Strings.Get("en", "next_page") });
            if (await next.CountAsync() == 0)
            {
                break;
            }

            await next.ClickAsync();
        }

        Assert.Equal(55, seen.Count);
        await head.Context.CloseAsync();
    }

    [Fact]
    public async Task Kam_CannotOpenAnotherKamsAccount_AndSeesNoActionButtons()
    {
        var boris = await console.SignInAsync(ConsoleFixture.Boris, "kam", "en", "Boris Petrov");

        var other = await boris.GotoAsync("/console/accounts/A-1");
        Assert.Equal(403, other!.Status);
        await Expect(boris.Locator("main")).ToContainTextAsync(Strings.Get("en", "forbidden_text"));
        await Expect(boris.Locator("main")).Not.ToContainTextAsync("Nordic Steel");
        Assert.Equal(403, (await boris.GotoAsync("/console/portfolio"))!.Status);
        Assert.Equal(403, (await boris.GotoAsync("/console/workflows"))!.Status);
        Assert.Equal(403, (await boris.GotoAsync("/console/workflows/account:A-2/suspend"))!.Status);

        var own = await boris.GotoAsync("/console/accounts/A-2");
        Assert.Equal(200, own!.Status);
        await Expect(boris.Locator("h1")).ToHaveTextAsync("Baltic Foods AS");
        await Expect(boris.Locator("main")).ToContainTextAsync("account:A-2");
        await ConsoleFixture.ScreenshotAsync(boris, "account-as-kam");
        Assert.Equal(0, await boris.Locator("main button").CountAsync());
        Assert.Equal(0, await boris.Locator("main a[href*='/workflows/']").CountAsync());
        foreach (var action in WorkflowsPage.Actions)
        {
            Assert.Equal(0, await boris.GetByText(Strings.Get("en", "action_" + action), new() { Exact = true }).CountAsync());
        }

        var list = await boris.GotoAsync("/console/accounts");
        await Expect(boris.Locator("table.accounts")).ToContainTextAsync("Baltic Foods AS");
        await Expect(boris.Locator("table.accounts")).Not.ToContainTextAsync("Nordic Steel Oy");
        Assert.Equal(200, list!.Status);
        await boris.Context.CloseAsync();
    }

    [Fact]
    public async Task Operator_SuspendsAndResumesAnInstanceFromThePage_StatusChangesAndTheTimelineSaysWho()
    {
        const string instance = "account:A-2";
        var op = await console.SignInAsync(ConsoleFixture.Operator, "operator", "en", "Olli Operator");
        await op.GotoAsync("/console/workflows?account=A-2");
        await op.GetByRole(AriaRole.Link, new() { Name = instance, Exact = true }).ClickAsync();
        await Expect(op.Locator("td.status")).ToHaveAttributeAsync("data-status", "Running");

        await op.GetByRole(AriaRole.Link, new() { Name = "Suspend", Exact = true }).ClickAsync();
        await Expect(op.Locator("main")).ToContainTextAsync(Strings.Get("en", "confirm_suspend").Replace("{0}", instance, StringComparison.Ordinal));
        await Expect(op.Locator("main")).ToContainTextAsync("A-2");
        await ConsoleFixture.ScreenshotAsync(op, "workflow-confirm-suspend");
        await op.Locator("input[name=reason]").FillAsync("checking the delivery data");
        await op.GetByRole(AriaRole.Button, new() { Name = "Suspend", Exact = true }).ClickAsync();
        await op.WaitForURLAsync(url => url.Contains("done=suspend", StringComparison.Ordinal));
        await Eventually.WaitUntilAsync(async () => (await console.Workflows.GetInstanceAsync(instance))?.RuntimeStatus == OrchestrationRuntimeStatus.Suspended,
            what: "the instance is suspended");
        await op.GotoAsync("/console/workflows/" + Uri.EscapeDataString(instance));
        await Expect(op.Locator("td.status")).ToHaveAttributeAsync("data-status", "Suspended");
        await ConsoleFixture.ScreenshotAsync(op, "workflow-suspended");

        await op.GetByRole(AriaRole.Link, new() { Name = "Resume", Exact = true }).ClickAsync();
        await op.GetByRole(AriaRole.Button, new() { Name = "Resume", Exact = true }).ClickAsync();
        await op.WaitForURLAsync(url => url.Contains("done=resume", StringComparison.Ordinal));
        await Eventually.WaitUntilAsync(async () => (await console.Workflows.GetInstanceAsync(instance))?.RuntimeStatus == OrchestrationRuntimeStatus.Running,
            what: "the instance runs again");
        await op.GotoAsync("/console/workflows/" + Uri.EscapeDataString(instance));
        await Expect(op.Locator("td.status")).ToHaveAttributeAsync("data-status", "Running");

        var timeline = await console.Services.GetRequiredService<TimelineStore>().ReadAsync("A-2", null, 1000, CancellationToken.None);
        Assert.Contains(timeline, e => e.Kind == "console.suspend" && e.Summary.Contains(ConsoleFixture.Operator, StringComparison.Ordinal) && e.Summary.Contains("checking the delivery data", StringComparison.Ordinal));
        Assert.Contains(timeline, e => e.Kind == "console.resume" && e.Summary.Contains(ConsoleFixture.Operator, StringComparison.Ordinal));
        await op.Context.CloseAsync();
    }

    [Fact]
    public async Task Operator_TerminatesRestartsAndPurges_AndRaisesAnEvent_EachAfterItsConfirmation()
    {
        const string deal = "opportunity:O-1";
        var op = await console.SignInAsync(ConsoleFixture.Operator, "operator");

        await ConfirmAsync(op, deal, "terminate", "Terminate");
        await Eventually.WaitUntilAsync(async () => (await console.Workflows.GetInstanceAsync(deal))?.RuntimeStatus == OrchestrationRuntimeStatus.Terminated, what: "terminated");
        await ConfirmAsync(op, deal, "restart", "Restart");
        await Eventually.WaitUntilAsync(async () => (await console.Workflows.GetInstanceAsync(deal))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, what: "running again");
        await ConfirmAsync(op, deal, "terminate", "Terminate");
        await Eventually.WaitUntilAsync(async () => (await console.Workflows.GetInstanceAsync(deal))?.RuntimeStatus == OrchestrationRuntimeStatus.Terminated, what: "terminated again");
        await ConfirmAsync(op, deal, "purge", "Purge");
        Assert.Null(await console.Workflows.GetInstanceAsync(deal));
        Assert.EndsWith("/console/workflows", op.Url, StringComparison.Ordinal);

        await op.GotoAsync("/console/workflows/account:A-3/raise");
        await op.Locator("input[name=event]").FillAsync("console.test");
        await op.Locator("textarea[name=data]").FillAsync("{\"note\": \"from the console\"}");
        await op.GetByRole(AriaRole.Button, new() { Name = "Raise an event", Exact = true }).ClickAsync();
        await op.WaitForURLAsync(url => url.Contains("done=raise", StringComparison.Ordinal));
        await Eventually.WaitUntilAsync(async () => (await console.Workflows.GetOrchestrationHistoryAsync("account:A-3")).OfType<DurableTask.Core.History.EventRaisedEvent>()
            .Any(e => e.Name == "console.test" && (e.Input ?? string.Empty).Contains("from the console", StringComparison.Ordinal)), what: "the event reached the instance");

        var timeline = await console.Services.GetRequiredService<TimelineStore>().ReadAsync("A-1", null, 1000, CancellationToken.None);
        foreach (var action in new[] { "terminate", "restart", "purge" })
        {
            Assert.Contains(timeline, e => e.Kind == "console." + action && e.SourceKey == deal && e.Summary.Contains(ConsoleFixture.Operator, StringComparison.Ordinal));
        }

        await op.Context.CloseAsync();
    }

    [Fact]
    public async Task ContactNamedWithAScriptTag_IsShownAsText_AndNoScriptRuns()
    {
        var head = await console.SignInAsync(ConsoleFixture.Hanna, "head");
        var dialogs = 0;
        head.Dialog += (_, d) =>
        {
            dialogs++;
            _ = d.DismissAsync();
        };
        await head.GotoAsync("/console/accounts/A-1");

        await Expect(head.Locator("[data-contact='C-1'] .name")).ToHaveTextAsync(ConsoleFixture.ScriptName);
        Assert.Equal(0, await head.Locator("main script").CountAsync());
        Assert.Equal(0, dialogs);
        // The timeline line about the contact carries the name as text too.
        await Expect(head.Locator("table.timeline")).ToContainTextAsync("<script>alert('xss')</script>");
        await head.Context.CloseAsync();
    }

    [Fact]
    public async Task PersonalData_OnlyForTheTeamAndHeads_NeverAfterErasure()
    {
        var head = await console.SignInAsync(ConsoleFixture.Hanna, "head");
        await head.GotoAsync("/console/accounts/A-1");
        await Expect(head.Locator("[data-contact='C-1']")).ToContainTextAsync("sailing");
        await Expect(head.Locator("[data-contact='C-1']")).ToContainTextAsync("c1@client.example");
        await Expect(head.Locator("[data-contact='C-3'] .name")).ToHaveTextAsync(Strings.Get("en", "erased"));
        await Expect(head.Locator("main")).Not.ToContainTextAsync("Erkki");
        await Expect(head.Locator("main")).Not.ToContainTextAsync("fishing");

        var op = await console.SignInAsync(ConsoleFixture.Operator, "operator");
        await op.GotoAsync("/console/accounts/A-1");
        await Expect(op.Locator("[data-contact='C-1']")).ToBeVisibleAsync();
        await Expect(op.Locator("main")).Not.ToContainTextAsync("sailing");
        await Expect(op.Locator("main")).Not.ToContainTextAsync("c1@client.example");
        await head.Context.CloseAsync();
        await op.Context.CloseAsync();
    }

    private static async Task ConfirmAsync(IPage page, string instance, string action, string button)
    {
        await page.GotoAsync("/console/workflows/" + Uri.EscapeDataString(instance));
        await page.GetByRole(AriaRole.Link, new() { Name = button, Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(Strings.Get("en", "confirm_" + action).Replace("{0}", instance, StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains(action == "purge" ? "/console/workflows" : "done=" + action, StringComparison.Ordinal));
    }

    private static async Task ExpectPageAsync(IPage page, string path, string language, string? titleKey, string zone, string screenshot, string? title = null)
    {
        var response = await page.GotoAsync(path);
        Assert.NotNull(response);
        Assert.True(response.Status == 200, $"{path} answered {response.Status}: {await page.Locator("main").InnerTextAsync()}");
        Assert.Contains(ConsoleApp.ContentSecurityPolicy, (await response.AllHeadersAsync()).GetValueOrDefault("content-security-policy") ?? string.Empty, StringComparison.Ordinal);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Expect(page.Locator("h1")).ToHaveTextAsync(title ?? Strings.Get(language, titleKey!));
        await Expect(page.Locator("footer")).ToContainTextAsync(zone);
        await ConsoleFixture.ScreenshotAsync(page, screenshot);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    public sealed class PointAttributes
    {
        public string Account { get; set; } = string.Empty;

        public int Rank { get; set; }

        public string Cumulative { get; set; } = string.Empty;

        public double Cx { get; set; }

        public double Cy { get; set; }
    }
}
