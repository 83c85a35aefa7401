namespace KamFlows.Domain.Tests.Common;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("anna.virtanen@example.fi")]
    [InlineData("kam+alerts@sub.example.com")]
    [InlineData("и.петров@пример.рф")]
    public void Parse_ValidAddress_KeepsValue(string value) => Assert.Equal(value, EmailAddress.Parse(value).Value);

    [Theory]
    [InlineData("")]
    [InlineData("no-at-sign.example.com")]
    [InlineData("@example.com")]
    [InlineData("anna@")]
    [InlineData("anna@localhost")]
    [InlineData("anna@@example.com")]
    [InlineData("anna@exa@mple.com")]
    [InlineData("anna virtanen@example.com")]
    [InlineData("Anna <anna@example.com>")]
    [InlineData("anna@example..com")]
    [InlineData("anna@example.")]
    [InlineData("anna@.example.com")]
    public void IsValid_Malformed_False(string value) => Assert.False(EmailAddress.IsValid(value));

    [Fact]
    public void IsValid_LongerThan254_False() => Assert.False(EmailAddress.IsValid(new string('a', 245) + "@example.com"));

    [Fact]
    public void Parse_Malformed_Throws() => Assert.Throws<ArgumentException>(() => EmailAddress.Parse("nope"));
}
