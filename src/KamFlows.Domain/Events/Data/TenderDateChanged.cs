namespace KamFlows.Domain.Events.Data;

/// <summary><c>kam.tender.date_changed</c>: T moved; future milestones move with it, past ones stay done.</summary>
public sealed record TenderDateChanged : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.TenderDateChanged;

    public required string TenderId { get; init; }

    public required string AccountId { get; init; }

    public required LocalDate TenderDate { get; init; }

    public LocalDate? PreviousTenderDate { get; init; }

    internal static TenderDateChanged Read(JsonFieldReader r)
    {
        var data = new TenderDateChanged
        {
            TenderId = r.RequiredId("tender_id"),
            AccountId = r.RequiredId("account_id"),
            TenderDate = r.RequiredDate("tender_date"),
            PreviousTenderDate = r.OptionalDate("previous_tender_date"),
        };
        if (data.PreviousTenderDate == data.TenderDate)
        {
            r.Error("previous_tender_date", $"must differ from tender_date ({JsonText.Format(data.TenderDate)})");
        }

        return data;
    }

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("tender_id", TenderId);
        w.String("account_id", AccountId);
        w.Date("tender_date", TenderDate);
        w.Date("previous_tender_date", PreviousTenderDate);
    }
}
