namespace KamFlows.Domain.Contacts;

/// <summary>What a reader of a proposal looks for in it (seed 001).</summary>
public enum ProposalNeed
{
    Exclusivity,
    UnderstandingOfTheirBusiness,
    References,
    SimilarProjects,
    Numbers,
    Details,
}

public static class DmuRoleNeeds
{
    /// <summary>
    /// What a role wants to find in a proposal: executives exclusivity and proof we understand their
    /// business; HR references and similar projects; finance and technical people numbers and details.
    /// The seeds say nothing for users and influencers, so they get no specific need.
    /// </summary>
    public static ValueList<ProposalNeed> For(DmuRole role) => role switch
    {
        DmuRole.Executive => ValueList.Of(ProposalNeed.Exclusivity, ProposalNeed.UnderstandingOfTheirBusiness),
        DmuRole.PeopleOriented => ValueList.Of(ProposalNeed.References, ProposalNeed.SimilarProjects),
        DmuRole.Finance or DmuRole.Technical => ValueList.Of(ProposalNeed.Numbers, ProposalNeed.Details),
        DmuRole.User or DmuRole.Influencer => ValueList.Empty<ProposalNeed>(),
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown DMU role."),
    };
}
