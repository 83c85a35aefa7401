using KamFlows.Domain.Accounts;
using KamFlows.Domain.Contacts;
using KamFlows.Domain.Events;

namespace KamFlows.Domain.Tests.Events;

public sealed class WireNameTests
{
    [Fact]
    public void Of_PascalCaseMembers_SnakeCase()
    {
        Assert.Equal("image_maker", WireName.Of(KeyClientGroup.ImageMaker));
        Assert.Equal("information_and_control", WireName.Of(BondKind.InformationAndControl));
        Assert.Equal("zero_choice", WireName.Of(BondKind.ZeroChoice));
        Assert.Equal("people_oriented", WireName.Of(DmuRole.PeopleOriented));
    }

    [Fact]
    public void TryParse_ExactNameOnly_CaseSensitive()
    {
        Assert.True(WireName.TryParse<BondKind>("zero_choice", out var bond));
        Assert.Equal(BondKind.ZeroChoice, bond);
        Assert.False(WireName.TryParse<BondKind>("ZeroChoice", out _));
        Assert.False(WireName.TryParse<BondKind>("Zero_Choice", out _));
        Assert.False(WireName.TryParse<BondKind>(null, out _));
    }

    [Fact]
    public void Of_UndefinedValue_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => WireName.Of((BondKind)99));

    [Fact]
    public void All_Enum_DeclarationOrder() =>
        Assert.Equal(["breadwinner", "prospective", "image_maker", "expert"], WireName.All<KeyClientGroup>());

    [Fact]
    public void Days_ThreeLetterNames_RoundTrip()
    {
        Assert.Equal("mon", WireName.OfDay(IsoDayOfWeek.Monday));
        Assert.Equal("sun", WireName.OfDay(IsoDayOfWeek.Sunday));
        Assert.True(WireName.TryParseDay("sat", out var day));
        Assert.Equal(IsoDayOfWeek.Saturday, day);
        Assert.False(WireName.TryParseDay("Sat", out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => WireName.OfDay(IsoDayOfWeek.None));
    }
}
