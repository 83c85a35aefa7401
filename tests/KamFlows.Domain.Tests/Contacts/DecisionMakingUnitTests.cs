using KamFlows.Domain.Contacts;

namespace KamFlows.Domain.Tests.Contacts;

public sealed class DecisionMakingUnitTests
{
    private static readonly DecisionMakingUnit Acme = new("ACME",
    [
        new Contact("C-1", "ACME", "Mikko (CEO)", DmuRole.Executive, Influence.High, Attitude.Supporter),
        new Contact("C-2", "ACME", "Liisa (CFO)", DmuRole.Finance, Influence.High, Attitude.Opponent),
        new Contact("C-3", "ACME", "Jari (IT)", DmuRole.Technical, Influence.Medium, Attitude.Champion),
        new Contact("C-4", "ACME", "Sari (HR)", DmuRole.PeopleOriented, Influence.Low, Attitude.Opponent),
        new Contact("C-5", "ACME", "Timo (IT)", DmuRole.Technical, Influence.Low, Attitude.Neutral),
    ]);

    [Fact]
    public void UnaddressedRoles_ProposalForExecutiveAndFinance_ListsTechnicalAndPeople() =>
        Assert.Equal(ValueList.Of(DmuRole.PeopleOriented, DmuRole.Technical), Acme.UnaddressedRoles([DmuRole.Executive, DmuRole.Finance]));

    [Fact]
    public void UnaddressedRoles_RolesNotInUnit_AreNotRequired() =>
        Assert.Empty(Acme.UnaddressedRoles([DmuRole.Executive, DmuRole.Finance, DmuRole.Technical, DmuRole.PeopleOriented]));

    [Fact]
    public void Roles_Unit_DistinctInEnumOrder() =>
        Assert.Equal(ValueList.Of(DmuRole.Executive, DmuRole.PeopleOriented, DmuRole.Finance, DmuRole.Technical), Acme.Roles);

    [Fact]
    public void KeyPeople_Unit_HighInfluenceOnly() => Assert.Equal(["C-1", "C-2"], Acme.KeyPeople.Select(c => c.Id));

    [Fact]
    public void Opponents_Unit_MostInfluentialFirst() => Assert.Equal(["C-2", "C-4"], Acme.Opponents.Select(c => c.Id));

    [Fact]
    public void HasChampion_UnitWithChampion_True()
    {
        Assert.True(Acme.HasChampion);
        Assert.False(new DecisionMakingUnit("ACME", []).HasChampion);
    }

    [Fact]
    public void WithRole_Technical_BothTechnicalPeople() => Assert.Equal(["C-3", "C-5"], Acme.WithRole(DmuRole.Technical).Select(c => c.Id));

    [Fact]
    public void Constructor_ContactOfOtherAccount_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DecisionMakingUnit("ACME",
            [new Contact("C-9", "OTHER", "Stranger", DmuRole.User, Influence.Low, Attitude.Neutral)]));
        Assert.Contains("belongs to account 'OTHER'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SameContactTwice_Throws() =>
        Assert.Throws<ArgumentException>(() => new DecisionMakingUnit("ACME",
        [
            new Contact("C-1", "ACME", "A", DmuRole.User, Influence.Low, Attitude.Neutral),
            new Contact("C-1", "ACME", "A again", DmuRole.User, Influence.Low, Attitude.Neutral),
        ]));

    [Theory]
    [InlineData(DmuRole.Executive, new[] { ProposalNeed.Exclusivity, ProposalNeed.UnderstandingOfTheirBusiness })]
    [InlineData(DmuRole.PeopleOriented, new[] { ProposalNeed.References, ProposalNeed.SimilarProjects })]
    [InlineData(DmuRole.Finance, new[] { ProposalNeed.Numbers, ProposalNeed.Details })]
    [InlineData(DmuRole.Technical, new[] { ProposalNeed.Numbers, ProposalNeed.Details })]
    [InlineData(DmuRole.User, new ProposalNeed[0])]
    [InlineData(DmuRole.Influencer, new ProposalNeed[0])]
    public void DmuRoleNeeds_Role_WhatTheyReadAProposalFor(DmuRole role, ProposalNeed[] expected) =>
        Assert.Equal(expected, DmuRoleNeeds.For(role));
}
