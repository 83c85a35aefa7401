namespace KamFlows.Domain.Tests.Common;

public sealed class CurrencyCodeTests
{
    [Theory]
    [InlineData("EUR")]
    [InlineData("USD")]
    [InlineData("RUB")]
    [InlineData("BGN")]
    [InlineData("JPY")]
    [InlineData("XCG")]
    public void Parse_CirculatingCurrency_KeepsCode(string code) => Assert.Equal(code, CurrencyCode.Parse(code).Code);

    [Theory]
    [InlineData("eur")]
    [InlineData("EURO")]
    [InlineData("EU")]
    [InlineData("XAU")]
    [InlineData("XXX")]
    [InlineData("ABC")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_NotAnIsoCurrency_Fails(string? code)
    {
        Assert.False(CurrencyCode.TryParse(code, out var currency));
        Assert.Null(currency);
    }

    [Fact]
    public void Parse_Unknown_ThrowsWithHelpfulMessage()
    {
        var ex = Assert.Throws<ArgumentException>(() => CurrencyCode.Parse("EURO"));
        Assert.Contains("'EURO' is not an ISO 4217 currency code", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_SameCode_AreEqualAndHashAlike()
    {
        Assert.Equal(CurrencyCode.Eur, CurrencyCode.Parse("EUR"));
        Assert.Equal(CurrencyCode.Eur.GetHashCode(), CurrencyCode.Parse("EUR").GetHashCode());
        Assert.Equal("EUR", CurrencyCode.Eur.ToString());
    }
}
