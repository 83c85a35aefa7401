namespace KamFlows.Domain.Sales;

/// <summary>
/// Stages a large deal goes through as the buyer "matures" (seed 000), then its outcome.
/// CRM pipelines map their own stages onto these.
/// </summary>
public enum OpportunityStage
{
    /// <summary>The client recognises a need.</summary>
    NeedsRecognition,

    /// <summary>The client compares options and sets criteria; we influence the criteria against competitors.</summary>
    EvaluationOfOptions,

    /// <summary>The client weighs risks and concerns before committing.</summary>
    ResolutionOfConcerns,

    /// <summary>The client decides.</summary>
    Decision,

    Won,

    Lost,
}

public static class OpportunityStageExtensions
{
    public static bool IsClosed(this OpportunityStage stage) => stage is OpportunityStage.Won or OpportunityStage.Lost;
}
