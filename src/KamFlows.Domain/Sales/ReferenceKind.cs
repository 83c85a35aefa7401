namespace KamFlows.Domain.Sales;

/// <summary>What the client gave after a successful delivery (seed 001).</summary>
public enum ReferenceKind
{
    /// <summary>A reference letter to publish on our website.</summary>
    Letter,

    /// <summary>A recommendation to colleagues or partners.</summary>
    Referral,
}
