using System.Globalization;

namespace KamFlows.Domain.Common;

/// <summary>
/// An amount in one currency. Invariant: arithmetic and comparison only between equal currencies;
/// mixing currencies is a programming error and throws, because a silent mix corrupts revenue.
/// </summary>
public sealed record Money(decimal Amount, CurrencyCode Currency) : IComparable<Money>
{
    public CurrencyCode Currency { get; } = Currency ?? throw new ArgumentNullException(nameof(Currency));

    public static Money Zero(CurrencyCode currency) => new(0m, currency);

    public bool IsNegative => Amount < 0m;

    public Money Add(Money other)
    {
        RequireSameCurrency(other);
        return new Money(Amount + other.Amount, Currency);
    }

    public Money Subtract(Money other)
    {
        RequireSameCurrency(other);
        return new Money(Amount - other.Amount, Currency);
    }

    /// <summary>Converts with <paramref name="rate"/> units of <paramref name="target"/> per one unit of this currency.</summary>
    public Money ConvertTo(CurrencyCode target, decimal rate)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target == Currency)
        {
            return this;
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        return new Money(Amount * rate, target);
    }

    public int CompareTo(Money? other)
    {
        ArgumentNullException.ThrowIfNull(other);
        RequireSameCurrency(other);
        return Amount.CompareTo(other.Amount);
    }

    public static bool operator <(Money left, Money right) => Compare(left, right) < 0;

    public static bool operator >(Money left, Money right) => Compare(left, right) > 0;

    public static bool operator <=(Money left, Money right) => Compare(left, right) <= 0;

    public static bool operator >=(Money left, Money right) => Compare(left, right) >= 0;

    public override string ToString() => Amount.ToString("0.00##########", CultureInfo.InvariantCulture) + " " + Currency.Code;

    private static int Compare(Money left, Money right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.CompareTo(right);
    }

    private void RequireSameCurrency(Money other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Currency != Currency)
        {
            throw new InvalidOperationException($"Cannot combine {Currency} with {other.Currency}; convert to one currency first.");
        }
    }
}
