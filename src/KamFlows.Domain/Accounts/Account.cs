using KamFlows.Domain.Calendar;
using KamFlows.Domain.Common;

namespace KamFlows.Domain.Accounts;

/// <summary>
/// A client account as KamFlows sees it.
/// <para>Invariants: valid id and non-empty name; <see cref="AssignedGroups"/> never contains
/// <see cref="KeyClientGroup.Breadwinner"/> (it is computed from revenue, see <see cref="GroupsWith"/>);
/// groups and bonds are distinct and sorted; the price floor, when set, is non-negative and in the account currency.</para>
/// </summary>
public sealed record Account
{
    /// <summary>Bonds the account-care workflow nurtures: cheap, durable, hard for competitors to break (seed 002).</summary>
    public static readonly ValueList<BondKind> NurturedBonds = ValueList.Of(BondKind.Personal, BondKind.InformationAndControl);

    public Account(
        string id,
        string name,
        TeamMember kam,
        TeamMember head,
        CurrencyCode currency,
        IEnumerable<KeyClientGroup>? assignedGroups = null,
        IEnumerable<BondKind>? bonds = null,
        Money? priceFloor = null,
        bool allowsDirectReferenceRequests = false,
        bool isKeyAccount = true,
        string? country = null)
    {
        Country = NationalHolidays.RequireOptionalCountry(country);
        Id = EntityId.Require(id);
        Name = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("An account needs a name.", nameof(name)) : name;
        Kam = kam ?? throw new ArgumentNullException(nameof(kam));
        Head = head ?? throw new ArgumentNullException(nameof(head));
        Currency = currency ?? throw new ArgumentNullException(nameof(currency));
        AssignedGroups = (assignedGroups ?? []).Distinct().Order().ToValueList();
        if (AssignedGroups.Contains(KeyClientGroup.Breadwinner))
        {
            throw new ArgumentException("Breadwinner is computed from revenue and cannot be assigned.", nameof(assignedGroups));
        }

        Bonds = (bonds ?? []).Distinct().Order().ToValueList();
        if (priceFloor is not null && (priceFloor.IsNegative || priceFloor.Currency != currency))
        {
            throw new ArgumentException($"The price floor must be non-negative and in {currency}.", nameof(priceFloor));
        }

        PriceFloor = priceFloor;
        AllowsDirectReferenceRequests = allowsDirectReferenceRequests;
        IsKeyAccount = isKeyAccount;
    }

    public string Id { get; }

    public string Name { get; }

    /// <summary>The key account manager who owns the account.</summary>
    public TeamMember Kam { get; }

    /// <summary>The head of the key-account department, who approves and is escalated to.</summary>
    public TeamMember Head { get; }

    public CurrencyCode Currency { get; }

    /// <summary>Groups set by the KAM or the CRM: Prospective, Image-maker, Expert.</summary>
    public ValueList<KeyClientGroup> AssignedGroups { get; }

    public ValueList<BondKind> Bonds { get; }

    /// <summary>The price below which we do not go without the head's approval; null when none is set.</summary>
    public Money? PriceFloor { get; }

    /// <summary>Whether KamFlows may send reference-letter requests to the client itself, instead of reminding the KAM to ask.</summary>
    public bool AllowsDirectReferenceRequests { get; }

    /// <summary>False for ordinary clients whose revenue is reported only so portfolio shares are right.</summary>
    public bool IsKeyAccount { get; }

    /// <summary>The client's country (ISO 3166-1 alpha-2): its national holidays count in deadlines that concern the client.</summary>
    public string? Country { get; }

    /// <summary>All groups, with Breadwinner added when the portfolio analysis says so.</summary>
    public ValueList<KeyClientGroup> GroupsWith(bool isBreadwinner) =>
        isBreadwinner ? AssignedGroups.Append(KeyClientGroup.Breadwinner).Order().ToValueList() : AssignedGroups;

    /// <summary>Compares a price (after any discount) with the account's floor.</summary>
    public PriceFloorVerdict CheckPrice(Money price)
    {
        ArgumentNullException.ThrowIfNull(price);
        if (PriceFloor is null)
        {
            return PriceFloorVerdict.NoFloorSet;
        }

        if (price.Currency != PriceFloor.Currency)
        {
            return PriceFloorVerdict.CurrencyMismatch;
        }

        return price < PriceFloor ? PriceFloorVerdict.BelowFloor : PriceFloorVerdict.AtOrAboveFloor;
    }

    /// <summary>
    /// Held mainly by value bonds: a value bond and neither a personal, information-and-control, attitude
    /// nor brand bond. Such accounts are flagged when their margin is low (seed 002: value bonds are often only "expensive").
    /// </summary>
    public bool IsHeldMainlyByValueBonds =>
        Bonds.Contains(BondKind.Value)
        && !Bonds.Any(b => b is BondKind.Personal or BondKind.InformationAndControl or BondKind.Attitude or BondKind.Brand);

    /// <summary>The nurtured bonds (personal, information-and-control) the account does not have yet.</summary>
    public ValueList<BondKind> MissingNurturedBonds => NurturedBonds.Except(Bonds).ToValueList();
}
