using KamFlows.Domain.Contacts;
using KamFlows.Domain.Sales;

namespace KamFlows.Domain.Events.Data;

/// <summary>
/// <c>kam.proposal.revised</c>: a new version (≥ 2) of the same proposal was sent at the event time; it supersedes
/// the previous version and restarts the follow-up. Same validity rule as <see cref="ProposalSent"/>.
/// </summary>
public sealed record ProposalRevised : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.ProposalRevised;

    public required string ProposalId { get; init; }

    public required string AccountId { get; init; }

    public required int Version { get; init; }

    public required Money Total { get; init; }

    public required LocalDate ValidUntil { get; init; }

    public decimal? DiscountPercent { get; init; }

    public ValueList<DmuRole> AddressedRoles { get; init; } = ValueList.Empty<DmuRole>();

    public ProposalChannel? Channel { get; init; }

    internal static ProposalRevised Read(JsonFieldReader r)
    {
        var data = new ProposalRevised
        {
            ProposalId = r.RequiredId("proposal_id"),
            AccountId = r.RequiredId("account_id"),
            Version = r.RequiredInt("version", minimum: 2),
            Total = r.RequiredMoney("total"),
            ValidUntil = r.RequiredDate("valid_until"),
            DiscountPercent = r.OptionalPercent("discount_percent", 100m),
            AddressedRoles = r.OptionalEnumSet<DmuRole>("addressed_roles"),
            Channel = r.OptionalEnum<ProposalChannel>("channel"),
        };
        ProposalRules.CheckValidity(r, data.ValidUntil);
        return data;
    }

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("proposal_id", ProposalId);
        w.String("account_id", AccountId);
        w.Number("version", Version);
        w.Money("total", Total);
        w.Date("valid_until", ValidUntil);
        w.Number("discount_percent", DiscountPercent);
        w.EnumList("addressed_roles", AddressedRoles);
        w.Enum("channel", Channel);
    }
}
