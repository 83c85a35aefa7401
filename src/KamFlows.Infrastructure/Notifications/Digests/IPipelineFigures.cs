namespace KamFlows.Infrastructure.Notifications.Digests;

/// <summary>One open opportunity in a KAM's pipeline, its amount in the reporting currency.</summary>
public sealed record PipelineEntry(string AccountId, string OpportunityId, string Stage, decimal Amount, string Currency);

/// <summary>
/// Open pipeline per KAM for the head's weekly report (the workflows' plans do not carry amounts). A port of the
/// notifications area, to be implemented by the account store; when none is registered the report shows the pipeline
/// as "—" and leaves out pipeline by stage.
/// </summary>
public interface IPipelineFigures
{
    /// <summary>Open opportunities of the KAM's accounts, amounts converted to one reporting currency.</summary>
    Task<IReadOnlyList<PipelineEntry>> OpenPipelineAsync(string kamEmail, CancellationToken cancellationToken);
}
