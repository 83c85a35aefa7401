namespace KamFlows.Domain.Sales;

/// <summary>
/// A completed delivery or project stage. A successful one (on time, meeting or exceeding expectations)
/// is the moment to ask for a reference letter (seed 001) once a settling period has passed with no open complaint.
/// </summary>
public sealed record Delivery
{
    /// <summary>Default settling period between a successful delivery and the reference request (DOMAIN.md, ours).</summary>
    public static readonly Duration DefaultSettlingPeriod = Duration.FromDays(14);

    public Delivery(string id, string accountId, OffsetDateTime completedAt, bool onTime, bool expectationsMet, string? contractId = null)
    {
        Id = EntityId.Require(id);
        AccountId = EntityId.Require(accountId);
        CompletedAt = completedAt;
        OnTime = onTime;
        ExpectationsMet = expectationsMet;
        ContractId = EntityId.RequireOptional(contractId);
    }

    public string Id { get; }

    public string AccountId { get; }

    public OffsetDateTime CompletedAt { get; }

    public bool OnTime { get; }

    /// <summary>The client's expectations were met or exceeded.</summary>
    public bool ExpectationsMet { get; }

    public string? ContractId { get; }

    public bool IsSuccessful => OnTime && ExpectationsMet;

    /// <summary>
    /// Whether to ask for a reference now: the delivery succeeded, the settling period (default 14 days) has passed,
    /// and no complaint of the account is open (an open complaint about anything spoils the request).
    /// </summary>
    public bool IsReadyForReferenceRequest(Instant now, IEnumerable<Complaint> accountComplaints, Duration? settlingPeriod = null)
    {
        ArgumentNullException.ThrowIfNull(accountComplaints);
        return IsSuccessful
            && now - CompletedAt.ToInstant() >= (settlingPeriod ?? DefaultSettlingPeriod)
            && !accountComplaints.Any(c => c.AccountId == AccountId && c.IsOpen);
    }
}
