namespace KamFlows.Domain.Contacts;

/// <summary>How much a DMU member weighs in the decision, formal or informal.</summary>
public enum Influence
{
    Low,
    Medium,
    High,
}
