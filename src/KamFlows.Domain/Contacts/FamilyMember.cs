namespace KamFlows.Domain.Contacts;

/// <summary>A family member of a contact, e.g. ("daughter", "Anna", --06-01). Part of personal data only.</summary>
public sealed record FamilyMember(string Relation, string? Name = null, Birthday? Birthday = null)
{
    public string Relation { get; } = string.IsNullOrWhiteSpace(Relation)
        ? throw new ArgumentException("A family member needs a relation (e.g. 'spouse').", nameof(Relation))
        : Relation;
}
