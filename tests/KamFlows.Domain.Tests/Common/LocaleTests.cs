namespace KamFlows.Domain.Tests.Common;

public sealed class LocaleTests
{
    [Theory]
    [InlineData("en", "en")]
    [InlineData("fi-FI", "fi")]
    [InlineData("ru", "ru")]
    [InlineData("bg-BG", "bg")]
    [InlineData("sr-Latn-RS", "sr")]
    public void Parse_LanguageTag_ExposesLanguage(string tag, string language)
    {
        var locale = Locale.Parse(tag);
        Assert.Equal(tag, locale.Tag);
        Assert.Equal(language, locale.Language);
    }

    [Theory]
    [InlineData("")]
    [InlineData("english")]
    [InlineData("EN")]
    [InlineData("e")]
    [InlineData("fi_FI")]
    [InlineData("fi-")]
    [InlineData("fi-toolongsubtag")]
    public void IsValid_NotATag_False(string tag) => Assert.False(Locale.IsValid(tag));
}
