using KamFlows.Domain.Portfolio;

namespace KamFlows.Domain.Events.Data;

/// <summary>
/// <c>kam.revenue.reported</c>: revenue of one account for one period (inclusive dates), for the portfolio analysis; optionally
/// the margin earned on it, as <c>margin_percent</c> (-100 to 100) and/or <c>gross_margin</c> (money in the revenue's currency,
/// negative for a loss). When both are sent they must agree within rounding: the percent rounded to the decimals it was sent
/// with, or the gross margin to the cent.
/// </summary>
public sealed record RevenueReported : ICanonicalEventData
{
    public string EventType => CanonicalEventTypes.RevenueReported;

    public required string AccountId { get; init; }

    public required LocalDate PeriodStart { get; init; }

    public required LocalDate PeriodEnd { get; init; }

    public required Money Revenue { get; init; }

    /// <summary>The margin in percent of the revenue as the producer sent it.</summary>
    public decimal? MarginPercentSent { get; init; }

    /// <summary>The gross margin in the revenue's currency as the producer sent it.</summary>
    public Money? GrossMargin { get; init; }

    /// <summary>The margin in percent: as sent, else computed from the gross margin; null when the report carries none.</summary>
    public decimal? MarginPercent => MarginPercentSent ?? (GrossMargin is { } gross && Revenue.Amount > 0m ? gross.Amount / Revenue.Amount * 100m : null);

    public RevenueReport ToRevenueReport() => new(AccountId, new ReportingPeriod(PeriodStart, PeriodEnd), Revenue);

    internal static RevenueReported Read(JsonFieldReader r)
    {
        var data = new RevenueReported
        {
            AccountId = r.RequiredId("account_id"),
            PeriodStart = r.RequiredDate("period_start"),
            PeriodEnd = r.RequiredDate("period_end"),
            Revenue = r.RequiredMoney("revenue"),
            MarginPercentSent = r.OptionalNumberBetween("margin_percent", -100m, 100m),
            GrossMargin = r.OptionalSignedMoney("gross_margin"),
        };
        if (data.PeriodEnd < data.PeriodStart)
        {
            r.Error("period_end", $"must not be before period_start ({JsonText.Format(data.PeriodStart)})");
        }

        if (data.GrossMargin is { } gross && !r.HasErrorAt("gross_margin") && !r.HasErrorAt("revenue"))
        {
            CheckGrossMargin(r, data.Revenue, gross, data.MarginPercentSent);
        }

        return data;
    }

    private static void CheckGrossMargin(JsonFieldReader r, Money revenue, Money gross, decimal? percent)
    {
        if (gross.Currency != revenue.Currency)
        {
            r.Error("gross_margin.currency", $"must be the revenue's currency {revenue.Currency.Code} (got {gross.Currency.Code})");
        }
        else if (revenue.Amount == 0m)
        {
            r.Error("gross_margin", "cannot be given for a revenue of 0 (no margin can be earned on nothing); leave it out");
        }
        else if (Math.Abs(gross.Amount) > revenue.Amount)
        {
            r.Error("gross_margin.amount", $"must be from -{JsonText.Format(revenue.Amount)} to {JsonText.Format(revenue.Amount)}, the revenue (got {JsonText.Format(gross.Amount)})");
        }
        else if (percent is { } sent && !Agree(revenue.Amount, gross.Amount, sent))
        {
            r.Error("margin_percent", $"must agree with gross_margin ({JsonText.Format(gross.Amount)} of {JsonText.Format(revenue.Amount)} is {(gross.Amount / revenue.Amount * 100m).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)} %, got {JsonText.Format(sent)})");
        }
    }

    /// <summary>Within rounding: the percent as rounded to the decimals it was sent with, or the gross margin as rounded to the cent.</summary>
    private static bool Agree(decimal revenue, decimal gross, decimal percent)
    {
        var computed = gross / revenue * 100m;
        var halfLastDigit = 0.5m;
        for (var i = 0; i < percent.Scale; i++)
        {
            halfLastDigit /= 10m;
        }

        return Math.Abs(computed - percent) <= halfLastDigit || Math.Abs((revenue * percent / 100m) - gross) <= 0.005m;
    }

    void ICanonicalEventData.Write(JsonDataWriter w)
    {
        w.String("account_id", AccountId);
        w.Date("period_start", PeriodStart);
        w.Date("period_end", PeriodEnd);
        w.Money("revenue", Revenue);
        w.Number("margin_percent", MarginPercentSent);
        w.Money("gross_margin", GrossMargin);
    }
}
