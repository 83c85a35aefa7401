// Composes and queues digests when they are due. Crash safety: the outbox id of a digest is deterministic (recipient and
// local date, or ISO week), so a pass that dies after queueing and before advancing the recipient's next time queues
// nothing new when it runs again; the next time is advanced under the row's ETag. A digest whose moment passed while the
// host was down is still sent the same local day (agenda) or week (report); older ones are skipped, never piled up.
using KamFlows.Domain.Common;
using KamFlows.Domain.Portfolio;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace KamFlows.Infrastructure.Notifications.Digests;

/// <summary>Queues the daily agenda of each KAM and the weekly report of each head: call <see cref="RunDueAsync"/> from the local loop or a timer trigger.</summary>
public sealed partial class DigestScheduler
{
    /// <summary>Actions planned further back than this are not shown (the projection's window).</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(30);

    public static readonly TimeSpan LookAhead = TimeSpan.FromDays(7);

    private const int Parallelism = 16;

    private readonly RecipientDirectory _recipients;
    private readonly INotificationOutbox _outbox;
    private readonly IUpcomingActions _upcoming;
    private readonly DigestComposer _composer;
    private readonly DigestSchedule _schedule;
    private readonly IPipelineFigures? _figures;
    private readonly IAccountReader? _accounts;
    private readonly TimeProvider _time;
    private readonly ILogger<DigestScheduler> _logger;
    private readonly MissedActionStore? _missed;
    private readonly string? _publicBaseUrl;
    private readonly DormantKeyAccounts? _dormant;

    /// <remarks><c>missed</c>: items missed while catching up, summarized once in each recipient's next digest; <c>publicBaseUrl</c>: base of the account links in that summary (the management API's account timeline);
    /// <c>dormant</c>: the heads' dormant key accounts (left out of the report when null).</remarks>
    public DigestScheduler(RecipientDirectory recipients, INotificationOutbox outbox, IUpcomingActions upcoming, DigestComposer composer, DigestSchedule schedule,
        TimeProvider time, ILogger<DigestScheduler> logger, IPipelineFigures? figures = null, IAccountReader? accounts = null,
        MissedActionStore? missed = null, string? publicBaseUrl = null, DormantKeyAccounts? dormant = null)
    {
        _dormant = dormant;
        _missed = missed;
        _publicBaseUrl = publicBaseUrl?.TrimEnd('/');
        _recipients = recipients;
        _outbox = outbox;
        _upcoming = upcoming;
        _composer = composer;
        _schedule = schedule;
        _figures = figures;
        _accounts = accounts;
        _time = time;
        _logger = logger;
    }

    /// <summary>Queues every digest due now; returns when the next one is due (null: none scheduled).</summary>
    public async Task<DateTimeOffset?> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var due = await _recipients.DueAsync(now, cancellationToken).ConfigureAwait(false);

