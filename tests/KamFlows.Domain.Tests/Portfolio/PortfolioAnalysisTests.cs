using KamFlows.Domain.Portfolio;
using static KamFlows.Domain.Tests.TestData;

namespace KamFlows.Domain.Tests.Portfolio;

public sealed class PortfolioAnalysisTests
{
    private static readonly ReportingPeriod Year2026 = ReportingPeriod.Year(2026);
    private static readonly ReportingPeriod Q1 = ReportingPeriod.Quarter(2026, 1);
    private static readonly ReportingPeriod Q2 = ReportingPeriod.Quarter(2026, 2);

    private static RevenueReport Report(string account, ReportingPeriod period, decimal amount, CurrencyCode? currency = null) =>
        new(account, period, new Money(amount, currency ?? CurrencyCode.Eur));

    /// <summary>
    /// The worked example: 1 000 000 EUR in 2026 from three key accounts and six ordinary clients.
    /// ACME's revenue comes in two quarterly reports, NORD's in USD at 0.8, and a 2025 report is ignored.
    /// </summary>
    private static PortfolioInput WorkedExample() => new(
        Year2026,
        [
            Report("ACME", Q1, 120_000m),
            Report("ACME", Q2, 180_000m),
            Report("BALT", Year2026, 200_000m),
            Report("CORE", Year2026, 150_000m),
            Report("DELTA", Year2026, 100_000m),
            Report("NORD", Year2026, 100_000m, CurrencyCode.Usd),
            Report("OMEGA", Year2026, 70_000m),
            Report("PINE", Year2026, 50_000m),
            Report("QUAY", Year2026, 30_000m),
            Report("RIVA", Year2026, 20_000m),
            Report("ACME", ReportingPeriod.Year(2025), 999_999m),
        ],
        new HashSet<string> { "ACME", "BALT", "CORE" },
        CurrencyCode.Eur,
        new Dictionary<CurrencyCode, decimal> { [CurrencyCode.Usd] = 0.8m });

    private static PortfolioReport Analyze(PortfolioInput input, PortfolioOptions? options = null)
    {
        var result = new PortfolioAnalysis(options).Analyze(input);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Report;
    }

    [Fact]
    public void Analyze_WorkedExample_RanksSharesCumulativeAndClasses()
    {
        var report = Analyze(WorkedExample());

        Assert.Equal(Eur(1_000_000m), report.TotalRevenue);
        Assert.Equal(
            [
                (1, "ACME", 300_000m, 0.30m, 0.30m, AbcClass.A),
                (2, "BALT", 200_000m, 0.20m, 0.50m, AbcClass.A),
                (3, "CORE", 150_000m, 0.15m, 0.65m, AbcClass.A),
                (4, "DELTA", 100_000m, 0.10m, 0.75m, AbcClass.A),
                (5, "NORD", 80_000m, 0.08m, 0.83m, AbcClass.A), // crosses 80 %: needed to reach it, so A
                (6, "OMEGA", 70_000m, 0.07m, 0.90m, AbcClass.B),
                (7, "PINE", 50_000m, 0.05m, 0.95m, AbcClass.B),
                (8, "QUAY", 30_000m, 0.03m, 0.98m, AbcClass.C), // 95 % already reached before it
                (9, "RIVA", 20_000m, 0.02m, 1.00m, AbcClass.C),
            ],
            report.Accounts.Select(a => (a.Rank, a.AccountId, a.Revenue.Amount, a.Share, a.CumulativeShare, a.Class)));
    }

    [Fact]
    public void Analyze_WorkedExample_BreadwinnersFromTenPercentInclusive() =>
        Assert.Equal(["ACME", "BALT", "CORE", "DELTA"], Analyze(WorkedExample()).Breadwinners);

