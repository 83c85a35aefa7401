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
/// The quarterly business review of one account, on booked revenue: its revenue and share of the portfolio (Domain's
/// Pareto analysis over every account's reported revenue, converted to the reporting currency with the configured
/// rates), open deals and complaints → a review reminder to the KAM; concentration warnings to the head; a value-bond
/// risk flag when the account is held mainly by value bonds and its margin is low.
/// <para>Nothing is made up: revenue not reported is "unknown" (never 0), a share is given only when every report of the
/// quarter could be converted and every account expected to report did (or the wait is over); a currency without a rate
/// is named in the head's warning instead of being dropped; accounts that have not reported are named.</para>
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
            return new QuarterlyReviewOutcome(FiredOutcomes.NoProfile, null, [], false);
        }

        var rates = await accounts.GetCurrencyRatesAsync(ct).ConfigureAwait(false);
        var quarter = (await accounts.GetReportedRevenueAsync(input.PeriodStart, input.PeriodEnd, ct).ConfigureAwait(false))
            .Where(r => r.PeriodStart >= input.PeriodStart && r.PeriodEnd <= input.PeriodEnd && r.PeriodEnd >= r.PeriodStart && r.Amount >= 0m)
            .ToList();
        if (!quarter.Any(r => r.AccountId == input.AccountId) && input.OwnRevenueReported)
        {
            quarter.Add(new ReportedRevenue(input.AccountId, input.PeriodStart, input.PeriodEnd, input.OwnRevenue, input.Currency, profile.IsKeyAccount));
        }

        // Who is expected to report: every account that reported in the year before the quarter, and this one.
        var yearBefore = await accounts.GetReportedRevenueAsync(input.PeriodStart.AddYears(-1), input.PeriodStart.AddDays(-1), ct).ConfigureAwait(false);
        var reported = quarter.Select(r => r.AccountId).ToHashSet(StringComparer.Ordinal);
        var notReportedIds = yearBefore.Select(r => r.AccountId).Append(input.AccountId).Distinct(StringComparer.Ordinal)
            .Where(id => !reported.Contains(id)).Order(StringComparer.Ordinal).ToList();

        // The share and the concentration check wait until every expected account reported, or the wait is over.
        var checkNow = input.WaitedForReports || notReportedIds.Count == 0;
        var figures = Figures.Of(quarter, input, profile, rates, waitOver: checkNow);
        var kam = new NotificationRecipient(profile.Kam.Email, profile.Kam.Name, profile.Kam.Locale, profile.Kam.TimeZone, RecipientRole.Kam);
        var head = new NotificationRecipient(profile.Head.Email, profile.Head.Name, profile.Head.Locale, profile.Head.TimeZone, RecipientRole.Head);
        var stored = false;
        if (!input.ConcentrationOnly)
        {
            var fields = new Dictionary<string, TemplateValue>(StringComparer.Ordinal)
            {
                ["account_name"] = TemplateValue.OfText(profile.Name),
                ["recipient_name"] = TemplateValue.OfText(profile.Kam.Name ?? profile.Kam.Email),
                ["quarter"] = TemplateValue.OfText(input.Quarter),
                ["revenue"] = figures.OwnRevenue is { } own ? TemplateValue.OfMoney(own.Amount, own.Currency.Code) : TemplateValue.OfUnknown(TemplateValueKind.Money),
                ["revenue_share_percent"] = figures.SharePercent is { } share ? TemplateValue.OfNumber(share) : TemplateValue.OfUnknown(TemplateValueKind.Number),
                ["open_opportunities"] = TemplateValue.OfNumber(input.OpenOpportunities),
                ["open_complaints"] = TemplateValue.OfNumber(input.OpenComplaints),
            };
            stored = await EnqueueAsync(NotificationKind.QuarterlyBusinessReview, TemplateFields.Id(input.SourceKey, NotificationKind.QuarterlyBusinessReview, input.Quarter),
                kam, input.KamSendAt, input, fields, new CalendarInvite(
                    Uid: $"{input.SourceKey}|qbr|{input.Quarter}",
                    Summary: $"{profile.Name}: quarterly business review {input.Quarter}",
                    Start: input.KamSendAt,
                    Duration: input.InviteDuration,
                    TimeZone: input.KamTimeZone,
                    Description: "Review with the client the return they got from us this quarter."), ct).ConfigureAwait(false);
        }

        var warnings = new List<string>();
        if (checkNow && figures.Warnings.Count > 0)
        {
            // The names of the accounts that have not reported are read only for a warning that shows them.
            var notReported = new List<string>();
            foreach (var id in notReportedIds)
            {
                notReported.Add(id == input.AccountId ? profile.Name : (await accounts.GetProfileAsync(id, ct).ConfigureAwait(false))?.Name ?? id);
            }

            var common = new Dictionary<string, TemplateValue>(StringComparer.Ordinal)
            {
                ["account_name"] = TemplateValue.OfText(profile.Name),
                ["recipient_name"] = TemplateValue.OfText(profile.Head.Name ?? profile.Head.Email),
                ["quarter"] = TemplateValue.OfText(input.Quarter),
                ["not_reported"] = TemplateValue.OfList(notReported),
                ["missing_rates"] = TemplateValue.OfList(figures.MissingRates),
            };
            foreach (var (code, id, share, threshold) in figures.Warnings)
            {
                warnings.Add(code);
                await EnqueueAsync(NotificationKind.ConcentrationWarning, id, head, input.HeadSendAt, input, common.With(
                    ("warning", TemplateValue.OfText(code)),
                    ("share_percent", share is { } s ? TemplateValue.OfNumber(s) : TemplateValue.OfUnknown(TemplateValueKind.Number)),
                    ("threshold_percent", TemplateValue.OfNumber(threshold))), null, ct).ConfigureAwait(false);
            }
        }

        var valueBondRisk = false;
        if (!input.ConcentrationOnly
            && HeldMainlyByValueBonds(profile.Bonds)
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

        var outcome = input.ConcentrationOnly ? FiredOutcomes.Done : stored ? FiredOutcomes.Enqueued : FiredOutcomes.Duplicate;
        return new QuarterlyReviewOutcome(outcome, figures.SharePercent, warnings, valueBondRisk, checkNow);
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
        return await outbox.EnqueueAsync(NotificationCatalog.RequireComplete(request), ct).ConfigureAwait(false);
    }

    /// <summary>Held mainly by value bonds: a value bond and none of personal, information-and-control, attitude or brand (Domain's rule).</summary>
    internal static bool HeldMainlyByValueBonds(IEnumerable<string> bonds)
    {
        var kinds = bonds.Select(b => WireName.TryParse<BondKind>(b, out var k) ? k : (BondKind?)null).Where(k => k is not null).Select(k => k!.Value);
        return kinds.Contains(BondKind.Value)
            && !kinds.Any(b => b is BondKind.Personal or BondKind.InformationAndControl or BondKind.Attitude or BondKind.Brand);
    }

    /// <summary>
    /// The quarter's numbers: the account's own revenue (in the reporting currency when it converts, else its own), its
    /// share when the portfolio is complete, currencies without a rate (as "SEK→EUR"), and the warnings for the head.
    /// </summary>
    private sealed record Figures(
        Money? OwnRevenue,
        decimal? SharePercent,
        IReadOnlyList<string> MissingRates,
        IReadOnlyList<(string Code, string Id, decimal? SharePercent, decimal ThresholdPercent)> Warnings)
    {
        public static Figures Of(List<ReportedRevenue> quarter, QuarterlyReviewRequest input, AccountProfile profile, CurrencyRates? rates, bool waitOver)
        {
            var reporting = CurrencyCode.TryParse(rates?.ReportingCurrency ?? profile.Currency, out var c) ? c : CurrencyCode.Eur;
            var missing = new SortedSet<string>(StringComparer.Ordinal);
            var converted = new List<RevenueReport>();
            var ownConverts = true;
            foreach (var r in quarter.Where(r => EntityId.IsValid(r.AccountId)))
            {
                decimal? rate = r.Currency == reporting.Code ? 1m : rates?.Rates.TryGetValue(r.Currency, out var x) == true ? x : null;
                if (rate is not { } known)
                {
                    missing.Add($"{r.Currency}→{reporting.Code}");
                    ownConverts &= r.AccountId != input.AccountId;
                    continue;
                }

                converted.Add(new RevenueReport(r.AccountId, new ReportingPeriod(ToLocal(r.PeriodStart), ToLocal(r.PeriodEnd)), new Money(r.Amount * known, reporting)));
            }

            var own = quarter.Where(r => r.AccountId == input.AccountId).ToList();
            Money? ownRevenue = own.Count == 0 ? null
                : ownConverts ? new Money(converted.Where(r => r.AccountId == input.AccountId).Sum(r => r.Revenue.Amount), reporting)
                : own.Select(r => r.Currency).Distinct(StringComparer.Ordinal).Count() == 1 && CurrencyCode.TryParse(own[0].Currency, out var ownCurrency)
                    ? new Money(own.Sum(r => r.Amount), ownCurrency)
                    : null;

            if (missing.Count > 0)
            {
                // Shares over part of the revenue would be false: the head is told which rate is missing instead.
                return new Figures(ownRevenue, null, [.. missing],
                    [("incomplete", TemplateFields.Id("portfolio", NotificationKind.ConcentrationWarning, "incomplete", input.Quarter), null, 0m)]);
            }

            var keyAccounts = quarter.Where(r => r.IsKeyAccount).Select(r => r.AccountId).ToHashSet(StringComparer.Ordinal);
            if (profile.IsKeyAccount)
            {
                keyAccounts.Add(input.AccountId);
            }

            var analysis = new PortfolioAnalysis(new PortfolioOptions
            {
                SingleAccountWarningShare = input.SingleAccountWarningPercent / 100m,
                TopTwoWarningShare = input.TopTwoWarningPercent / 100m,
                MonoDependenceShare = input.KeyAccountsWarningPercent / 100m,
            }).Analyze(new PortfolioInput(new ReportingPeriod(ToLocal(input.PeriodStart), ToLocal(input.PeriodEnd)), converted, keyAccounts, reporting));
            if (!analysis.Succeeded || ownRevenue is null || !waitOver)
            {
                return new Figures(ownRevenue, null, [], []);
            }

            var report = analysis.Report;
            var warnings = new List<(string, string, decimal?, decimal)>();
            if (report.Accounts.Count(a => a.Revenue.Amount > 0m) >= 2)
            {
                foreach (var w in report.Warnings.Where(w => w.AccountIds.Contains(input.AccountId)))
                {
                    // Top two and key accounts are portfolio-wide: every account concerned raises them with the same id, so the head gets each once.
                    // A typical-range note is information for the weekly report, not a warning.
                    (string Code, string Scope)? warning = w.Kind switch
                    {
                        ConcentrationWarningKind.SingleAccountDominates => ("single_account", input.SourceKey),
                        ConcentrationWarningKind.TopTwoDominate => ("top_two", "portfolio"),
                        ConcentrationWarningKind.MonoDependence => ("key_accounts", "portfolio"),
                        _ => null,
                    };
                    if (warning is { } raised)
                    {
                        warnings.Add((raised.Code, TemplateFields.Id(raised.Scope, NotificationKind.ConcentrationWarning, raised.Code, input.Quarter), Percent(w.Share), Percent(w.Threshold)));
                    }
                }
            }

            return new Figures(ownRevenue, Percent(report.Find(input.AccountId)?.Share ?? 0m), [], warnings);
        }
    }

    private static decimal Percent(decimal fraction) => Math.Round(fraction * 100m, 1, MidpointRounding.AwayFromZero);

    private static LocalDate ToLocal(DateOnly d) => new(d.Year, d.Month, d.Day);
}
