using KamFlows.Domain.Accounts;
using KamFlows.Domain.Common;
using KamFlows.Domain.Events;
using KamFlows.Domain.Portfolio;
using Microsoft.DurableTask;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;
using NodaTime;

namespace KamFlows.Workflows.AccountCare;

/// <summary>
/// The quarterly business review of one account: its revenue and share of the portfolio (Domain's Pareto analysis over
/// every account's reported revenue), open deals and complaints → a review reminder to the KAM; concentration
/// warnings to the head; a value-bond risk flag when the account is held mainly by value bonds and its margin is low.
/// </summary>
public sealed class ReviewQuarterActivity(IAccountReader accounts, INotificationOutbox outbox) : TaskActivity<QuarterlyReviewRequest, QuarterlyReviewOutcome>
{
    public override async Task<QuarterlyReviewOutcome> RunAsync(TaskActivityContext context, QuarterlyReviewRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = CancellationToken.None;
        var profile = await accounts.GetProfileAsync(input.AccountId, ct).ConfigureAwait(false);
        if (profile is null)
        {
            return new QuarterlyReviewOutcome(FiredOutcomes.NoProfile, 0m, [], false);
        }

        var portfolio = (await accounts.GetReportedRevenueAsync(input.PeriodStart, input.PeriodEnd, ct).ConfigureAwait(false))
            .Where(r => r.PeriodStart >= input.PeriodStart && r.PeriodEnd <= input.PeriodEnd && r.PeriodEnd >= r.PeriodStart && r.Amount >= 0m)
            .ToList();
        if (!portfolio.Any(r => r.AccountId == input.AccountId) && input.OwnRevenue > 0m)
        {
            portfolio.Add(new ReportedRevenue(input.AccountId, input.PeriodStart, input.PeriodEnd, input.OwnRevenue, input.Currency, profile.IsKeyAccount));
        }

        var figures = Analyze(portfolio, input, profile);
        var fields = new Dictionary<string, TemplateValue>(StringComparer.Ordinal)
        {
            ["account_name"] = TemplateValue.OfText(profile.Name),
            ["recipient_name"] = TemplateValue.OfText(profile.Kam.Name ?? profile.Kam.Email),
            ["quarter"] = TemplateValue.OfText(input.Quarter),
            ["revenue"] = TemplateValue.OfMoney(figures.Revenue, profile.Currency),
            ["revenue_share_percent"] = TemplateValue.OfNumber(figures.SharePercent),
            ["open_opportunities"] = TemplateValue.OfNumber(input.OpenOpportunities),
            ["open_complaints"] = TemplateValue.OfNumber(input.OpenComplaints),
        };
        var kam = new NotificationRecipient(profile.Kam.Email, profile.Kam.Name, profile.Kam.Locale, profile.Kam.TimeZone, RecipientRole.Kam);
        var head = new NotificationRecipient(profile.Head.Email, profile.Head.Name, profile.Head.Locale, profile.Head.TimeZone, RecipientRole.Head);
        var stored = await EnqueueAsync(NotificationKind.QuarterlyBusinessReview, TemplateFields.Id(input.SourceKey, NotificationKind.QuarterlyBusinessReview, input.Quarter),
            kam, input.KamSendAt, input, fields, new CalendarInvite(
                Uid: $"{input.SourceKey}|qbr|{input.Quarter}",
                Summary: $"{profile.Name}: quarterly business review {input.Quarter}",
                Start: input.KamSendAt,
                Duration: input.InviteDuration,
                TimeZone: input.KamTimeZone,
                Description: "Review with the client the return they got from us this quarter."), ct).ConfigureAwait(false);

        var warnings = new List<string>();
        foreach (var (code, id, share, threshold) in figures.Warnings)
        {
            warnings.Add(code);
            await EnqueueAsync(NotificationKind.ConcentrationWarning, id, head, input.HeadSendAt, input, new Dictionary<string, TemplateValue>(StringComparer.Ordinal)
            {
                ["account_name"] = TemplateValue.OfText(profile.Name),
                ["recipient_name"] = TemplateValue.OfText(profile.Head.Name ?? profile.Head.Email),
                ["warning"] = TemplateValue.OfText(code),
                ["share_percent"] = TemplateValue.OfNumber(share),
                ["threshold_percent"] = TemplateValue.OfNumber(threshold),
            }, null, ct).ConfigureAwait(false);
        }

        var valueBondRisk = false;
        if (HeldMainlyByValueBonds(profile.Bonds)
            && await accounts.GetMarginPercentAsync(input.AccountId, input.PeriodStart, input.PeriodEnd, ct).ConfigureAwait(false) is { } margin
            && margin < input.LowMarginPercent)
        {
            valueBondRisk = true;
            await EnqueueAsync(NotificationKind.ValueBondRisk, TemplateFields.Id(input.SourceKey, NotificationKind.ValueBondRisk, input.Quarter), kam, input.KamSendAt, input,
                new Dictionary<string, TemplateValue>(StringComparer.Ordinal)
                {
                    ["account_name"] = TemplateValue.OfText(profile.Name),
                    ["recipient_name"] = TemplateValue.OfText(profile.Kam.Name ?? profile.Kam.Email),
                    ["bonds"] = TemplateValue.OfList(profile.Bonds),
                    ["margin_percent"] = TemplateValue.OfNumber(margin),
                }, null, ct).ConfigureAwait(false);
        }

        return new QuarterlyReviewOutcome(stored ? FiredOutcomes.Enqueued : FiredOutcomes.Duplicate, figures.SharePercent, warnings, valueBondRisk);
    }