    [Fact]
    public void Analyze_WorkedExample_KeyAccountShareAndWarnings()
    {
        var report = Analyze(WorkedExample());

        Assert.Equal(0.65m, report.KeyAccountShare);
        Assert.Equal(
            [
                new ConcentrationWarning(ConcentrationWarningKind.SingleAccountDominates, WarningSeverity.Warning, 0.30m, 0.25m, ValueList.Of("ACME")),
                new ConcentrationWarning(ConcentrationWarningKind.TopTwoDominate, WarningSeverity.Warning, 0.50m, 0.50m, ValueList.Of("ACME", "BALT")),
                new ConcentrationWarning(ConcentrationWarningKind.KeyAccountShareAtypical, WarningSeverity.Information, 0.65m, 0.55m, ValueList.Of("ACME", "BALT", "CORE")),
            ],
            report.Warnings);
    }

    [Fact]
    public void Analyze_WorkedExample_KeyAccountFlagAndRevenueInReportingCurrency()
    {
        var report = Analyze(WorkedExample());

        Assert.True(report.Find("CORE")!.IsKeyAccount);
        Assert.False(report.Find("NORD")!.IsKeyAccount);
        Assert.Equal(Eur(80_000m), report.Find("NORD")!.Revenue);
        Assert.Null(report.Find("NOBODY"));
    }

    [Fact]
    public void Analyze_KeyAccountsAtEightyPercent_MonoDependenceWithoutInformational()
    {
        var report = Analyze(new PortfolioInput(
            Year2026,
            [Report("A", Year2026, 20m), Report("B", Year2026, 20m), Report("C", Year2026, 20m), Report("D", Year2026, 20m), Report("E", Year2026, 20m)],
            new HashSet<string> { "A", "B", "C", "D" },
            CurrencyCode.Eur));

        Assert.Equal(0.80m, report.KeyAccountShare);
        var warning = Assert.Single(report.Warnings);
        Assert.Equal(ConcentrationWarningKind.MonoDependence, warning.Kind);
        Assert.Equal(WarningSeverity.Warning, warning.Severity);
        Assert.Equal(0.75m, warning.Threshold);
        Assert.Equal(ValueList.Of("A", "B", "C", "D"), warning.AccountIds);
    }

    [Fact]
    public void Analyze_KeyAccountsAtExactlySeventyFivePercent_NoMonoDependence()
    {
        // Seed 001: mono-dependent when the share exceeds 75 %; at exactly 75 % it is only above the typical range.
        var report = Analyze(new PortfolioInput(
            Year2026,
            [Report("A", Year2026, 25m), Report("B", Year2026, 25m), Report("C", Year2026, 25m), Report("D", Year2026, 25m)],
            new HashSet<string> { "A", "B", "C" },
            CurrencyCode.Eur));

        Assert.Equal(0.75m, report.KeyAccountShare);
        Assert.DoesNotContain(report.Warnings, w => w.Kind == ConcentrationWarningKind.MonoDependence);
        Assert.Contains(report.Warnings, w => w.Kind == ConcentrationWarningKind.KeyAccountShareAtypical && w.Severity == WarningSeverity.Information);
    }

    [Fact]
    public void Analyze_KeyAccountsBelowThirtyPercent_InformationalLowShare()
    {
        var report = Analyze(new PortfolioInput(
            Year2026,
            [Report("K", Year2026, 20m), Report("X", Year2026, 20m), Report("Y", Year2026, 20m), Report("Z", Year2026, 20m), Report("W", Year2026, 20m)],
            new HashSet<string> { "K" },
            CurrencyCode.Eur));

        var warning = Assert.Single(report.Warnings);
        Assert.Equal((ConcentrationWarningKind.KeyAccountShareAtypical, WarningSeverity.Information, 0.20m, 0.30m), (warning.Kind, warning.Severity, warning.Share, warning.Threshold));
    }

