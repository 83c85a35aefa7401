// Backlog visibility: what the shard windows hold, for /health, the metrics and a warning when it gets old.
using Microsoft.Extensions.Logging;

namespace KamFlows.Infrastructure.Intake;

public sealed partial class IntakeProcessor
{
    /// <summary>How often the background loop checks the backlog's age.</summary>
    private static readonly TimeSpan BacklogCheckInterval = TimeSpan.FromSeconds(10);

    private int _backlogWarned;

    /// <summary>The backlog per shard (every shard, empty ones included) and in total, as last read.</summary>
    public IntakeBacklog Backlog()
    {
        var now = _clock.GetUtcNow();
        var shards = new List<IntakeShardBacklog>(IntakeShards.Count);
        DateTimeOffset? oldest = null;
        DateTimeOffset? observed = null;
        var complete = true;
        foreach (var window in _windows)
        {
            lock (window.Gate)
            {
                var (pending, shardOldest) = window.Backlog();
                shards.Add(new IntakeShardBacklog(window.Shard, pending, shardOldest is { } o ? Age(now, o) : TimeSpan.Zero));
                complete &= !window.Full && window.ReadAt is not null;
                if (shardOldest is { } so && (oldest is null || so < oldest))
                {
                    oldest = so;
                }

                if (window.ReadAt is { } read && (observed is null || read < observed))
                {
                    observed = read; // The least recent read: the whole picture is at least this fresh.
                }
            }
        }

        return new IntakeBacklog(shards.Sum(s => s.Pending), oldest is { } first ? Age(now, first) : TimeSpan.Zero, complete, observed, shards);
    }

    /// <summary>Logs a warning when the oldest pending event is older than <see cref="IntakeOptions.BacklogWarningAge"/> (again every such age while it stays so), and when it caught up.</summary>
    public IntakeBacklog CheckBacklog()
    {
        var backlog = Backlog();
        var now = _clock.GetUtcNow().UtcTicks;
        if (backlog.OldestPendingAge > _options.BacklogWarningAge)
        {
            var last = Interlocked.Read(ref _lastBacklogWarningTicks);
            if (now - last >= _options.BacklogWarningAge.Ticks && Interlocked.CompareExchange(ref _lastBacklogWarningTicks, now, last) == last)
            {
                Volatile.Write(ref _backlogWarned, 1);
                var worst = backlog.Shards.MaxBy(s => s.OldestPendingAge)!;
                LogBacklogOld(_logger, backlog.OldestPendingAge, _options.BacklogWarningAge, backlog.Pending, worst.Shard, worst.Pending);
            }
        }
        else if (Interlocked.Exchange(ref _backlogWarned, 0) == 1)
        {
            Interlocked.Exchange(ref _lastBacklogWarningTicks, 0);
            LogBacklogCaughtUp(_logger, backlog.OldestPendingAge, backlog.Pending);
        }

        return backlog;
    }

    private async Task RunBacklogWatchAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromTicks(Math.Min(BacklogCheckInterval.Ticks, Math.Max(_options.BacklogWarningAge.Ticks / 2, TimeSpan.FromMilliseconds(100).Ticks)));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _clock, stoppingToken).ConfigureAwait(false);
                CheckBacklog();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static TimeSpan Age(DateTimeOffset now, DateTimeOffset receivedAt) => receivedAt >= now ? TimeSpan.Zero : now - receivedAt;

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning,
        Message = "Intake is behind: the oldest pending event was accepted {Age} ago (warning above {Threshold}); {Pending} events pending, most behind in shard {Shard} ({ShardPending} pending)")]
    private static partial void LogBacklogOld(ILogger logger, TimeSpan age, TimeSpan threshold, int pending, int shard, int shardPending);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Intake caught up: the oldest pending event is {Age} old; {Pending} events pending")]
    private static partial void LogBacklogCaughtUp(ILogger logger, TimeSpan age, int pending);
}
