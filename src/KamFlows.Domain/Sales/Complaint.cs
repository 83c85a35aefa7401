namespace KamFlows.Domain.Sales;

/// <summary>
/// A client complaint; resolving it fast and with minimal loss is the most important after-sale work (seed 001).
/// Invariants: valid ids; resolved at most once, and not before it was opened.
/// </summary>
public sealed record Complaint
{
    public Complaint(string id, string accountId, OffsetDateTime openedAt, string? deliveryId = null, string? summary = null)
        : this(id, accountId, openedAt, deliveryId, summary, resolvedAt: null, resolution: null)
    {
    }

    private Complaint(string id, string accountId, OffsetDateTime openedAt, string? deliveryId, string? summary, OffsetDateTime? resolvedAt, string? resolution)
    {
        Id = EntityId.Require(id);
        AccountId = EntityId.Require(accountId);
        OpenedAt = openedAt;
        DeliveryId = EntityId.RequireOptional(deliveryId);
        Summary = summary;
        ResolvedAt = resolvedAt;
        Resolution = resolution;
    }

    public string Id { get; }

    public string AccountId { get; }

    public OffsetDateTime OpenedAt { get; }

    /// <summary>The delivery the complaint is about, when it is about one.</summary>
    public string? DeliveryId { get; }

    public string? Summary { get; }

    public OffsetDateTime? ResolvedAt { get; }

    public string? Resolution { get; }

    public bool IsOpen => ResolvedAt is null;

    /// <summary>How long resolution took; null while open.</summary>
    public Duration? TimeToResolve => ResolvedAt is { } resolved ? resolved.ToInstant() - OpenedAt.ToInstant() : null;

    public Complaint Resolve(OffsetDateTime at, string? resolution = null)
    {
        if (!IsOpen)
        {
            throw new InvalidOperationException($"Complaint '{Id}' is already resolved.");
        }

        if (at.ToInstant() < OpenedAt.ToInstant())
        {
            throw new ArgumentException("A complaint cannot be resolved before it was opened.", nameof(at));
        }

        return new Complaint(Id, AccountId, OpenedAt, DeliveryId, Summary, at, resolution);
    }
}
