// The processor's in-memory view of one shard's pending events, grouped by account ("lanes").
// Invariants:
// - a lane holds its account's events in pending-key (arrival) order, and at most one batch of a lane is in flight;
// - lanes take turns: the idle lane whose last batch is oldest goes first, so no account waits behind a busier one;
// - an event is in the window at most once (by pending key); it leaves when completed or parked, so what the window
//   holds is the shard's backlog as last read (up to Capacity events);
// - a batch never passes an event whose first retry is still due (the lane waits one retry delay for it, keeping
//   order); an event that failed more than once is set aside until its retry time and the events behind it go on;
// - storage is the truth about attempts: reading the shard again refreshes what the window holds;
// - every member is used under the window's lock: batches of different lanes finish concurrently.
using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Intake.Storage;

namespace KamFlows.Infrastructure.Intake;

internal sealed class ShardWindow(int shard)
{
    /// <summary>Most pending events held in memory per shard; more stay in storage until the window has room.</summary>
    public const int Capacity = 10_000;

    /// <summary>Most characters of event JSON held per shard (8 MB), whatever the number of events.</summary>
    public const long MaxChars = 4_000_000;

    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private long _chars;
    private long _turns;

    public int Shard { get; } = shard;

    public Lock Gate { get; } = new();

    /// <summary>The last pending key read; null to read the shard from its start (a rescan).</summary>
    public string? LastKey { get; set; }

    /// <summary>When the shard was last read from its start (rows of other hosts may sort before <see cref="LastKey"/>).</summary>
    public DateTimeOffset LastRescan { get; set; }

    /// <summary>When the window last read storage (null: never).</summary>
    public DateTimeOffset? ReadAt { get; set; }

    public int Count => _keys.Count;

    public bool Full => _keys.Count >= Capacity || _chars >= MaxChars;

    /// <summary>Adds an event read from storage; one already held takes the attempts and retry time read (another host may have tried it).</summary>
    public void Add(PendingEvent pending)
    {
        var (account, solo) = Classify(pending);
        if (!_keys.Add(pending.PendingKey))
        {
            if (_lanes.TryGetValue(account, out var held))
            {
                Update(held, pending);
            }

            return;
        }

        if (!_lanes.TryGetValue(account, out var lane))
        {
            _lanes[account] = lane = new Lane(account);
        }

        _chars += pending.Json.Length;
        var entry = new Entry(pending, solo);
        var at = lane.Events.Count;
        while (at > 0 && string.CompareOrdinal(lane.Events[at - 1].Pending.PendingKey, pending.PendingKey) > 0)
        {
            at--; // A rescan found an older row (another host's): keep arrival order.
        }

        lane.Events.Insert(at, entry);
    }

    /// <summary>Takes an event out (completed or parked).</summary>
    public void Remove(Lane lane, PendingEvent pending)
    {
        if (_keys.Remove(pending.PendingKey))
        {
            _chars -= pending.Json.Length;
            // Held once (by key), and a completed event is near the lane's front: stop at it instead of scanning the whole lane.
            var i = lane.Events.FindIndex(e => e.Pending.PendingKey == pending.PendingKey);
            if (i >= 0)
            {
                lane.Events.RemoveAt(i);
            }

            if (lane.Events.Count == 0 && !lane.Busy)
            {
                _lanes.Remove(lane.AccountId);
            }
        }
    }

    /// <summary>Replaces an event after a failed attempt (its attempts and retry time changed).</summary>
    public static void Update(Lane lane, PendingEvent updated)
    {
        var i = lane.Events.FindIndex(e => e.Pending.PendingKey == updated.PendingKey);
        if (i >= 0)
        {
            lane.Events[i] = lane.Events[i] with { Pending = updated };
        }
    }

    /// <summary>Marks a lane free again after its batch; drops it when empty.</summary>
    public void Release(Lane lane)
    {
        lane.Busy = false;
        if (lane.Events.Count == 0)
        {
            _lanes.Remove(lane.AccountId);
        }
    }

