namespace KamFlows.Domain.Accounts;

/// <summary>How a proposed price compares with the account's price floor (seed 000: "the price below which you will not go").</summary>
public enum PriceFloorVerdict
{
    /// <summary>The account has no floor; nothing to check.</summary>
    NoFloorSet,

    /// <summary>The price is at or above the floor.</summary>
    AtOrAboveFloor,

    /// <summary>The price is below the floor: the head must approve it.</summary>
    BelowFloor,

    /// <summary>The price is in another currency than the floor, so it cannot be checked: the head must approve it.</summary>
    CurrencyMismatch,
}

public static class PriceFloorVerdictExtensions
{
    /// <summary>Whether the price needs the head's approval instead of passing silently.</summary>
    public static bool RequiresApproval(this PriceFloorVerdict verdict) =>
        verdict is PriceFloorVerdict.BelowFloor or PriceFloorVerdict.CurrencyMismatch;
}
