namespace KamFlows.Domain.Portfolio;

/// <summary>
/// Thresholds of the portfolio analysis, as fractions of total revenue (0.25 = 25 %).
/// Defaults: Pareto A/B at 80/95 % cumulative, Breadwinner at 10 % (seed 000), one account ≥ 25 %,
/// top two ≥ 50 % (ours, seed 003: depending on 1–2 large clients), key accounts above 75 % mono-dependence
/// and typical key-account share 30–55 % (seed 001).
/// </summary>
public sealed record PortfolioOptions
{
    public static readonly PortfolioOptions Default = new();

    /// <summary>Class A: the fewest top accounts that together reach this cumulative share.</summary>
    public decimal ClassACumulativeShare { get; init; } = 0.80m;

    /// <summary>Class B: the further accounts needed to reach this cumulative share; the rest are C.</summary>
    public decimal ClassBCumulativeShare { get; init; } = 0.95m;

    public decimal BreadwinnerShare { get; init; } = 0.10m;

    public decimal SingleAccountWarningShare { get; init; } = 0.25m;

    public decimal TopTwoWarningShare { get; init; } = 0.50m;

    public decimal MonoDependenceShare { get; init; } = 0.75m;

    public decimal TypicalKeyAccountShareMin { get; init; } = 0.30m;

    public decimal TypicalKeyAccountShareMax { get; init; } = 0.55m;

    /// <summary>What is wrong with these options, naming the property; empty when they are usable.</summary>
    public ValueList<string> Validate()
    {
        var errors = new List<string>();
        void Fraction(string name, decimal value)
        {
            if (value is <= 0m or > 1m)
            {
                errors.Add($"{name}: must be a fraction greater than 0 and at most 1 (got {value}).");
            }
        }

        Fraction(nameof(ClassACumulativeShare), ClassACumulativeShare);
        Fraction(nameof(ClassBCumulativeShare), ClassBCumulativeShare);
        Fraction(nameof(BreadwinnerShare), BreadwinnerShare);
        Fraction(nameof(SingleAccountWarningShare), SingleAccountWarningShare);
        Fraction(nameof(TopTwoWarningShare), TopTwoWarningShare);
        Fraction(nameof(MonoDependenceShare), MonoDependenceShare);
        Fraction(nameof(TypicalKeyAccountShareMin), TypicalKeyAccountShareMin);
        Fraction(nameof(TypicalKeyAccountShareMax), TypicalKeyAccountShareMax);
        if (ClassBCumulativeShare < ClassACumulativeShare)
        {
            errors.Add($"{nameof(ClassBCumulativeShare)}: must not be below {nameof(ClassACumulativeShare)}.");
        }

        if (TypicalKeyAccountShareMax < TypicalKeyAccountShareMin)
        {
            errors.Add($"{nameof(TypicalKeyAccountShareMax)}: must not be below {nameof(TypicalKeyAccountShareMin)}.");
        }

        return errors.ToValueList();
    }
}
