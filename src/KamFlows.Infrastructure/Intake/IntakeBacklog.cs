namespace KamFlows.Infrastructure.Intake;

/// <summary>
/// Accepted events not processed yet, as this process's intake processor last read them (<see cref="ObservedAt"/>;
/// null when it has not read storage yet, e.g. with processing in another process). <see cref="Complete"/> is false
/// when a shard holds more than the processor keeps in memory: <see cref="Pending"/> is then a lower bound.
/// </summary>
public sealed record IntakeBacklog(int Pending, TimeSpan OldestPendingAge, bool Complete, DateTimeOffset? ObservedAt, IReadOnlyList<IntakeShardBacklog> Shards);

/// <summary>One shard's pending events and the age of its oldest.</summary>
public sealed record IntakeShardBacklog(int Shard, int Pending, TimeSpan OldestPendingAge);
