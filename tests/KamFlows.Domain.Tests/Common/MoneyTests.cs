namespace KamFlows.Domain.Tests.Common;

public sealed class MoneyTests
{
    [Fact]
    public void Add_SameCurrency_SumsAmounts() =>
        Assert.Equal(new Money(150.75m, CurrencyCode.Eur), new Money(100.50m, CurrencyCode.Eur).Add(new Money(50.25m, CurrencyCode.Eur)));

    [Fact]
    public void Subtract_SameCurrency_CanGoNegative()
    {
        var result = new Money(10m, CurrencyCode.Eur).Subtract(new Money(25m, CurrencyCode.Eur));
        Assert.Equal(-15m, result.Amount);
        Assert.True(result.IsNegative);
    }

    [Fact]
    public void Add_DifferentCurrencies_Throws()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new Money(1m, CurrencyCode.Eur).Add(new Money(1m, CurrencyCode.Usd)));
        Assert.Contains("EUR with USD", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_DifferentCurrencies_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new Money(1m, CurrencyCode.Eur) < new Money(2m, CurrencyCode.Usd));

    [Fact]
    public void Operators_SameCurrency_CompareAmounts()
    {
        var small = new Money(99.99m, CurrencyCode.Eur);
        var large = new Money(100m, CurrencyCode.Eur);
        Assert.True(small < large);
        Assert.True(large > small);
        Assert.True(large >= new Money(100.00m, CurrencyCode.Eur));
        Assert.True(small <= large);
        Assert.False(large < small);
    }

    [Fact]
    public void Equality_SameAmountAndCurrency_AreEqual() =>
        Assert.Equal(new Money(5m, CurrencyCode.Parse("SEK")), new Money(5m, CurrencyCode.Parse("SEK")));

    [Fact]
    public void ConvertTo_OtherCurrency_MultipliesByRate() =>
        Assert.Equal(new Money(92m, CurrencyCode.Eur), new Money(100m, CurrencyCode.Usd).ConvertTo(CurrencyCode.Eur, 0.92m));

    [Fact]
    public void ConvertTo_SameCurrency_ReturnsItselfWhateverTheRate() =>
        Assert.Equal(new Money(100m, CurrencyCode.Eur), new Money(100m, CurrencyCode.Eur).ConvertTo(CurrencyCode.Eur, 0m));

    [Fact]
    public void ConvertTo_ZeroRate_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Money(1m, CurrencyCode.Usd).ConvertTo(CurrencyCode.Eur, 0m));

    [Fact]
    public void ToString_AnyAmount_UsesInvariantDigitsAndCode()
    {
        Assert.Equal("1234.50 EUR", new Money(1234.5m, CurrencyCode.Eur).ToString());
        Assert.Equal("0.125 USD", new Money(0.125m, CurrencyCode.Usd).ToString());
    }

    [Fact]
    public void Zero_AnyCurrency_HasZeroAmount() => Assert.Equal(0m, Money.Zero(CurrencyCode.Rub).Amount);
}
