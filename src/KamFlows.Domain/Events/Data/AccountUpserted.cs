using KamFlows.Domain.Accounts;

namespace KamFlows.Domain.Events.Data;

/// <summary>
/// <c>kam.account.upserted</c>: an account was created or changed in the CRM. Carries everything reminders need:
/// who the KAM and the head are, their zones, locales and working calendars.
/// Breadwinner is not accepted in <see cref="Groups"/>: it is computed from revenue.
/// </summary>
public sealed record AccountUpserted : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.AccountUpserted;

    public required string AccountId { get; init; }

    public required string Name { get; init; }

    public required TeamMember Kam { get; init; }

    public required TeamMember Head { get; init; }

    public required CurrencyCode Currency { get; init; }

    public ValueList<KeyClientGroup> Groups { get; init; } = ValueList.Empty<KeyClientGroup>();

    public ValueList<BondKind> Bonds { get; init; } = ValueList.Empty<BondKind>();

    public Money? PriceFloor { get; init; }

    public bool AllowsDirectReferenceRequests { get; init; }

    public bool IsKeyAccount { get; init; } = true;

    /// <summary>The client's country (ISO 3166-1 alpha-2, as for a KAM): its holidays count in client deadlines.</summary>
    public string? Country { get; init; }

    /// <summary>Since when the client buys from us, when the CRM knows it: an account is new (closer cadence) for its first months.</summary>
    public LocalDate? ClientSince { get; init; }

    public Account ToAccount() =>
        new(AccountId, Name, Kam, Head, Currency, Groups, Bonds, PriceFloor, AllowsDirectReferenceRequests, IsKeyAccount, Country);

    internal static AccountUpserted Read(JsonFieldReader r)
    {
        var data = new AccountUpserted
        {
            AccountId = r.RequiredId("account_id"),
            Name = r.RequiredName("name"),
            Kam = r.RequiredTeamMember("kam"),
            Head = r.RequiredTeamMember("head"),
            Currency = r.RequiredCurrency("currency"),
            Groups = r.OptionalEnumSet<KeyClientGroup>("groups"),
            Bonds = r.OptionalEnumSet<BondKind>("bonds"),
            PriceFloor = r.OptionalMoney("price_floor"),
            AllowsDirectReferenceRequests = r.OptionalBool("allows_direct_reference_requests", false),
            IsKeyAccount = r.OptionalBool("is_key_account", true),
            Country = r.OptionalCountry("country"),
            ClientSince = r.OptionalDate("client_since"),
        };
        if (data.Groups.Contains(KeyClientGroup.Breadwinner))
        {
            r.Error("groups", "breadwinner is computed from reported revenue and cannot be set");
        }

        if (data.PriceFloor is { } floor && floor.Currency != data.Currency)
        {
            r.Error("price_floor.currency", $"must be the account currency {data.Currency} (got {floor.Currency})");
        }

        return data;
    }

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("account_id", AccountId);
        w.String("name", Name);
        w.TeamMember("kam", Kam);
        w.TeamMember("head", Head);
        w.String("currency", Currency.Code);
        w.EnumList("groups", Groups);
        w.EnumList("bonds", Bonds);
        w.Money("price_floor", PriceFloor);
        w.Bool("allows_direct_reference_requests", AllowsDirectReferenceRequests);
        w.Bool("is_key_account", IsKeyAccount);
        w.String("country", Country);
        w.Date("client_since", ClientSince);
    }
}