    private async Task<bool> EnqueueAsync(NotificationKind kind, string id, NotificationRecipient recipient, DateTimeOffset sendAt, QuarterlyReviewRequest input,
        Dictionary<string, TemplateValue> fields, CalendarInvite? invite, CancellationToken ct)
    {
        var request = new NotificationRequest
        {
            NotificationId = id,
            Kind = kind,
            Recipient = recipient,
            SendAt = sendAt,
            AccountId = input.AccountId,
            SourceKey = input.SourceKey,
            Fields = fields,
            Invite = invite,
            Essential = NotificationCatalog.For(kind).Essential,
        };
        var missing = NotificationCatalog.MissingFields(request);
        return missing.Count > 0
            ? throw new InvalidOperationException($"{kind} {id} lacks fields: {string.Join(", ", missing)}.")
            : await outbox.EnqueueAsync(request, ct).ConfigureAwait(false);
    }

    /// <summary>Held mainly by value bonds: a value bond and none of personal, information-and-control, attitude or brand (Domain's rule).</summary>
    internal static bool HeldMainlyByValueBonds(IEnumerable<string> bonds)
    {
        var kinds = bonds.Select(b => WireName.TryParse<BondKind>(b, out var k) ? k : (BondKind?)null).Where(k => k is not null).Select(k => k!.Value);
        return kinds.Contains(BondKind.Value)
            && !kinds.Any(b => b is BondKind.Personal or BondKind.InformationAndControl or BondKind.Attitude or BondKind.Brand);
    }

    private sealed record Figures(decimal Revenue, decimal SharePercent, IReadOnlyList<(string Code, string Id, decimal SharePercent, decimal ThresholdPercent)> Warnings);

    /// <summary>
    /// Runs Domain's portfolio analysis in the account's currency. Reports in other currencies are left out (no rates
    /// are known here); concentration is judged only when at least two accounts reported revenue.
    /// </summary>
    private static Figures Analyze(List<ReportedRevenue> portfolio, QuarterlyReviewRequest input, AccountProfile profile)
    {
        var currency = CurrencyCode.TryParse(profile.Currency, out var c) ? c : CurrencyCode.Eur;
        var reports = portfolio.Where(r => r.Currency == currency.Code && EntityId.IsValid(r.AccountId))
            .Select(r => new RevenueReport(r.AccountId, new ReportingPeriod(ToLocal(r.PeriodStart), ToLocal(r.PeriodEnd)), new Money(r.Amount, currency)))
            .ToList();
        var keyAccounts = portfolio.Where(r => r.IsKeyAccount).Select(r => r.AccountId).ToHashSet(StringComparer.Ordinal);
        if (profile.IsKeyAccount)
        {
            keyAccounts.Add(input.AccountId);
        }

        var analysis = new PortfolioAnalysis(new PortfolioOptions
        {
            SingleAccountWarningShare = input.SingleAccountWarningPercent / 100m,
            TopTwoWarningShare = input.TopTwoWarningPercent / 100m,
            MonoDependenceShare = input.KeyAccountsWarningPercent / 100m,
        }).Analyze(new PortfolioInput(new ReportingPeriod(ToLocal(input.PeriodStart), ToLocal(input.PeriodEnd)), reports, keyAccounts, currency));
        var own = reports.Where(r => r.AccountId == input.AccountId).Sum(r => r.Revenue.Amount);
        if (!analysis.Succeeded)
        {
            var total = reports.Sum(r => r.Revenue.Amount);
            return new Figures(own, total == 0m ? 0m : Percent(own / total), []);
        }

        var report = analysis.Report;
        var row = report.Find(input.AccountId);
        var warnings = new List<(string, string, decimal, decimal)>();
        if (report.Accounts.Count(a => a.Revenue.Amount > 0m) >= 2)
        {
            foreach (var w in report.Warnings)
            {
                switch (w.Kind)
                {
                    case ConcentrationWarningKind.SingleAccountDominates when w.AccountIds.Contains(input.AccountId):
                        warnings.Add(("single_account", TemplateFields.Id(input.SourceKey, NotificationKind.ConcentrationWarning, "single_account", input.Quarter), Percent(w.Share), Percent(w.Threshold)));
                        break;
                    case ConcentrationWarningKind.TopTwoDominate when w.AccountIds.Contains(input.AccountId):
                        // Portfolio-wide: every account in the top two raises it with the same id, so the head gets it once.
                        warnings.Add(("top_two", TemplateFields.Id("portfolio", NotificationKind.ConcentrationWarning, "top_two", input.Quarter), Percent(w.Share), Percent(w.Threshold)));
                        break;
                    case ConcentrationWarningKind.MonoDependence when w.AccountIds.Contains(input.AccountId):
                        warnings.Add(("key_accounts", TemplateFields.Id("portfolio", NotificationKind.ConcentrationWarning, "key_accounts", input.Quarter), Percent(w.Share), Percent(w.Threshold)));
                        break;
                    default:
                        break; // A typical-range note is information for the weekly report, not a warning.
                }
            }
        }

        return new Figures(own, Percent(row?.Share ?? 0m), warnings);
    }

    private static decimal Percent(decimal fraction) => Math.Round(fraction * 100m, 1, MidpointRounding.AwayFromZero);

    private static LocalDate ToLocal(DateOnly d) => new(d.Year, d.Month, d.Day);
}
