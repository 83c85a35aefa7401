using KamFlows.Domain.Contacts;
using static KamFlows.Domain.Tests.TestData;

namespace KamFlows.Domain.Tests.Contacts;

public sealed class ContactPersonalDataTests
{
    private static ContactPersonalData Liisa() => new(
        ContactPersonalData.IdForContact("C-1"),
        "C-1",
        new Birthday(new AnnualDate(4, 12), 1975),
        hobbies: ["sailing", " ", "  chess "],
        family: [new FamilyMember("daughter", "Aino", new Birthday(new AnnualDate(6, 1)))],
        values: ["punctuality"]);

    [Fact]
    public void Constructor_Hobbies_BlankDroppedAndTrimmed() => Assert.Equal(ValueList.Of("sailing", "chess"), Liisa().Hobbies);

    [Fact]
    public void Erase_HeldData_EveryPersonalFieldEmptyIdKept()
    {
        var erased = Liisa().Erase(At("2026-05-04T10:00:00Z"));

        Assert.True(erased.IsErased);
        Assert.Equal(At("2026-05-04T10:00:00Z"), erased.ErasedAt);
        Assert.Equal("personal:C-1", erased.Id);
        Assert.Equal("C-1", erased.ContactId);
        Assert.Null(erased.Birthday);
        Assert.Empty(erased.Hobbies);
        Assert.Empty(erased.Family);
        Assert.Empty(erased.Values);
    }

    [Fact]
    public void Erase_AlreadyErased_KeepsFirstErasureTime()
    {
        var twice = Liisa().Erase(At("2026-05-04T10:00:00Z")).Erase(At("2026-06-01T10:00:00Z"));
        Assert.Equal(At("2026-05-04T10:00:00Z"), twice.ErasedAt);
    }

    [Fact]
    public void IsErased_FreshRecord_False() => Assert.False(Liisa().IsErased);

    [Fact]
    public void Equality_SameContent_Equal() => Assert.Equal(Liisa(), Liisa());

    [Fact]
    public void FamilyMember_WithoutRelation_Throws() => Assert.Throws<ArgumentException>(() => new FamilyMember(""));
}
