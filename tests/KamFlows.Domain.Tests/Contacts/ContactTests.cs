using KamFlows.Domain.Contacts;

namespace KamFlows.Domain.Tests.Contacts;

public sealed class ContactTests
{
    private static Contact Cfo() => new(
        "C-1", "ACME", "Liisa Korhonen", DmuRole.Finance, Influence.High, Attitude.Sceptic,
        jobTitle: "CFO", email: EmailAddress.Parse("liisa@acme.fi"), phone: "+358 40 123 4567",
        reportsToContactId: "C-0", personalDataId: ContactPersonalData.IdForContact("C-1"));

    [Fact]
    public void Erase_ContactWithDetails_RemovesEverythingIdentifying()
    {
        var erased = Cfo().Erase();

        Assert.True(erased.IsErased);
        Assert.Equal(Contact.ErasedName, erased.Name);
        Assert.Null(erased.JobTitle);
        Assert.Null(erased.Email);
        Assert.Null(erased.Phone);
        Assert.Null(erased.PersonalDataId);
    }

    [Fact]
    public void Erase_ContactWithDetails_KeepsPlaceInTheDecisionScheme()
    {
        var erased = Cfo().Erase();

        Assert.Equal(("C-1", "ACME", DmuRole.Finance, Influence.High, Attitude.Sceptic, "C-0"),
            (erased.Id, erased.AccountId, erased.Role, erased.Influence, erased.Attitude, erased.ReportsToContactId));
    }

    [Fact]
    public void Constructor_Country_UpperCasedWhenKnown_RefusedNamingTheParameterWhenNot()
    {
        Assert.Equal("RU", new Contact("C-1", "ACME", "X", DmuRole.User, Influence.Low, Attitude.Neutral, country: "ru").Country);
        var ex = Assert.Throws<ArgumentException>(() => new Contact("C-1", "ACME", "X", DmuRole.User, Influence.Low, Attitude.Neutral, country: "RUS"));
        Assert.Equal("country", ex.ParamName);
    }

    [Fact]
    public void Constructor_EmptyName_Throws() =>
        Assert.Throws<ArgumentException>(() => new Contact("C-1", "ACME", " ", DmuRole.User, Influence.Low, Attitude.Neutral));

    [Fact]
    public void Constructor_UndefinedRole_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Contact("C-1", "ACME", "X", (DmuRole)42, Influence.Low, Attitude.Neutral));

    [Fact]
    public void PersonalDataId_Contact_ReferencesRecordByIdOnly() =>
        Assert.Equal("personal:C-1", Cfo().PersonalDataId);
}
