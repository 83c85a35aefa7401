using KamFlows.Domain.Contacts;
using KamFlows.Domain.Sales;

namespace KamFlows.Domain.Events.Data;

/// <summary>
/// <c>kam.proposal.sent</c>: version <see cref="Version"/> of a proposal went to the client at the event time.
/// <see cref="ValidUntil"/> is the last valid local date and may not be before the date it was sent (in the offset of
/// the event's <c>time</c>). <see cref="Total"/> is the price offered after any discount.
/// </summary>
public sealed record ProposalSent : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.ProposalSent;

    public required string ProposalId { get; init; }

    public required string AccountId { get; init; }

    public required Money Total { get; init; }

    public required LocalDate ValidUntil { get; init; }

    public int Version { get; init; } = 1;

    public decimal? DiscountPercent { get; init; }

    /// <summary>The DMU roles the proposal speaks to; reminders list the roles of the DMU still unaddressed.</summary>
    public ValueList<DmuRole> AddressedRoles { get; init; } = ValueList.Empty<DmuRole>();

    public ProposalChannel? Channel { get; init; }

    public string? OpportunityId { get; init; }

    public string? TenderId { get; init; }

    /// <param name="sentAt">The event's <c>time</c>.</param>
    public Proposal ToProposal(OffsetDateTime sentAt) =>
        new(ProposalId, AccountId, Version, sentAt, ValidUntil, Total, AddressedRoles, DiscountPercent, OpportunityId, TenderId);

    internal static ProposalSent Read(JsonFieldReader r)
    {
        var data = new ProposalSent
        {
            ProposalId = r.RequiredId("proposal_id"),
            AccountId = r.RequiredId("account_id"),
            Total = r.RequiredMoney("total"),
            ValidUntil = r.RequiredDate("valid_until"),
            Version = r.OptionalInt("version", minimum: 1) ?? 1,
            DiscountPercent = r.OptionalPercent("discount_percent", 100m),
            AddressedRoles = r.OptionalEnumSet<DmuRole>("addressed_roles"),
            Channel = r.OptionalEnum<ProposalChannel>("channel"),
            OpportunityId = r.OptionalId("opportunity_id"),
            TenderId = r.OptionalId("tender_id"),
        };
        ProposalRules.CheckValidity(r, data.ValidUntil);
        return data;
    }

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("proposal_id", ProposalId);
        w.String("account_id", AccountId);
        w.Money("total", Total);
        w.Date("valid_until", ValidUntil);
        w.Number("version", Version);
        w.Number("discount_percent", DiscountPercent);
        w.EnumList("addressed_roles", AddressedRoles);
        w.Enum("channel", Channel);
        w.String("opportunity_id", OpportunityId);
        w.String("tender_id", TenderId);
    }
}

internal static class ProposalRules
{
    /// <summary>A proposal cannot be valid only until a date before the day it was sent.</summary>
    public static void CheckValidity(JsonFieldReader r, LocalDate validUntil)
    {
        if (r.EventTime is { } sent && validUntil != default && validUntil < sent.Date)
        {
            r.Error("valid_until", $"must not be before the date the proposal was sent ({JsonText.Format(sent.Date)}, from time)");
        }
    }
}
