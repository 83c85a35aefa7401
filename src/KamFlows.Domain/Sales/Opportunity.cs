namespace KamFlows.Domain.Sales;

/// <summary>
/// A large deal in progress. The sale-cycle workflow measures stage age and meeting cadence, never call counts (seed 000).
/// <para>Invariants: valid ids, a name, a non-negative amount when known; a closed (won/lost) opportunity does not move;
/// <see cref="LastMeetingAt"/> only moves forward.</para>
/// </summary>
public sealed record Opportunity
{
    /// <summary>Default time without a stage change or meeting after which a deal counts as stalled (DOMAIN.md, ours).</summary>
    public static readonly Duration DefaultStallThreshold = Duration.FromDays(45);

    public Opportunity(
        string id,
        string accountId,
        string name,
        OpportunityStage stage,
        Instant stageEnteredAt,
        Money? amount = null,
        LocalDate? expectedCloseDate = null,
        Instant? lastMeetingAt = null)
    {
        Id = EntityId.Require(id);
        AccountId = EntityId.Require(accountId);
        Name = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("An opportunity needs a name.", nameof(name)) : name;
        Stage = Enum.IsDefined(stage) ? stage : throw new ArgumentOutOfRangeException(nameof(stage));
        StageEnteredAt = stageEnteredAt;
        Amount = amount is { IsNegative: true } ? throw new ArgumentException("The amount must not be negative.", nameof(amount)) : amount;
        ExpectedCloseDate = expectedCloseDate;
        LastMeetingAt = lastMeetingAt;
    }

    public string Id { get; }

    public string AccountId { get; }

    public string Name { get; }

    public OpportunityStage Stage { get; }

    public Instant StageEnteredAt { get; }

    public Money? Amount { get; }

    public LocalDate? ExpectedCloseDate { get; }

    public Instant? LastMeetingAt { get; }

    public bool IsClosed => Stage.IsClosed();

    /// <summary>The later of the last stage change and the last meeting.</summary>
    public Instant LastProgressAt => LastMeetingAt is { } meeting && meeting > StageEnteredAt ? meeting : StageEnteredAt;

    /// <summary>How long the deal has been in its current stage.</summary>
    public Duration StageAge(Instant now) => now - StageEnteredAt;

    /// <summary>Open, and no stage change or meeting for at least <paramref name="threshold"/> (default 45 days).</summary>
    public bool IsStalled(Instant now, Duration? threshold = null) =>
        !IsClosed && now - LastProgressAt >= (threshold ?? DefaultStallThreshold);

    /// <summary>Moves to <paramref name="stage"/>; moving to the current stage changes nothing.</summary>
    /// <exception cref="InvalidOperationException">The opportunity is already won or lost.</exception>
    public Opportunity MoveTo(OpportunityStage stage, Instant at)
    {
        if (stage == Stage)
        {
            return this;
        }

        if (IsClosed)
        {
            throw new InvalidOperationException($"Opportunity '{Id}' is {Stage} and cannot move to {stage}.");
        }

        return new Opportunity(Id, AccountId, Name, stage, at, Amount, ExpectedCloseDate, LastMeetingAt);
    }

    /// <summary>Records a meeting held at <paramref name="at"/>; an older meeting logged late does not move the clock back.</summary>
    public Opportunity RecordMeeting(Instant at) =>
        LastMeetingAt is { } last && last >= at
            ? this
            : new Opportunity(Id, AccountId, Name, Stage, StageEnteredAt, Amount, ExpectedCloseDate, at);
}
