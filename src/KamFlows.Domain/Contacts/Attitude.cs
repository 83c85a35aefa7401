namespace KamFlows.Domain.Contacts;

/// <summary>A DMU member's attitude to us, from working against us to championing us.</summary>
public enum Attitude
{
    Opponent,
    Sceptic,
    Neutral,
    Supporter,
    Champion,
}
