using KamFlows.Domain.Portfolio;

namespace KamFlows.Domain.Events.Data;

/// <summary><c>kam.revenue.reported</c>: revenue of one account for one period (inclusive dates), for the portfolio analysis.</summary>
public sealed record RevenueReported : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.RevenueReported;

    public required string AccountId { get; init; }

    public required LocalDate PeriodStart { get; init; }

    public required LocalDate PeriodEnd { get; init; }

    public required Money Revenue { get; init; }

    public RevenueReport ToRevenueReport() => new(AccountId, new ReportingPeriod(PeriodStart, PeriodEnd), Revenue);

    internal static RevenueReported Read(JsonFieldReader r)
    {
        var data = new RevenueReported
        {
            AccountId = r.RequiredId("account_id"),
            PeriodStart = r.RequiredDate("period_start"),
            PeriodEnd = r.RequiredDate("period_end"),
            Revenue = r.RequiredMoney("revenue"),
        };
        if (data.PeriodEnd < data.PeriodStart)
        {
            r.Error("period_end", $"must not be before period_start ({JsonText.Format(data.PeriodStart)})");
        }

        return data;
    }

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("account_id", AccountId);
        w.Date("period_start", PeriodStart);
        w.Date("period_end", PeriodEnd);
        w.Money("revenue", Revenue);
    }
}
