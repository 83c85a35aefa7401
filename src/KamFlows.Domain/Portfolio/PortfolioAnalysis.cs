namespace KamFlows.Domain.Portfolio;

/// <summary>
/// Pareto/ABC analysis of reported revenue and the concentration risks of the portfolio (seeds 000–003).
/// <para>Rules: reports must lie wholly inside the period (those wholly outside are ignored, a partial
/// overlap is an error because prorating would invent revenue); one account's reports must not overlap
/// each other (double counting); every amount is converted to the reporting currency with a given rate or
/// the analysis is refused. Key accounts without reports count with zero revenue.</para>
/// <para>Ranking: revenue descending, ties by account id (ordinal) so the result is stable. ABC: class A is the
/// fewest top accounts whose cumulative share reaches the A threshold, so the account that crosses 80 % is A
/// and a single dominant account is never B; class B likewise up to the B threshold; the rest are C.
/// Shares are exact decimal fractions, not rounded.</para>
/// </summary>
public sealed class PortfolioAnalysis
{
    private readonly PortfolioOptions _options;

    public PortfolioAnalysis(PortfolioOptions? options = null) => _options = options ?? PortfolioOptions.Default;

    public PortfolioAnalysisResult Analyze(PortfolioInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new List<string>(_options.Validate());
        var inPeriod = new List<RevenueReport>();
        foreach (var report in input.Reports)
        {
            if (input.Period.Contains(report.Period))
            {
                inPeriod.Add(report);
            }
            else if (input.Period.Overlaps(report.Period))
            {
                errors.Add($"Revenue report of account '{report.AccountId}' for {report.Period} only partly overlaps the period {input.Period}; report it per month or quarter inside the period.");
            }
        }

        foreach (var account in inPeriod.GroupBy(r => r.AccountId, StringComparer.Ordinal))
        {
            // Compared with the report reaching furthest so far, so a long report overlapping several short ones is caught.
            RevenueReport? furthest = null;
            foreach (var report in account.OrderBy(r => r.Period.Start).ThenBy(r => r.Period.End))
            {
                if (furthest is not null && report.Period.Start <= furthest.Period.End)
                {
                    errors.Add($"Account '{account.Key}' has overlapping revenue reports {furthest.Period} and {report.Period}; revenue would be counted twice.");
                }

                if (furthest is null || report.Period.End > furthest.Period.End)
                {
                    furthest = report;
                }
            }
        }

        var currency = input.ReportingCurrency;
        var rates = input.RatesToReportingCurrency ?? new Dictionary<CurrencyCode, decimal>();
        foreach (var foreign in inPeriod.Select(r => r.Revenue.Currency).Where(c => c != currency).Distinct().OrderBy(c => c.Code, StringComparer.Ordinal))
        {
            if (!rates.TryGetValue(foreign, out var rate))
            {
                errors.Add($"Revenue is reported in {foreign} but the reporting currency is {currency} and no {foreign}→{currency} rate was given.");
            }
            else if (rate <= 0m)
            {
                errors.Add($"The {foreign}→{currency} rate must be positive (got {rate}).");
            }
        }

        if (errors.Count > 0)
        {
            return PortfolioAnalysisResult.Failure(errors);
        }

        var revenueByAccount = input.KeyAccountIds.ToDictionary(id => id, _ => 0m, StringComparer.Ordinal);
        foreach (var report in inPeriod)
        {
            var amount = report.Revenue.Currency == currency ? report.Revenue.Amount : report.Revenue.Amount * rates[report.Revenue.Currency];
            revenueByAccount[report.AccountId] = revenueByAccount.GetValueOrDefault(report.AccountId) + amount;
        }

        var ranked = revenueByAccount
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .ToList();
        var total = ranked.Sum(kv => kv.Value);

        var rows = new List<AccountRevenueShare>(ranked.Count);
        var cumulative = 0m;
        foreach (var (accountId, revenue) in ranked)
        {
            var share = total == 0m ? 0m : revenue / total;
            var before = cumulative;
            cumulative = rows.Count == ranked.Count - 1 && total != 0m ? 1m : cumulative + share;
            rows.Add(new AccountRevenueShare(
                rows.Count + 1,
                accountId,
                new Money(revenue, currency),
                share,
                cumulative,
                Classify(before, total),
                total != 0m && share >= _options.BreadwinnerShare,
                input.KeyAccountIds.Contains(accountId)));
        }

        var keyShare = total == 0m ? 0m : rows.Where(r => r.IsKeyAccount).Sum(r => r.Revenue.Amount) / total;
        var warnings = total == 0m ? [] : Warnings(rows, keyShare);
        return PortfolioAnalysisResult.Success(new PortfolioReport(
            input.Period, new Money(total, currency), rows.ToValueList(), keyShare, warnings.ToValueList()));
    }

    private AbcClass Classify(decimal cumulativeBefore, decimal total) =>
        total == 0m ? AbcClass.C
        : cumulativeBefore < _options.ClassACumulativeShare ? AbcClass.A
        : cumulativeBefore < _options.ClassBCumulativeShare ? AbcClass.B
        : AbcClass.C;

    private List<ConcentrationWarning> Warnings(List<AccountRevenueShare> rows, decimal keyShare)
    {
        var warnings = new List<ConcentrationWarning>();
        foreach (var row in rows.Where(r => r.Share >= _options.SingleAccountWarningShare))
        {
            warnings.Add(new(ConcentrationWarningKind.SingleAccountDominates, WarningSeverity.Warning, row.Share, _options.SingleAccountWarningShare, ValueList.Of(row.AccountId)));
        }

        if (rows.Count >= 2 && rows[0].Share + rows[1].Share is var topTwo && topTwo >= _options.TopTwoWarningShare)
        {
            warnings.Add(new(ConcentrationWarningKind.TopTwoDominate, WarningSeverity.Warning, topTwo, _options.TopTwoWarningShare, ValueList.Of(rows[0].AccountId, rows[1].AccountId)));
        }

        var keyIds = rows.Where(r => r.IsKeyAccount).Select(r => r.AccountId).ToValueList();
        if (keyIds.Count == 0)
        {
            return warnings;
        }

        if (keyShare > _options.MonoDependenceShare) // Seed 001: mono-dependent when the key accounts' share exceeds 75 %.
        {
            warnings.Add(new(ConcentrationWarningKind.MonoDependence, WarningSeverity.Warning, keyShare, _options.MonoDependenceShare, keyIds));
        }
        else if (keyShare < _options.TypicalKeyAccountShareMin)
        {
            warnings.Add(new(ConcentrationWarningKind.KeyAccountShareAtypical, WarningSeverity.Information, keyShare, _options.TypicalKeyAccountShareMin, keyIds));
        }
        else if (keyShare > _options.TypicalKeyAccountShareMax)
        {
            warnings.Add(new(ConcentrationWarningKind.KeyAccountShareAtypical, WarningSeverity.Information, keyShare, _options.TypicalKeyAccountShareMax, keyIds));
        }

        return warnings;
    }
}
