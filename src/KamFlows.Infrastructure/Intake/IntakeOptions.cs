namespace KamFlows.Infrastructure.Intake;

/// <summary>Settings of the intake store and its processor (section <c>KamFlows:Intake</c>).</summary>
public sealed class IntakeOptions
{
    public const string Section = "KamFlows:Intake";

    /// <summary>Events per entity-group transaction; each event is two operations of the 100 allowed.</summary>
    public int MaxEventsPerTransaction { get; set; } = 50;

    /// <summary>How long a shard's committer waits for more events after the first before committing; zero batches only what queued meanwhile.</summary>
    public TimeSpan CommitWindow { get; set; } = TimeSpan.Zero;

    /// <summary>How often every shard is swept for pending events the in-process signal did not cover (crash between answer and processing).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a shard waits before retrying an event whose processing failed.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Processing attempts after which an event is parked as failed so the events behind it can go on.</summary>
    public int MaxProcessingAttempts { get; set; } = 10;

    /// <summary>
    /// How long a processed event's id is remembered to refuse re-sends (CRMs retry for hours to days); the rows are then
    /// deleted so the table does not grow forever. Zero keeps them forever. Failed events are always kept.
    /// </summary>
    public TimeSpan DedupeRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often processed events older than <see cref="DedupeRetention"/> are deleted.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Most events of one account applied and delivered together (one read-modify-write of the account, one message per workflow instance).</summary>
    public int MaxEventsPerAccountBatch { get; set; } = 100;

    /// <summary>Account batches processed at once across all shards (each account has at most one in flight).</summary>
    public int MaxConcurrentBatches { get; set; } = 64;

    /// <summary>A warning is logged when the oldest accepted event not processed yet is older than this.</summary>
    public TimeSpan BacklogWarningAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Run the processor in this process (false in Azure Functions, where a timer trigger calls it).</summary>
    public bool ProcessInBackground { get; set; } = true;

    /// <summary>Every problem, naming the key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxEventsPerTransaction is < 1 or > 50)
        {
            errors.Add($"{Section}:{nameof(MaxEventsPerTransaction)} must be between 1 and 50 (two table operations per event, 100 per transaction).");
        }

        if (CommitWindow < TimeSpan.Zero || CommitWindow > TimeSpan.FromSeconds(1))
        {
            errors.Add($"{Section}:{nameof(CommitWindow)} must be between 0 and 00:00:01 (every request waits for it).");
        }

        if (SweepInterval < TimeSpan.FromMilliseconds(10))
        {
            errors.Add($"{Section}:{nameof(SweepInterval)} must be at least 00:00:00.010.");
        }

        if (RetryDelay < TimeSpan.Zero)
        {
            errors.Add($"{Section}:{nameof(RetryDelay)} must not be negative.");
        }

        if (DedupeRetention != TimeSpan.Zero && DedupeRetention < TimeSpan.FromDays(1))
        {
            errors.Add($"{Section}:{nameof(DedupeRetention)} must be 0 (keep forever) or at least 1.00:00:00: a CRM's retries must still be recognised as duplicates.");
        }

        if (PruneInterval < TimeSpan.FromMilliseconds(10))
        {
            errors.Add($"{Section}:{nameof(PruneInterval)} must be at least 00:00:00.010.");
        }

        if (MaxEventsPerAccountBatch is < 1 or > 1000)
        {
            errors.Add($"{Section}:{nameof(MaxEventsPerAccountBatch)} must be between 1 and 1000.");
        }

        if (MaxConcurrentBatches is < 1 or > 256)
        {
            errors.Add($"{Section}:{nameof(MaxConcurrentBatches)} must be between 1 and 256.");
        }

        if (BacklogWarningAge < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{Section}:{nameof(BacklogWarningAge)} must be at least 00:00:01.");
        }

        if (MaxProcessingAttempts < 1)
        {
            errors.Add($"{Section}:{nameof(MaxProcessingAttempts)} must be at least 1.");
        }

        return errors;
    }
}
