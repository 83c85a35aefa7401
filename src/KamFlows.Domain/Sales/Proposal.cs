using KamFlows.Domain.Contacts;

namespace KamFlows.Domain.Sales;

/// <summary>
/// One version of a commercial proposal. It ends with a validity date (seed 001); the proposal is valid
/// through that whole local date and expired from the next day on.
/// <para>Invariants: version ≥ 1; <see cref="ValidUntil"/> is not before the date it was sent (in the sender's offset);
/// total non-negative; discount in [0, 100) percent; addressed roles distinct and sorted; status changes only along
/// <see cref="ProposalStatusExtensions.CanMoveTo"/>; a meeting time exists exactly when a meeting was agreed.</para>
/// </summary>
public sealed record Proposal
{
    public Proposal(
        string id,
        string accountId,
        int version,
        OffsetDateTime sentAt,
        LocalDate validUntil,
        Money total,
        IEnumerable<DmuRole>? addressedRoles = null,
        decimal? discountPercent = null,
        string? opportunityId = null,
        string? tenderId = null)
        : this(id, accountId, version, sentAt, validUntil, total, (addressedRoles ?? []).Distinct().Order().ToValueList(),
            discountPercent, opportunityId, tenderId, ProposalStatus.Sent, meetingAt: null)
    {
    }

    private Proposal(
        string id,
        string accountId,
        int version,
        OffsetDateTime sentAt,
        LocalDate validUntil,
        Money total,
        ValueList<DmuRole> addressedRoles,
        decimal? discountPercent,
        string? opportunityId,
        string? tenderId,
        ProposalStatus status,
        OffsetDateTime? meetingAt)
    {
        ArgumentNullException.ThrowIfNull(total);
        Id = EntityId.Require(id);
        AccountId = EntityId.Require(accountId);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        if (validUntil < sentAt.Date)
        {
            throw new ArgumentException($"A proposal sent on {sentAt.Date:uuuu-MM-dd} cannot be valid only until {validUntil:uuuu-MM-dd}.", nameof(validUntil));
        }

        if (total.IsNegative)
        {
            throw new ArgumentException("The total must not be negative.", nameof(total));
        }

        if (discountPercent is < 0m or >= 100m)
        {
            throw new ArgumentOutOfRangeException(nameof(discountPercent), discountPercent, "A discount is a percentage from 0 up to, not including, 100.");
        }

        Version = version;
        SentAt = sentAt;
        ValidUntil = validUntil;
        Total = total;
        AddressedRoles = addressedRoles;
        DiscountPercent = discountPercent;
        OpportunityId = EntityId.RequireOptional(opportunityId);
        TenderId = EntityId.RequireOptional(tenderId);
        Status = status;
        MeetingAt = meetingAt;
    }

    public string Id { get; }

    public string AccountId { get; }

    public int Version { get; }

    public OffsetDateTime SentAt { get; }

    /// <summary>The last local date on which the proposal is valid.</summary>
    public LocalDate ValidUntil { get; }

    /// <summary>The price offered, after any discount.</summary>
    public Money Total { get; }

    /// <summary>The DMU roles the proposal speaks to (executive summary, references, numbers ...).</summary>
    public ValueList<DmuRole> AddressedRoles { get; }

    /// <summary>The discount granted off the list price, in percent, when the CRM reports one.</summary>
    public decimal? DiscountPercent { get; }

    public string? OpportunityId { get; }

    public string? TenderId { get; }

    public ProposalStatus Status { get; }

    /// <summary>The agreed call or meeting to discuss the proposal.</summary>
    public OffsetDateTime? MeetingAt { get; }

    /// <summary>Whether the validity date has passed on <paramref name="today"/> (the validity date itself is still valid).</summary>
    public bool IsPastValidity(LocalDate today) => today > ValidUntil;

    /// <summary>The instant the proposal stops being valid: the start of the day after <see cref="ValidUntil"/> in <paramref name="zone"/>.</summary>
    public Instant ExpiresAt(DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return zone.AtStartOfDay(ValidUntil.PlusDays(1)).ToInstant();
    }

    /// <summary>Receipt confirmed. Idempotent once acknowledged or a meeting is agreed (agreeing a meeting implies receipt).</summary>
    public Proposal Acknowledge() =>
        Status is ProposalStatus.Acknowledged or ProposalStatus.MeetingAgreed ? this : With(ProposalStatus.Acknowledged, MeetingAt);

    /// <summary>A call or meeting to discuss the proposal is agreed (or moved) to <paramref name="meetingAt"/>.</summary>
    public Proposal AgreeMeeting(OffsetDateTime meetingAt) => With(ProposalStatus.MeetingAgreed, meetingAt);

    public Proposal Accept() => With(ProposalStatus.Accepted, MeetingAt);

    public Proposal Reject() => With(ProposalStatus.Rejected, MeetingAt);

    /// <summary>Marks the proposal expired; only once <paramref name="today"/> is past the validity date.</summary>
    public Proposal Expire(LocalDate today)
    {
        if (!IsPastValidity(today))
        {
            throw new InvalidOperationException($"Proposal '{Id}' v{Version} is valid until {ValidUntil:uuuu-MM-dd}; it cannot expire on {today:uuuu-MM-dd}.");
        }

        return With(ProposalStatus.Expired, MeetingAt);
    }

    /// <summary>
    /// Issues a new version: this one becomes <see cref="ProposalStatus.Superseded"/> and the new one starts
    /// again at <see cref="ProposalStatus.Sent"/>, so the follow-up restarts.
    /// </summary>
    public ProposalRevision Revise(
        int version,
        OffsetDateTime sentAt,
        LocalDate validUntil,
        Money total,
        IEnumerable<DmuRole>? addressedRoles = null,
        decimal? discountPercent = null)
    {
        if (version <= Version)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, $"A revision of v{Version} needs a higher version number.");
        }

        var superseded = With(ProposalStatus.Superseded, MeetingAt);
        var current = new Proposal(Id, AccountId, version, sentAt, validUntil, total, addressedRoles ?? AddressedRoles, discountPercent, OpportunityId, TenderId);
        return new ProposalRevision(superseded, current);
    }

    private Proposal With(ProposalStatus status, OffsetDateTime? meetingAt)
    {
        if (!Status.CanMoveTo(status))
        {
            throw new InvalidOperationException($"Proposal '{Id}' v{Version} is {Status} and cannot become {status}.");
        }

        return new Proposal(Id, AccountId, Version, SentAt, ValidUntil, Total, AddressedRoles, DiscountPercent, OpportunityId, TenderId, status, meetingAt);
    }
}

/// <summary>The outcome of <see cref="Proposal.Revise"/>: the replaced version and the new one.</summary>
public sealed record ProposalRevision(Proposal Superseded, Proposal Current);
