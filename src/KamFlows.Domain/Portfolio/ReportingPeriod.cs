namespace KamFlows.Domain.Portfolio;

/// <summary>An inclusive range of local dates, e.g. 2026-01-01..2026-03-31. Invariant: <see cref="Start"/> ≤ <see cref="End"/>.</summary>
public sealed record ReportingPeriod
{
    public ReportingPeriod(LocalDate start, LocalDate end)
    {
        if (end < start)
        {
            throw new ArgumentException($"A period cannot end ({end:uuuu-MM-dd}) before it starts ({start:uuuu-MM-dd}).", nameof(end));
        }

        Start = start;
        End = end;
    }

    public LocalDate Start { get; }

    public LocalDate End { get; }

    public static ReportingPeriod Year(int year) => new(new LocalDate(year, 1, 1), new LocalDate(year, 12, 31));

    public static ReportingPeriod Quarter(int year, int quarter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quarter, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quarter, 4);
        var start = new LocalDate(year, ((quarter - 1) * 3) + 1, 1);
        return new ReportingPeriod(start, start.PlusMonths(3).PlusDays(-1));
    }

    public bool Contains(ReportingPeriod other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Start >= Start && other.End <= End;
    }

    public bool Overlaps(ReportingPeriod other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Start <= End && other.End >= Start;
    }

    public override string ToString() => $"{Start:uuuu-MM-dd}..{End:uuuu-MM-dd}";
}
