using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.References;

/// <summary>What the reference workflow knows about one delivery: how it went, complaints, the request and what came back.</summary>
public sealed class ReferenceLetterState : WorkflowState
{
    public DateTimeOffset? CompletedAt { get; set; }

    public bool OnTime { get; set; }

    public bool ExpectationsMet { get; set; }

    public string? Description { get; set; }

    public List<string> OpenComplaints { get; set; } = [];

    public DateTimeOffset? LastComplaintResolvedAt { get; set; }

    /// <summary>When the letter was asked for (task to the KAM or request to the client).</summary>
    public DateTimeOffset? AskedAt { get; set; }

    /// <summary>The account allows direct requests but no client contact could receive one: the KAM asks instead.</summary>
    public bool ClientRequestImpossible { get; set; }

    public string? ClientContactId { get; set; }

    public DateTimeOffset? LetterReceivedAt { get; set; }

    public string? LetterUrl { get; set; }

    public DateTimeOffset? ReferralReceivedAt { get; set; }
}