    [Fact]
    public void Analyze_SingleDominantAccount_ClassAAndBothTopWarnings()
    {
        var report = Analyze(new PortfolioInput(
            Year2026,
            [Report("BIG", Year2026, 90m), Report("SMALL", Year2026, 10m)],
            new HashSet<string>(),
            CurrencyCode.Eur));

        Assert.Equal([AbcClass.A, AbcClass.B], report.Accounts.Select(a => a.Class));
        Assert.Equal([ConcentrationWarningKind.SingleAccountDominates, ConcentrationWarningKind.TopTwoDominate], report.Warnings.Select(w => w.Kind));
    }

    [Fact]
    public void Analyze_KeyAccountWithoutReports_ListedWithZeroRevenueClassC()
    {
        var report = Analyze(new PortfolioInput(Year2026, [Report("A", Year2026, 100m)], new HashSet<string> { "A", "SLEEPER" }, CurrencyCode.Eur));

        var sleeper = report.Find("SLEEPER")!;
        Assert.Equal((2, 0m, 0m, AbcClass.C, false), (sleeper.Rank, sleeper.Revenue.Amount, sleeper.Share, sleeper.Class, sleeper.IsBreadwinner));
    }

    [Fact]
    public void Analyze_EqualRevenue_TiesBrokenByAccountId() =>
        Assert.Equal(["A", "M", "Z"], Analyze(new PortfolioInput(
            Year2026, [Report("Z", Year2026, 10m), Report("A", Year2026, 10m), Report("M", Year2026, 10m)], new HashSet<string>(), CurrencyCode.Eur))
            .Accounts.Select(a => a.AccountId));

    [Fact]
    public void Analyze_ThirdsDoNotSumExactly_LastCumulativeIsExactlyOne()
    {
        var report = Analyze(new PortfolioInput(
            Year2026, [Report("A", Year2026, 1m), Report("B", Year2026, 1m), Report("C", Year2026, 1m)], new HashSet<string>(), CurrencyCode.Eur));
        Assert.Equal(1m, report.Accounts[^1].CumulativeShare);
    }

