namespace KamFlows.Domain.Accounts;

/// <summary>The four groups of key clients (seed 000). An account may belong to several.</summary>
public enum KeyClientGroup
{
    /// <summary>Brings ≥ 10 % of total revenue; loyal, long-term. Computed from revenue, never set by hand.</summary>
    Breadwinner,

    /// <summary>New, with a large budget; maybe a competitor's breadwinner.</summary>
    Prospective,

    /// <summary>A known name, leader in its industry or region; brings reputation.</summary>
    ImageMaker,

    /// <summary>Demands high quality; holds valuable market knowledge.</summary>
    Expert,
}
