namespace KamFlows.Domain.Sales;

/// <summary>How a proposal reached the client (seed 001: "by email or letter").</summary>
public enum ProposalChannel
{
    Email,
    Letter,
    InPerson,
    Portal,
}