    [Fact]
    public void Analyze_NoRevenue_EmptyReportWithoutWarnings()
    {
        var report = Analyze(new PortfolioInput(Year2026, [], new HashSet<string>(), CurrencyCode.Eur));
        Assert.Equal(Eur(0m), report.TotalRevenue);
        Assert.Empty(report.Accounts);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void Analyze_OnlyZeroRevenue_NoBreadwinnerNoWarnings()
    {
        var report = Analyze(new PortfolioInput(Year2026, [Report("A", Year2026, 0m)], new HashSet<string> { "A" }, CurrencyCode.Eur));
        Assert.False(report.Accounts[0].IsBreadwinner);
        Assert.Equal(AbcClass.C, report.Accounts[0].Class);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void Analyze_CustomThresholds_Applied()
    {
        var options = new PortfolioOptions { BreadwinnerShare = 0.20m, SingleAccountWarningShare = 0.40m, TopTwoWarningShare = 0.60m, ClassACumulativeShare = 0.50m };
        var report = Analyze(WorkedExample(), options);

        Assert.Equal(["ACME", "BALT"], report.Breadwinners);
        Assert.Equal([AbcClass.A, AbcClass.A, AbcClass.B], report.Accounts.Take(3).Select(a => a.Class));
        Assert.DoesNotContain(report.Warnings, w => w.Kind is ConcentrationWarningKind.SingleAccountDominates or ConcentrationWarningKind.TopTwoDominate);
    }

    [Fact]
    public void Analyze_ForeignCurrencyWithoutRate_RefusedNamingCurrencies()
    {
        var result = new PortfolioAnalysis().Analyze(WorkedExample() with { RatesToReportingCurrency = null });

        Assert.False(result.Succeeded);
        Assert.Null(result.Report);
        Assert.Equal(["Revenue is reported in USD but the reporting currency is EUR and no USD→EUR rate was given."], result.Errors);
    }

    [Fact]
    public void Analyze_NonPositiveRate_Refused()
    {
        var result = new PortfolioAnalysis().Analyze(WorkedExample() with { RatesToReportingCurrency = new Dictionary<CurrencyCode, decimal> { [CurrencyCode.Usd] = 0m } });
        Assert.Equal(["The USD→EUR rate must be positive (got 0)."], result.Errors);
    }

    [Fact]
    public void Analyze_ReportPartlyInsidePeriod_Refused()
    {
        var straddling = new ReportingPeriod(Date("2025-12-01"), Date("2026-01-31"));
        var result = new PortfolioAnalysis().Analyze(new PortfolioInput(Year2026, [Report("A", straddling, 10m)], new HashSet<string>(), CurrencyCode.Eur));

        Assert.Equal(
            ["Revenue report of account 'A' for 2025-12-01..2026-01-31 only partly overlaps the period 2026-01-01..2026-12-31; report it per month or quarter inside the period."],
            result.Errors);
    }

    [Fact]
    public void Analyze_OverlappingReportsOfOneAccount_RefusedAsDoubleCounting()
    {
        var result = new PortfolioAnalysis().Analyze(new PortfolioInput(Year2026, [Report("A", Q1, 10m), Report("A", Year2026, 40m)], new HashSet<string>(), CurrencyCode.Eur));

        Assert.Equal(
            ["Account 'A' has overlapping revenue reports 2026-01-01..2026-03-31 and 2026-01-01..2026-12-31; revenue would be counted twice."],
            result.Errors);
    }

    [Fact]
    public void Analyze_LongReportCoveringTwoShortOnes_BothOverlapsReported()
    {
        var feb = new ReportingPeriod(Date("2026-02-01"), Date("2026-02-28"));
        var march = new ReportingPeriod(Date("2026-03-01"), Date("2026-03-31"));
        var result = new PortfolioAnalysis().Analyze(new PortfolioInput(
            Year2026, [Report("A", march, 1m), Report("A", Year2026, 1m), Report("A", feb, 1m), Report("B", feb, 1m), Report("B", march, 1m)], new HashSet<string>(), CurrencyCode.Eur));

        Assert.Equal(
            [
                "Account 'A' has overlapping revenue reports 2026-01-01..2026-12-31 and 2026-02-01..2026-02-28; revenue would be counted twice.",
                "Account 'A' has overlapping revenue reports 2026-01-01..2026-12-31 and 2026-03-01..2026-03-31; revenue would be counted twice.",
            ],
            result.Errors);
    }

    [Fact]
    public void Analyze_InvalidOptions_RefusedNamingTheOption()
    {
        var result = new PortfolioAnalysis(new PortfolioOptions { ClassACumulativeShare = 0.97m }).Analyze(WorkedExample());
        Assert.Equal(["ClassBCumulativeShare: must not be below ClassACumulativeShare."], result.Errors);
    }

    [Fact]
    public void Validate_DefaultOptions_NoErrorsAndDocumentedDefaults()
    {
        var options = PortfolioOptions.Default;
        Assert.Empty(options.Validate());
        Assert.Equal(
            (0.80m, 0.95m, 0.10m, 0.25m, 0.50m, 0.75m, 0.30m, 0.55m),
            (options.ClassACumulativeShare, options.ClassBCumulativeShare, options.BreadwinnerShare, options.SingleAccountWarningShare,
                options.TopTwoWarningShare, options.MonoDependenceShare, options.TypicalKeyAccountShareMin, options.TypicalKeyAccountShareMax));
    }

    [Fact]
    public void Validate_PercentInsteadOfFraction_Explains() =>
        Assert.Contains("BreadwinnerShare: must be a fraction greater than 0 and at most 1 (got 10).", new PortfolioOptions { BreadwinnerShare = 10m }.Validate());

    [Fact]
    public void Validate_TypicalRangeReversed_Explains() =>
        Assert.Equal(["TypicalKeyAccountShareMax: must not be below TypicalKeyAccountShareMin."], new PortfolioOptions { TypicalKeyAccountShareMin = 0.6m }.Validate());
}
