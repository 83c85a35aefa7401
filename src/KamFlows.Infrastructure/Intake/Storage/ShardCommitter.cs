// Group commit for one intake shard.
// Invariants:
// - one loop per shard commits one transaction at a time, so arrival ticks are assigned and committed in order:
//   a pending row with a later tick never becomes visible before one with an earlier tick from this process;
// - a request's task completes only after the transaction holding its rows committed (Accepted) or after its event id
//   was found stored already (Duplicate); nothing is reported accepted that is not durable;
// - a 409 on a batch names the failing action; that event is taken out as a duplicate and the rest resubmitted, so
//   one duplicate never fails or delays its neighbours' writes beyond a retry.
using System.Threading.Channels;
using Azure;
using Azure.Data.Tables;

namespace KamFlows.Infrastructure.Intake.Storage;

internal sealed class ShardCommitter
{
    private readonly string _partition;
    private readonly TableClient _table;
    private readonly IntakeOptions _options;
    private readonly ArrivalClock _arrivals;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    // A transaction carries at most 4 MiB; the JSON (in the pending row) counts twice as UTF-16 on the service side.
    private const int MaxBatchJsonChars = 1_500_000;

    public ShardCommitter(int shard, TableClient table, IntakeOptions options, ArrivalClock arrivals, CancellationToken stopping)
    {
        _partition = IntakeShards.PartitionKey(shard);
        _table = table;
        _options = options;
        _arrivals = arrivals;
        _loop = Task.Run(() => RunAsync(stopping), CancellationToken.None);
    }

    public long Transactions { get; private set; }

    public Task<IntakeDisposition> EnqueueAsync(IncomingEvent incoming, DateTimeOffset receivedAt)
    {
        var write = new PendingWrite(incoming, receivedAt);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new InvalidOperationException("The intake is shutting down.");
        }

        return write.Completion.Task;
    }

    public async Task StopAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var batch = new List<PendingWrite>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                batch.Clear();
                var chars = Drain(batch, 0);
                if (_options.CommitWindow > TimeSpan.Zero && batch.Count < _options.MaxEventsPerTransaction)
                {
                    await Task.Delay(_options.CommitWindow, stopping).ConfigureAwait(false);
                    Drain(batch, chars);
                }

                await CommitAsync(batch).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            foreach (var write in batch.Where(w => !w.Completion.Task.IsCompleted))
            {
                write.Completion.TrySetCanceled(stopping);
            }

            while (_queue.Reader.TryRead(out var left))
            {
                left.Completion.TrySetCanceled(stopping);
            }
        }
    }

    private int Drain(List<PendingWrite> batch, int chars)
    {
        while (batch.Count < _options.MaxEventsPerTransaction && _queue.Reader.TryPeek(out var next)
               && (batch.Count == 0 || chars + next.Incoming.Json.Length <= MaxBatchJsonChars))
        {
            _queue.Reader.TryRead(out _);
            batch.Add(next);
            chars += next.Incoming.Json.Length;
        }

        return chars;
    }

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        // The same id twice in one batch (a client retrying concurrently): the later copy follows the first.
        var firsts = new Dictionary<string, PendingWrite>(StringComparer.Ordinal);
        var writes = new List<PendingWrite>(batch.Count);
        foreach (var write in batch)
        {
            if (firsts.TryGetValue(write.Incoming.Id, out var first))
            {
                _ = FollowAsync(first, write);
            }
            else
            {
                firsts[write.Incoming.Id] = write;
                writes.Add(write);
            }
        }

        try
        {
            while (writes.Count > 0)
            {
                var actions = new List<TableTransactionAction>(writes.Count * 2);
                foreach (var write in writes)
                {
                    write.ArrivalTicks ??= _arrivals.Next();
                    actions.Add(new TableTransactionAction(TableTransactionActionType.Add, EventRow(write)));
                    actions.Add(new TableTransactionAction(TableTransactionActionType.Add, PendingRow(write)));
                }

                try
                {
                    await _table.SubmitTransactionAsync(actions, CancellationToken.None).ConfigureAwait(false);
                    Transactions++;
                    foreach (var write in writes)
                    {
                        write.Completion.TrySetResult(IntakeDisposition.Accepted);
                    }

                    return;
                }
                catch (TableTransactionFailedException ex) when (ex.Status == 409 && ex.FailedTransactionActionIndex is { } index && index / 2 < writes.Count)
                {
                    var duplicate = writes[index / 2];
                    writes.RemoveAt(index / 2);
                    duplicate.Completion.TrySetResult(IntakeDisposition.Duplicate);
                }
                catch (RequestFailedException ex) when (ex.Status == 409)
                {
                    // The service did not say which action failed: find the duplicates one event at a time.
                    await CommitOneByOneAsync(writes).ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is RequestFailedException or IOException or HttpRequestException or TimeoutException)
        {
            foreach (var write in writes)
            {
                write.Completion.TrySetException(ex);
            }
        }
    }

    private async Task CommitOneByOneAsync(List<PendingWrite> writes)
    {
        foreach (var write in writes)
        {
            try
            {
                await _table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, EventRow(write)),
                    new TableTransactionAction(TableTransactionActionType.Add, PendingRow(write)),
                ], CancellationToken.None).ConfigureAwait(false);
                Transactions++;
                write.Completion.TrySetResult(IntakeDisposition.Accepted);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                write.Completion.TrySetResult(IntakeDisposition.Duplicate);
            }
        }
    }

    private static async Task FollowAsync(PendingWrite first, PendingWrite copy)
    {
        try
        {
            await first.Completion.Task.ConfigureAwait(false);
            copy.Completion.TrySetResult(IntakeDisposition.Duplicate);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            copy.Completion.TrySetException(ex);
        }
        catch (OperationCanceledException)
        {
            copy.Completion.TrySetCanceled(CancellationToken.None);
        }
    }

    private TableEntity EventRow(PendingWrite write)
    {
        var e = write.Incoming;
        // Few properties on purpose: each one costs the storage service work on the hot path.
        return new TableEntity(_partition, IntakeRows.EventKey(e.Id))
        {
            ["Status"] = IntakeRows.Pending,
            ["Source"] = e.WebhookSource,
            ["Type"] = e.Event.Type,
            ["ReceivedAt"] = write.ReceivedAt,
        };
    }

    private TableEntity PendingRow(PendingWrite write)
    {
        var e = write.Incoming;
        var row = new TableEntity(_partition, IntakeRows.PendingKey(write.ArrivalTicks!.Value, e.Id))
        {
            ["Source"] = e.WebhookSource,
            ["ReceivedAt"] = write.ReceivedAt,
            ["Account"] = e.AccountId, // The processor groups a shard's events by account (and batches by type) without parsing them.
            ["Type"] = e.Event.Type,
        };
        IntakeRows.WriteJson(row, e.Json);
        return row;
    }

    private sealed class PendingWrite(IncomingEvent incoming, DateTimeOffset receivedAt)
    {
        public IncomingEvent Incoming { get; } = incoming;

        public DateTimeOffset ReceivedAt { get; } = receivedAt;

        public long? ArrivalTicks { get; set; }

        public TaskCompletionSource<IntakeDisposition> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Strictly increasing arrival ticks for this process, from the injected clock.</summary>
internal sealed class ArrivalClock(TimeProvider clock)
{
    private long _last;

    public long Next()
    {
        var now = clock.GetUtcNow().UtcTicks;
        while (true)
        {
            var last = Interlocked.Read(ref _last);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }
}
