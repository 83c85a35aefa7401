namespace KamFlows.Domain.Sales;

/// <summary>
/// A client's tender. Preparation starts about nine months before the tender date T (seed 001); the
/// milestone plan relative to T belongs to the tender-preparation workflow.
/// <para>Invariants: valid ids and a title; the expected result date, when known, is not before T;
/// once the outcome is recorded the tender no longer moves.</para>
/// </summary>
public sealed record Tender
{
    public Tender(
        string id,
        string accountId,
        string title,
        LocalDate tenderDate,
        string? opportunityId = null,
        LocalDate? resultExpectedOn = null,
        TenderOutcome? outcome = null)
    {
        Id = EntityId.Require(id);
        AccountId = EntityId.Require(accountId);
        Title = string.IsNullOrWhiteSpace(title) ? throw new ArgumentException("A tender needs a title.", nameof(title)) : title;
        if (resultExpectedOn < tenderDate)
        {
            throw new ArgumentException($"The result cannot be expected ({resultExpectedOn:uuuu-MM-dd}) before the tender date ({tenderDate:uuuu-MM-dd}).", nameof(resultExpectedOn));
        }

        TenderDate = tenderDate;
        OpportunityId = EntityId.RequireOptional(opportunityId);
        ResultExpectedOn = resultExpectedOn;
        Outcome = outcome;
    }

    public string Id { get; }

    public string AccountId { get; }

    public string Title { get; }

    /// <summary>T: the submission date all milestones are relative to.</summary>
    public LocalDate TenderDate { get; }

    public string? OpportunityId { get; }

    public LocalDate? ResultExpectedOn { get; }

    public TenderOutcome? Outcome { get; }

    public bool HasResult => Outcome is not null;

    /// <summary>Whether the tender date is behind us on <paramref name="today"/> (the tender day itself is not past).</summary>
    public bool IsPast(LocalDate today) => today > TenderDate;

    /// <summary>Whether the tender date is behind us at <paramref name="now"/> in <paramref name="zone"/>.</summary>
    public bool IsPast(Instant now, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return IsPast(now.InZone(zone).Date);
    }

    /// <summary>Calendar days from <paramref name="today"/> to T; negative once past.</summary>
    public int DaysUntil(LocalDate today) => Period.DaysBetween(today, TenderDate);

    /// <summary>The tender date moved; the expected result date moves by the same number of days.</summary>
    public Tender Reschedule(LocalDate newTenderDate)
    {
        if (HasResult)
        {
            throw new InvalidOperationException($"Tender '{Id}' already has its result ({Outcome}) and cannot move.");
        }

        var shift = Period.DaysBetween(TenderDate, newTenderDate);
        return new Tender(Id, AccountId, Title, newTenderDate, OpportunityId, ResultExpectedOn?.PlusDays(shift));
    }

    public Tender RecordResult(TenderOutcome outcome)
    {
        if (HasResult)
        {
            throw new InvalidOperationException($"Tender '{Id}' already has its result ({Outcome}).");
        }

        return new Tender(Id, AccountId, Title, TenderDate, OpportunityId, ResultExpectedOn, Enum.IsDefined(outcome) ? outcome : throw new ArgumentOutOfRangeException(nameof(outcome)));
    }
}