    /// <summary>
    /// The next batch of every idle lane that has one, at most <paramref name="maxLanes"/> lanes, the lane whose last
    /// turn is longest ago first (round robin), each lane then busy: up to <paramref name="maxEvents"/> of its events in
    /// order, a contact erasure always alone (it rewrites the timeline entries written before it).
    /// </summary>
    public List<(Lane Lane, List<PendingEvent> Batch)> TakeBatches(DateTimeOffset now, int maxLanes, int maxEvents)
    {
        var taken = new List<(Lane, List<PendingEvent>)>();
        if (maxLanes <= 0)
        {
            return taken;
        }

        foreach (var lane in _lanes.Values.Where(l => !l.Busy).OrderBy(l => l.LastTurn))
        {
            if (taken.Count >= maxLanes)
            {
                break;
            }

            if (lane.BlockedUntil > now)
            {
                continue;
            }

            var batch = new List<PendingEvent>();
            foreach (var entry in lane.Events)
            {
                if (entry.Pending.RetryAt is { } retryAt && retryAt > now)
                {
                    if (entry.Pending.Attempts <= 1)
                    {
                        lane.BlockedUntil = retryAt; // First failure: the events behind it wait for its one retry.
                        break;
                    }

                    continue; // Failed again: set aside until its retry time; the events behind it go on.
                }

                if (entry.Solo && batch.Count > 0)
                {
                    break;
                }

                batch.Add(entry.Pending);
                if (entry.Solo || batch.Count >= maxEvents)
                {
                    break;
                }
            }

            if (batch.Count > 0)
            {
                lane.Busy = true;
                lane.LastTurn = ++_turns;
                taken.Add((lane, batch));
            }
        }

        return taken;
    }

    /// <summary>The earliest time a lane that now has nothing to do may have work again (a retry), or null.</summary>
    public DateTimeOffset? NextRetry(DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        foreach (var lane in _lanes.Values)
        {
            foreach (var at in lane.Events.Select(e => e.Pending.RetryAt).Append(lane.BlockedUntil))
            {
                if (at is { } t && t > now && (next is null || t < next))
                {
                    next = t;
                }
            }
        }

        return next;
    }

    /// <summary>Pending events held and the earliest acceptance time among them.</summary>
    public (int Pending, DateTimeOffset? OldestReceivedAt) Backlog()
    {
        DateTimeOffset? oldest = null;
        foreach (var entry in _lanes.Values.SelectMany(l => l.Events))
        {
            if (oldest is null || entry.Pending.ReceivedAt < oldest)
            {
                oldest = entry.Pending.ReceivedAt;
            }
        }

        return (_keys.Count, oldest);
    }

    // Rows written before the account and type were stored with them are parsed once here; an unreadable one gets a
    // lane of its own, where processing parks it.
    private static (string Account, bool Solo) Classify(PendingEvent pending)
    {
        if (pending.AccountId is { } account && pending.Type is { } type)
        {
            return (account, type == CanonicalEventTypes.ContactErased);
        }

        var parsed = CanonicalEventParser.Parse(pending.Json);
        return parsed.IsValid ? (parsed.Event.AccountId, parsed.Event.Data is Domain.Events.Data.ContactErased) : ("\u0000unreadable|" + pending.PendingKey, true);
    }

    public sealed class Lane(string accountId)
    {
        public string AccountId { get; } = accountId;

        public List<Entry> Events { get; } = [];

        public bool Busy { get; set; }

        /// <summary>When the lane last had a batch taken (a counter of the window's turns; 0: never).</summary>
        public long LastTurn { get; set; }

        /// <summary>Until when the lane waits for its first event's first retry.</summary>
        public DateTimeOffset? BlockedUntil { get; set; }
    }

    public sealed record Entry(PendingEvent Pending, bool Solo);
}
