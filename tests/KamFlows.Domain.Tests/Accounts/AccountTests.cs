using KamFlows.Domain.Accounts;
using static KamFlows.Domain.Tests.TestData;

namespace KamFlows.Domain.Tests.Accounts;

public sealed class AccountTests
{
    private static Account NewAccount(
        IEnumerable<KeyClientGroup>? groups = null,
        IEnumerable<BondKind>? bonds = null,
        Money? priceFloor = null) =>
        new("ACME", "Acme Oy", Member("kam@example.fi"), Member("head@example.fi"), CurrencyCode.Eur, groups, bonds, priceFloor);

    [Fact]
    public void Constructor_Country_UpperCasedWhenKnown_RefusedNamingTheParameterWhenNot()
    {
        Assert.Equal("BG", new Account("ACME", "Acme", Member("k@example.fi"), Member("h@example.fi"), CurrencyCode.Eur, country: "bg").Country);
        Assert.Null(NewAccount().Country);
        var ex = Assert.Throws<ArgumentException>(() => new Account("ACME", "Acme", Member("k@example.fi"), Member("h@example.fi"), CurrencyCode.Eur, country: "XX"));
        Assert.Equal("country", ex.ParamName);
    }

    [Fact]
    public void Constructor_AssignedBreadwinner_ThrowsBecauseItIsComputed()
    {
        var ex = Assert.Throws<ArgumentException>(() => NewAccount(groups: [KeyClientGroup.Breadwinner]));
        Assert.Contains("computed from revenue", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_GroupsAndBonds_DistinctAndSorted()
    {
        var account = NewAccount(
            groups: [KeyClientGroup.Expert, KeyClientGroup.Prospective, KeyClientGroup.Expert],
            bonds: [BondKind.Value, BondKind.Personal, BondKind.Value]);

        Assert.Equal(ValueList.Of(KeyClientGroup.Prospective, KeyClientGroup.Expert), account.AssignedGroups);
        Assert.Equal(ValueList.Of(BondKind.Personal, BondKind.Value), account.Bonds);
    }

    [Fact]
    public void GroupsWith_Breadwinner_AddsItInOrder()
    {
        var account = NewAccount(groups: [KeyClientGroup.ImageMaker]);

        Assert.Equal(ValueList.Of(KeyClientGroup.Breadwinner, KeyClientGroup.ImageMaker), account.GroupsWith(isBreadwinner: true));
        Assert.Equal(ValueList.Of(KeyClientGroup.ImageMaker), account.GroupsWith(isBreadwinner: false));
    }

    [Fact]
    public void Constructor_PriceFloorInOtherCurrency_Throws() =>
        Assert.Throws<ArgumentException>(() => NewAccount(priceFloor: new Money(1000m, CurrencyCode.Usd)));

    [Fact]
    public void Constructor_NegativePriceFloor_Throws() =>
        Assert.Throws<ArgumentException>(() => NewAccount(priceFloor: Eur(-1m)));

    [Fact]
    public void Constructor_InvalidId_Throws() =>
        Assert.Throws<ArgumentException>(() => new Account("a/b", "Acme", Member("k@example.fi"), Member("h@example.fi"), CurrencyCode.Eur));

    [Theory]
    [InlineData(49_999.99, PriceFloorVerdict.BelowFloor, true)]
    [InlineData(50_000.00, PriceFloorVerdict.AtOrAboveFloor, false)]
    [InlineData(75_000.00, PriceFloorVerdict.AtOrAboveFloor, false)]
    public void CheckPrice_AgainstFloor_VerdictAndApproval(decimal price, PriceFloorVerdict expected, bool approval)
    {
        var verdict = NewAccount(priceFloor: Eur(50_000m)).CheckPrice(Eur(price));

        Assert.Equal(expected, verdict);
        Assert.Equal(approval, verdict.RequiresApproval());
    }

    [Fact]
    public void CheckPrice_NoFloor_NoApprovalNeeded()
    {
        var verdict = NewAccount().CheckPrice(Eur(1m));
        Assert.Equal(PriceFloorVerdict.NoFloorSet, verdict);
        Assert.False(verdict.RequiresApproval());
    }

    [Fact]
    public void CheckPrice_OtherCurrencyThanFloor_NeedsApproval()
    {
        var verdict = NewAccount(priceFloor: Eur(50_000m)).CheckPrice(new Money(90_000m, CurrencyCode.Usd));
        Assert.Equal(PriceFloorVerdict.CurrencyMismatch, verdict);
        Assert.True(verdict.RequiresApproval());
    }

    [Theory]
    [InlineData(new[] { BondKind.Value }, true)]
    [InlineData(new[] { BondKind.Value, BondKind.Structural, BondKind.ZeroChoice }, true)]
    [InlineData(new[] { BondKind.Value, BondKind.Personal }, false)]
    [InlineData(new[] { BondKind.Value, BondKind.InformationAndControl }, false)]
    [InlineData(new[] { BondKind.Value, BondKind.Brand }, false)]
    [InlineData(new[] { BondKind.Structural }, false)]
    public void IsHeldMainlyByValueBonds_BondMix_Expected(BondKind[] bonds, bool expected) =>
        Assert.Equal(expected, NewAccount(bonds: bonds).IsHeldMainlyByValueBonds);

    [Fact]
    public void MissingNurturedBonds_OnlyPersonalBond_InformationAndControlMissing()
    {
        Assert.Equal(ValueList.Of(BondKind.InformationAndControl), NewAccount(bonds: [BondKind.Personal, BondKind.Value]).MissingNurturedBonds);
        Assert.Equal(ValueList.Of(BondKind.Personal, BondKind.InformationAndControl), NewAccount().MissingNurturedBonds);
    }

    [Fact]
    public void Defaults_NewAccount_KeyAccountWithoutDirectReferenceRequests()
    {
        var account = NewAccount();
        Assert.True(account.IsKeyAccount);
        Assert.False(account.AllowsDirectReferenceRequests);
        Assert.Equal("Europe/Helsinki", account.Kam.TimeZone.Id);
    }
}