        // Recipients are independent (own row, own outbox ids), so they are handled side by side.
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (recipient, ct) =>
        {
            if (recipient.NextAgendaAt is { } agendaAt && agendaAt <= now)
            {
                await AgendaAsync(recipient, agendaAt, now, ct).ConfigureAwait(false);
            }

            if (recipient.NextReportAt is { } reportAt && reportAt <= now)
            {
                await ReportAsync(recipient, reportAt, now, ct).ConfigureAwait(false);
            }

            var advanced = recipient with
            {
                NextAgendaAt = recipient.NextAgendaAt is { } a && a <= now ? _schedule.NextAgenda(recipient, now) : recipient.NextAgendaAt,
                NextReportAt = recipient.NextReportAt is { } r && r <= now ? _schedule.NextReport(recipient, now) : recipient.NextReportAt,
            };

            // A conflict means the recipient changed preferences meanwhile; the next pass sees the new row (and queues nothing twice).
            await _recipients.TryReplaceAsync(recipient, advanced, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);

        return await _recipients.EarliestDigestAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task AgendaAsync(EmailRecipient kam, DateTimeOffset at, DateTimeOffset now, CancellationToken ct)
    {
        var calendar = kam.Calendar();
        var day = calendar.DateOf(Instant.FromDateTimeOffset(at));
        if (calendar.DateOf(Instant.FromDateTimeOffset(now)) != day)
        {
            LogSkipped(_logger, "agenda", kam.Email, at);
            return;
        }

        var actions = await _upcoming.ForKamAsync(kam.Email, at - LookBack, at + LookAhead, ct).ConfigureAwait(false);
        var id = DigestComposer.AgendaId(kam.Email, day.ToDateOnly());
        var missed = _missed is null ? [] : await _missed.TakeForDigestAsync(kam.Email, id, ct).ConfigureAwait(false);
        var fields = DigestComposer.DailyAgenda(kam, at, actions, missed, AccountLink);
        if (fields is null)
        {
            LogEmpty(_logger, "agenda", kam.Email, at);
            return;
        }

        await _outbox.EnqueueAsync(new NotificationRequest
        {
            NotificationId = id,
            Kind = NotificationKind.DailyAgenda,
            Recipient = new NotificationRecipient(kam.Email, kam.Name, kam.Locale, kam.TimeZone, RecipientRole.Kam),
            SendAt = at,
            AccountId = "*",
            SourceKey = "digest:" + UnsubscribeLinks.Normalize(kam.Email),
            Fields = fields,
        }, ct).ConfigureAwait(false);
    }

    private async Task ReportAsync(EmailRecipient head, DateTimeOffset at, DateTimeOffset now, CancellationToken ct)
    {
        var calendar = head.Calendar();
        var week = Outbox.SendTiming.IsoWeek(at, calendar);
        if (Outbox.SendTiming.IsoWeek(now, calendar) != week)
        {
            LogSkipped(_logger, "weekly report", head.Email, at);
            return;
        }

        var headKey = UnsubscribeLinks.Normalize(head.Email);
        var kams = (await _recipients.AllAsync(ct).ConfigureAwait(false)).Where(r => r.IsKam && r.Heads.Contains(headKey)).ToList();
        var work = new List<KamWork>();
        foreach (var kam in kams)
        {
            var actions = await _upcoming.ForKamAsync(kam.Email, at - LookBack, at + LookAhead, ct).ConfigureAwait(false);
            var pipeline = _figures is null ? null : await _figures.OpenPipelineAsync(kam.Email, ct).ConfigureAwait(false);
            work.Add(new KamWork(kam, actions, pipeline));
        }

        var portfolio = await PortfolioAsync(head, at, ct).ConfigureAwait(false);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in portfolio?.Warnings.SelectMany(w => w.AccountIds).Distinct(StringComparer.Ordinal) ?? [])
        {
            names[id] = _accounts is null ? id : (await _accounts.GetProfileAsync(id, ct).ConfigureAwait(false))?.Name ?? id;
        }

        var missed = _missed is null ? [] : await _missed.TakeForDigestAsync(head.Email, DigestComposer.ReportId(head.Email, week), ct).ConfigureAwait(false);
        var dormant = _dormant is null ? ((IReadOnlyList<DormantAccount>, int)?)null : (await _dormant.ForHeadAsync(head.Email, at, ct).ConfigureAwait(false), _dormant.DormantAfterDays);
        var fields = _composer.WeeklyReport(head, at, work, portfolio, id => names.GetValueOrDefault(id, id), missed, AccountLink, dormant);
        if (fields is null)
        {
            LogEmpty(_logger, "weekly report", head.Email, at);
            return;
        }

        await _outbox.EnqueueAsync(new NotificationRequest
        {
            NotificationId = DigestComposer.ReportId(head.Email, week),
            Kind = NotificationKind.WeeklyReport,
            Recipient = new NotificationRecipient(head.Email, head.Name, head.Locale, head.TimeZone, RecipientRole.Head),
            SendAt = at,
            AccountId = "*",
            SourceKey = "digest:" + headKey,
            Fields = fields,
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Where the summary of missed items links an account to: its timeline in the management API (missed items included).</summary>
    private string AccountLink(string accountId) => $"{_publicBaseUrl}/api/accounts/{Uri.EscapeDataString(accountId)}/timeline";

    /// <summary>
    /// Concentration over the last four complete quarters, from the revenue the accounts reported (reports are per month or
    /// quarter, so none straddles the period). Reported in the most used currency; other currencies have no rate here, so
    /// a mixed portfolio is refused by the analysis and logged rather than guessed.
    /// </summary>
    private async Task<PortfolioReport?> PortfolioAsync(EmailRecipient head, DateTimeOffset at, CancellationToken ct)
    {
        if (_accounts is null)
        {
            return null;
        }

        var today = head.Calendar().DateOf(Instant.FromDateTimeOffset(at));
        var quarterStart = new LocalDate(today.Year, (((today.Month - 1) / 3) * 3) + 1, 1);
        var period = new ReportingPeriod(quarterStart.PlusMonths(-12), quarterStart.PlusDays(-1));
        var reported = await _accounts.GetReportedRevenueAsync(period.Start.ToDateOnly(), period.End.ToDateOnly(), ct).ConfigureAwait(false);
        if (reported.Count == 0)
        {
            return null;
        }

        var currency = reported.GroupBy(r => r.Currency, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        if (!CurrencyCode.TryParse(currency, out var reporting))
        {
            LogPortfolioRefused(_logger, head.Email, $"'{currency}' is not a currency code.");
            return null;
        }

        PortfolioInput input;
        try
        {
            input = new PortfolioInput(
                period,
                [.. reported.Select(r => new RevenueReport(r.AccountId, new ReportingPeriod(LocalDate.FromDateOnly(r.PeriodStart), LocalDate.FromDateOnly(r.PeriodEnd)), new Money(r.Amount, CurrencyCode.Parse(r.Currency))))],
                reported.Where(r => r.IsKeyAccount).Select(r => r.AccountId).ToHashSet(StringComparer.Ordinal),
                reporting);
        }
        catch (ArgumentException e)
        {
            LogPortfolioRefused(_logger, head.Email, e.Message);
            return null;
        }

        var result = new PortfolioAnalysis().Analyze(input);
        if (!result.Succeeded)
        {
            LogPortfolioRefused(_logger, head.Email, string.Join(" ", result.Errors));
            return null;
        }

        return result.Report;
    }

    [LoggerMessage(EventId = 5110, Level = LogLevel.Information, Message = "The {Digest} for {Recipient} due {At:O} is empty: not sent")]
    private static partial void LogEmpty(ILogger logger, string digest, string recipient, DateTimeOffset at);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Warning, Message = "The {Digest} for {Recipient} due {At:O} was missed (KamFlows was not running) and is out of date: skipped")]
    private static partial void LogSkipped(ILogger logger, string digest, string recipient, DateTimeOffset at);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Warning, Message = "Portfolio figures for {Head}'s weekly report were refused: {Errors}")]
    private static partial void LogPortfolioRefused(ILogger logger, string head, string errors);
}
