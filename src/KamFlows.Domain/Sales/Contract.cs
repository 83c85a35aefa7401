namespace KamFlows.Domain.Sales;

/// <summary>
/// A signed contract. Renewal is prepared well ahead of the end date (defaults 120, 60, 30 days, ours).
/// Invariants: valid ids; <see cref="EndsOn"/> not before <see cref="StartsOn"/>; value non-negative when known.
/// </summary>
public sealed record Contract
{
    public static readonly ValueList<int> DefaultRenewalReminderDays = ValueList.Of(120, 60, 30);

    public Contract(
        string id,
        string accountId,
        LocalDate startsOn,
        LocalDate endsOn,
        Money? value = null,
        string? proposalId = null,
        string? tenderId = null,
        string? opportunityId = null)
    {
        Id = EntityId.Require(id);
        AccountId = EntityId.Require(accountId);
        if (endsOn < startsOn)
        {
            throw new ArgumentException($"A contract cannot end ({endsOn:uuuu-MM-dd}) before it starts ({startsOn:uuuu-MM-dd}).", nameof(endsOn));
        }

        StartsOn = startsOn;
        EndsOn = endsOn;
        Value = value is { IsNegative: true } ? throw new ArgumentException("The value must not be negative.", nameof(value)) : value;
        ProposalId = EntityId.RequireOptional(proposalId);
        TenderId = EntityId.RequireOptional(tenderId);
        OpportunityId = EntityId.RequireOptional(opportunityId);
    }

    public string Id { get; }

    public string AccountId { get; }

    public LocalDate StartsOn { get; }

    /// <summary>The last day the contract is in force.</summary>
    public LocalDate EndsOn { get; }

    public Money? Value { get; }

    public string? ProposalId { get; }

    public string? TenderId { get; }

    public string? OpportunityId { get; }

    public bool IsActiveOn(LocalDate date) => date >= StartsOn && date <= EndsOn;

    public bool HasEndedOn(LocalDate date) => date > EndsOn;

    /// <summary>Calendar days from <paramref name="today"/> to the end date; negative once ended.</summary>
    public int DaysUntilEnd(LocalDate today) => Period.DaysBetween(today, EndsOn);

    /// <summary>
    /// Dates to remind about renewal, <paramref name="daysBefore"/> calendar days before the end date
    /// (default 120, 60, 30), earliest first; dates before <paramref name="today"/> are left out.
    /// </summary>
    public ValueList<LocalDate> RenewalReminderDates(LocalDate today, IEnumerable<int>? daysBefore = null) =>
        (daysBefore ?? DefaultRenewalReminderDays)
            .Select(d => d >= 0 ? EndsOn.PlusDays(-d) : throw new ArgumentOutOfRangeException(nameof(daysBefore), d, "Days before the end must not be negative."))
            .Where(d => d >= today)
            .Distinct()
            .Order()
            .ToValueList();
}
