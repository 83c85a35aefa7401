namespace KamFlows.Domain.Portfolio;

public enum ConcentrationWarningKind
{
    /// <summary>One account brings at least the single-account threshold (default 25 %).</summary>
    SingleAccountDominates,

    /// <summary>The two largest accounts together bring at least the top-two threshold (default 50 %).</summary>
    TopTwoDominate,

    /// <summary>Key accounts bring more than the mono-dependence threshold (default 75 %, seed 001: "exceeds").</summary>
    MonoDependence,

    /// <summary>Key accounts' share is outside the typical range (default 30–55 %, seed 001); informational.</summary>
    KeyAccountShareAtypical,
}

public enum WarningSeverity
{
    Information,
    Warning,
}

/// <summary>A concentration risk found in the portfolio: which rule, the share that triggered it, the threshold, and the accounts involved.</summary>
public sealed record ConcentrationWarning(
    ConcentrationWarningKind Kind,
    WarningSeverity Severity,
    decimal Share,
    decimal Threshold,
    ValueList<string> AccountIds);
