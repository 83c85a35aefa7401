namespace KamFlows.Domain.Portfolio;

/// <summary>Either a <see cref="PortfolioReport"/> or the reasons the data could not be analysed.</summary>
public sealed record PortfolioAnalysisResult
{
    private PortfolioAnalysisResult(PortfolioReport? report, ValueList<string> errors)
    {
        Report = report;
        Errors = errors;
    }

    public PortfolioReport? Report { get; }

    public ValueList<string> Errors { get; }

    [MemberNotNullWhen(true, nameof(Report))]
    public bool Succeeded => Report is not null;

    internal static PortfolioAnalysisResult Success(PortfolioReport report) => new(report, ValueList.Empty<string>());

    internal static PortfolioAnalysisResult Failure(IEnumerable<string> errors) => new(null, errors.ToValueList());
}
