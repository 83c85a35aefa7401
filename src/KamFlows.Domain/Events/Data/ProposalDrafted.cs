using KamFlows.Domain.Sales;

namespace KamFlows.Domain.Events.Data;

/// <summary>
/// <c>kam.proposal.drafted</c>: version <see cref="Version"/> of a proposal has its price and has not gone to the client
/// yet (a quote in draft or submitted for approval). A price under the account's floor (seed 000) becomes the head's
/// approval task now, before the client sees it.
/// </summary>
public sealed record ProposalDrafted : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.ProposalDrafted;

    public required string ProposalId { get; init; }

    public required string AccountId { get; init; }

    /// <summary>The price to be offered, after any discount.</summary>
    public required Money Total { get; init; }

    public int Version { get; init; } = 1;

    public decimal? DiscountPercent { get; init; }

    public LocalDate? ValidUntil { get; init; }

    public string? OpportunityId { get; init; }

    public string? TenderId { get; init; }

    internal static ProposalDrafted Read(JsonFieldReader r) => new()
    {
        ProposalId = r.RequiredId("proposal_id"),
        AccountId = r.RequiredId("account_id"),
        Total = r.RequiredMoney("total"),
        Version = r.OptionalInt("version", minimum: 1) ?? 1,
        DiscountPercent = r.OptionalPercent("discount_percent", 100m),
        ValidUntil = r.OptionalDate("valid_until"),
        OpportunityId = r.OptionalId("opportunity_id"),
        TenderId = r.OptionalId("tender_id"),
    };

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("proposal_id", ProposalId);
        w.String("account_id", AccountId);
        w.Money("total", Total);
        w.Number("version", Version);
        w.Number("discount_percent", DiscountPercent);
        w.Date("valid_until", ValidUntil);
        w.String("opportunity_id", OpportunityId);
        w.String("tender_id", TenderId);
    }
}
