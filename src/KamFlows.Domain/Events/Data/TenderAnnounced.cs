using KamFlows.Domain.Sales;

namespace KamFlows.Domain.Events.Data;

/// <summary><c>kam.tender.announced</c>: a tender with submission date T (<see cref="TenderDate"/>) is known; preparation runs from T−9 months.</summary>
public sealed record TenderAnnounced : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.TenderAnnounced;

    public required string TenderId { get; init; }

    public required string AccountId { get; init; }

    public required string Title { get; init; }

    public required LocalDate TenderDate { get; init; }

    public LocalDate? ResultExpectedOn { get; init; }

    public string? OpportunityId { get; init; }

    public Tender ToTender() => new(TenderId, AccountId, Title, TenderDate, OpportunityId, ResultExpectedOn);

    internal static TenderAnnounced Read(JsonFieldReader r)
    {
        var data = new TenderAnnounced
        {
            TenderId = r.RequiredId("tender_id"),
            AccountId = r.RequiredId("account_id"),
            Title = r.RequiredName("title"),
            TenderDate = r.RequiredDate("tender_date"),
            ResultExpectedOn = r.OptionalDate("result_expected_on"),
            OpportunityId = r.OptionalId("opportunity_id"),
        };
        if (data.ResultExpectedOn < data.TenderDate)
        {
            r.Error("result_expected_on", $"must not be before tender_date ({JsonText.Format(data.TenderDate)})");
        }

        return data;
    }

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("tender_id", TenderId);
        w.String("account_id", AccountId);
        w.String("title", Title);
        w.Date("tender_date", TenderDate);
        w.Date("result_expected_on", ResultExpectedOn);
        w.String("opportunity_id", OpportunityId);
    }
}
