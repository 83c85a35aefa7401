// 1,000 KAM daily agendas: composed from each KAM's plan, queued in the outbox (Azurite), then rendered as the sender
// would (subject, HTML, text in the KAM's language). Prints wall time per phase and this process's peak working set.
// Usage: dotnet run -c Release --project bench/KamFlows.Benchmarks.Email -- [--kams 1000]
using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Data.Tables;
using KamFlows.DevStorage;
using KamFlows.Infrastructure.Notifications;
using KamFlows.Infrastructure.Notifications.Digests;
using KamFlows.Infrastructure.Notifications.Invites;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Infrastructure.Notifications.Senders;
using KamFlows.Infrastructure.Notifications.Templates;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;
using Microsoft.Extensions.Logging.Abstractions;

var kams = args.Length >= 2 && args[0] == "--kams" ? int.Parse(args[1]) : 1000;
string[] languages = ["en", "ru", "fi", "bg"];
string[] zones = ["Europe/Helsinki", "Europe/Moscow", "Europe/Sofia", "Europe/London"];
string[] kinds = [nameof(NotificationKind.ProposalCallToConfirmReceipt), nameof(NotificationKind.TenderMilestoneDue), nameof(NotificationKind.ContractRenewal),
    nameof(NotificationKind.DealStalled), nameof(NotificationKind.ProposalExpiryReminder), nameof(NotificationKind.ContactBirthday)];

await using var azurite = await EmbeddedAzurite.StartAsync();
var hub = "bench" + Guid.NewGuid().ToString("N")[..8];
var monday = new DateTimeOffset(2026, 3, 30, 0, 0, 0, TimeSpan.Zero);
var clock = new ManualClock(monday.AddDays(-1)); // Sunday: every KAM's next agenda is Monday 08:00 local.
var options = new EmailOptions { FromAddress = "kamflows@supplier.example" };
var schedule = new DigestSchedule(options);
var recipients = new RecipientDirectory(new TableClient(azurite.ConnectionString, hub + "EmailRecipients"), schedule, clock);
var store = new OutboxStore(new TableClient(azurite.ConnectionString, hub + "Outbox"), clock);
await recipients.EnsureCreatedAsync(default);
await store.EnsureCreatedAsync(default);
using var signal = new OutboxSignal();
var outbox = new TableNotificationOutbox(store, signal, clock);
var plans = new BenchPlans();

// Set-up (not timed): KAMs in four languages and zones, each with 12 planned actions around the agenda's day.
await Parallel.ForEachAsync(Enumerable.Range(0, kams), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
{
    var email = $"kam{i:D4}@supplier.example";
    await recipients.RegisterAsync(new TeamMemberProfile(email, $"KAM {i}", languages[i % 4], zones[i % 4], ["mon", "tue", "wed", "thu", "fri"], "09:00", "18:00", []),
        isKam: true, isHead: false, headEmail: null, ct);
    plans.Set(email, [.. Enumerable.Range(0, 12).Select(j => ($"A-{i}", $"proposal:P-{i}-{j}",
        new PlannedAction(kinds[j % kinds.Length], monday.AddHours((j * 13) - 60), email, $"Task {j} for account A-{i} <{j}>")))]);
}).ConfigureAwait(false);

var templates = NotificationTemplates.Load(null);
var scheduler = new DigestScheduler(recipients, outbox, plans, new DigestComposer(templates.Terms), schedule, clock, NullLogger<DigestScheduler>.Instance);
var renderer = new NotificationRenderer(templates, new CalendarInviteWriter(clock), new UnsubscribeLinks(new byte[32], options.PublicBaseUrl), options);
clock.Set(monday.AddHours(12)); // Every zone is past 08:00 on Monday.
GC.Collect();

var total = Stopwatch.StartNew();
var queue = Stopwatch.StartNew();
await scheduler.RunDueAsync(default);
queue.Stop();

var render = Stopwatch.StartNew();
var rendered = 0;
long bytes = 0;
var mime = new Stopwatch();
long mimeBytes = 0;
var mimeEach = new List<double>();
string? continuation = null;
do
{
    var page = await store.ListAsync(new OutboxQuery { Kind = NotificationKind.DailyAgenda, PageSize = 200, ContinuationToken = continuation }, default);
    foreach (var message in page.Messages)
    {
        var email = renderer.Render(message);
        bytes += email.Html.Length + email.Text.Length;
        var before = mime.Elapsed;
        mime.Start();
        mimeBytes += EmlText(email).Length; // The .eml the local sink writes (SendGrid builds the same headers).
        mime.Stop();
        mimeEach.Add((mime.Elapsed - before).TotalMicroseconds);
        rendered++;
    }

    continuation = page.ContinuationToken;
}
while (continuation is not null);
render.Stop();
total.Stop();

var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
Console.WriteLine($"KAMs: {kams}; agendas queued: {rendered}; HTML+text characters: {bytes:N0}");
Console.WriteLine($"compose + queue: {queue.Elapsed.TotalSeconds:F2} s; read back + render: {render.Elapsed.TotalSeconds:F2} s; total: {total.Elapsed.TotalSeconds:F2} s");
var warm = mimeEach.Skip(1).Order().ToList();
Console.WriteLine($"of which MIME (.eml) building: {mime.Elapsed.TotalMilliseconds:F0} ms for {rendered} messages ({mimeBytes:N0} bytes); first message {mimeEach.FirstOrDefault():F0} µs, then median {(warm.Count > 0 ? warm[warm.Count / 2] : 0):F0} µs, p99 {(warm.Count > 0 ? warm[(int)(warm.Count * 0.99)] : 0):F0} µs");
Console.WriteLine($"peak working set of this process: {peak:F0} MB (Azurite runs in its own node process)");
return rendered == kams ? 0 : 1;

static byte[] EmlText(EmailMessage email) => EmailMime.Write(email, "kamflows@supplier.example", "KamFlows", null, DateTimeOffset.UnixEpoch);

/// <summary>A clock the benchmark sets.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public void Set(DateTimeOffset now) => _now = now;

    public override DateTimeOffset GetUtcNow() => _now;
}

/// <summary>The workflows' plans, in memory.</summary>
internal sealed class BenchPlans : IUpcomingActions
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<(string, string, PlannedAction)>> _byKam = new(StringComparer.Ordinal);

    public void Set(string kam, IReadOnlyList<(string, string, PlannedAction)> actions) => _byKam[kam] = actions;

    public Task ReplacePlanAsync(string sourceKey, string accountId, string kamEmail, IReadOnlyList<PlannedAction> actions, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<(string SourceKey, PlannedAction Action)>> ForAccountAsync(string accountId, DateTimeOffset fromTime, DateTimeOffset untilTime, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<(string AccountId, string SourceKey, PlannedAction Action)>> ForKamAsync(string kamEmail, DateTimeOffset fromTime, DateTimeOffset untilTime, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(string, string, PlannedAction)>>([.. (_byKam.TryGetValue(kamEmail, out var a) ? a : []).Where(x => x.Item3.DueAt >= fromTime && x.Item3.DueAt < untilTime)]);
}
