// One batch of one account's pending events: apply, append to the timeline, deliver, complete (see IntakeProcessor.cs
// for the invariants). A batch that fails is repeated one event at a time, which finds the failing event; the steps
// already done for the others are repeated harmlessly (idempotent). A workflow instance that has not started yet (its
// start still queued in the engine) is no one's fault: the account waits a retry delay, no attempt is counted, and the
// instances that got their events already are not sent them again by this process.
using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
using KamFlows.Infrastructure.Intake.Storage;
using KamFlows.Infrastructure.Timeline;
using KamFlows.Workflows;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace KamFlows.Infrastructure.Intake;

public sealed partial class IntakeProcessor
{
    /// <summary>How long delivery waits for a just-started instance to start before its account's batch is retried later (a batch slot is held meanwhile).</summary>
    private static readonly TimeSpan WorkflowStartWait = TimeSpan.FromSeconds(2);

    // Per pending event, the workflow instances it was delivered to by a batch that then did not complete (memory only:
    // after a restart they are delivered again, which the workflows ignore).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Concurrent.ConcurrentDictionary<string, byte>> _delivered =
        new(StringComparer.Ordinal);

    /// <summary>Workflow instances a batch delivers to at once.</summary>
    private const int ConcurrentDeliveries = 8;

    /// <summary>Most events one workflow message carries (a control-queue message stays small).</summary>
    private const int MaxEventsPerDelivery = 50;

    /// <summary>Processes a batch; returns the events done (processed or parked).</summary>
    private async Task<int> ProcessBatchAsync(ShardWindow window, ShardWindow.Lane lane, List<PendingEvent> batch, DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        var done = 0;
        var events = new List<(PendingEvent Pending, CanonicalEvent Event, CanonicalEvent Kept, string Retained)>(batch.Count);
        foreach (var pending in batch)
        {
            CanonicalEvent canonicalEvent;
            try
            {
                canonicalEvent = CanonicalEventParser.ParseOrThrow(pending.Json);
            }
            catch (FormatException ex)
            {
                // A stored event that no longer parses will never parse: park it at once instead of holding its account.
                await ParkAsync(window, lane, pending, string.Empty, ex, cancellationToken).ConfigureAwait(false);
                done++;
                continue;
            }

            // Until the event is read, nothing of it may be kept: it may hold personal data.
            var withoutPersonalData = canonicalEvent.Data is ContactUpserted contact ? canonicalEvent with { Data = contact.WithoutPersonalData() } : canonicalEvent;
            events.Add((pending, canonicalEvent, withoutPersonalData, CanonicalEventJson.Serialize(withoutPersonalData)));
        }

        if (events.Count == 0)
        {
            return done;
        }

        try
        {
            await ApplyAndDeliverAsync(events, workflows, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException ex)
        {
            NotReady(window, lane, ex);
            return done;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (events.Count > 1)
            {
                return done + await ProcessOneByOneAsync(window, lane, events, workflows, cancellationToken).ConfigureAwait(false);
            }

            return done + await FailedAsync(window, lane, events[0].Pending, events[0].Retained, ex, cancellationToken).ConfigureAwait(false);
        }

        await _intake.CompleteManyAsync([.. events.Select(e => (e.Pending, e.Retained))], cancellationToken).ConfigureAwait(false);
        Completed(window, lane, events.Select(e => e.Pending));
        return done + events.Count;
    }

    private async Task<int> ProcessOneByOneAsync(ShardWindow window, ShardWindow.Lane lane, List<(PendingEvent Pending, CanonicalEvent Event, CanonicalEvent Kept, string Retained)> events,
        DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        var done = 0;
        foreach (var one in events)
        {
            try
            {
                await ApplyAndDeliverAsync([one], workflows, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (TimeoutException ex)
            {
                NotReady(window, lane, ex);
                return done;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                var parked = await FailedAsync(window, lane, one.Pending, one.Retained, ex, cancellationToken).ConfigureAwait(false);
                done += parked;
                if (parked == 0 && one.Pending.Attempts == 0)
                {
                    return done; // Its first failure: the events behind it wait for its retry (the lane is blocked until then).
                }

                continue;
            }

            await _intake.CompleteAsync(one.Pending, one.Retained, cancellationToken).ConfigureAwait(false);
            Completed(window, lane, [one.Pending]);
            done++;
        }

        return done;
    }

    private async Task ApplyAndDeliverAsync(List<(PendingEvent Pending, CanonicalEvent Event, CanonicalEvent Kept, string Retained)> events, DurableTaskClient workflows,
        CancellationToken cancellationToken)
    {
        var accountId = events[0].Event.AccountId;
        await _accounts.ApplyManyAsync(accountId, [.. events.Select(e => e.Event)], cancellationToken).ConfigureAwait(false);
        await _timeline.AppendManyAsync(accountId, events.Select(e => EventSummaries.For(e.Kept)), cancellationToken).ConfigureAwait(false);

        if (_teamListeners.Length > 0 && events.Any(e => e.Event.Data is AccountUpserted)
            && await _reader.GetProfileAsync(accountId, cancellationToken).ConfigureAwait(false) is { } profile)
        {
            foreach (var listener in _teamListeners)
            {
                await listener.AccountTeamChangedAsync(profile, cancellationToken).ConfigureAwait(false);
            }
        }

        using var gate = new SemaphoreSlim(ConcurrentDeliveries);
        await Task.WhenAll(Deliveries(events).Select(async delivery =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                foreach (var (route, jsons, keys) in delivery)
                {
                    await WorkflowRouting.DeliverManyAsync(workflows, route, jsons, WorkflowStartWait, cancellationToken).ConfigureAwait(false);
                    foreach (var key in keys)
                    {
                        _delivered.GetOrAdd(key, _ => new(StringComparer.Ordinal))[route.InstanceId] = 0;
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
    }

    /// <summary>
    /// Per workflow instance, its events in order, as messages: a message never puts an event that may start the
    /// instance behind one that may not (a finished instance ignores the one and restarts for the other, as when they come
    /// one by one), and carries at most <see cref="MaxEventsPerDelivery"/> events. Instances an event was already
    /// delivered to by an earlier try of its batch are left out.
    /// </summary>
    private List<List<(WorkflowDeliveryRoute Route, List<string> Jsons, List<string> Keys)>> Deliveries(
        IEnumerable<(PendingEvent Pending, CanonicalEvent Event, CanonicalEvent Kept, string Retained)> events)
    {
        var byInstance = new Dictionary<string, List<(WorkflowDeliveryRoute Route, List<string> Jsons, List<string> Keys)>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (pending, canonicalEvent, _, retained) in events)
        {
            _delivered.TryGetValue(pending.PendingKey, out var already);
            foreach (var route in WorkflowRouting.Routes(canonicalEvent))
            {
                if (already?.ContainsKey(route.InstanceId) == true)
                {
                    continue;
                }

                if (!byInstance.TryGetValue(route.InstanceId, out var messages))
                {
                    byInstance[route.InstanceId] = messages = [];
                    order.Add(route.InstanceId);
                }

                if (messages.Count > 0 && messages[^1].Jsons.Count < MaxEventsPerDelivery && (messages[^1].Route.StartsIfAbsent || !route.StartsIfAbsent))
                {
                    messages[^1].Jsons.Add(retained);
                    messages[^1].Keys.Add(pending.PendingKey);
                }
                else
                {
                    messages.Add((route, [retained], [pending.PendingKey]));
                }
            }
        }

        return [.. order.Select(id => byInstance[id])];
    }

    /// <summary>A workflow instance of the batch has not started yet: the account waits a retry delay; nothing is counted against its events.</summary>
    private void NotReady(ShardWindow window, ShardWindow.Lane lane, TimeoutException ex)
    {
        LogNotReady(_logger, lane.AccountId, ex.Message);
        lock (window.Gate)
        {
            lane.BlockedUntil = _clock.GetUtcNow() + _options.RetryDelay;
        }
    }

    /// <summary>Handles a failed attempt of one event: parks it after the last attempt, else schedules its retry; returns 1 when parked.</summary>
    private async Task<int> FailedAsync(ShardWindow window, ShardWindow.Lane lane, PendingEvent pending, string retained, Exception ex, CancellationToken cancellationToken)
    {
        var attempt = pending.Attempts + 1;
        if (attempt >= _options.MaxProcessingAttempts)
        {
            await ParkAsync(window, lane, pending, retained, ex, cancellationToken).ConfigureAwait(false);
            return 1;
        }

        var retryAt = _clock.GetUtcNow() + _options.RetryDelay;
        if (attempt == 1)
        {
            LogRetrying(_logger, pending.EventId, attempt, ex);
        }
        else
        {
            LogSetAside(_logger, pending.EventId, attempt, ex);
        }

        await _intake.RecordFailureAsync(pending, ex.GetType().Name + ": " + ex.Message, retryAt, cancellationToken).ConfigureAwait(false);
        KamFlowsMetrics.EventsProcessed("retried", 1);
        lock (window.Gate)
        {
            ShardWindow.Update(lane, pending with { Attempts = attempt, RetryAt = retryAt });
            if (attempt == 1)
            {
                lane.BlockedUntil = retryAt;
            }
        }

        return 0;
    }

    private async Task ParkAsync(ShardWindow window, ShardWindow.Lane lane, PendingEvent pending, string retained, Exception ex, CancellationToken cancellationToken)
    {
        LogParked(_logger, pending.EventId, pending.Attempts + 1, ex);
        _delivered.TryRemove(pending.PendingKey, out _);
        await _intake.ParkAsync(pending, retained, ex.GetType().Name + ": " + ex.Message, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _parked);
        KamFlowsMetrics.EventsProcessed("parked", 1);
        lock (window.Gate)
        {
            window.Remove(lane, pending);
        }
    }

    private void Completed(ShardWindow window, ShardWindow.Lane lane, IEnumerable<PendingEvent> events)
    {
        var now = _clock.GetUtcNow();
        var count = 0;
        lock (window.Gate)
        {
            foreach (var pending in events)
            {
                _delivered.TryRemove(pending.PendingKey, out _);
                window.Remove(lane, pending);
                KamFlowsMetrics.EventDelay(now - pending.ReceivedAt);
                count++;
            }
        }

        Interlocked.Add(ref _processed, count);
        KamFlowsMetrics.EventsProcessed("processed", count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Events of account {AccountId} wait: {Reason}")]
    private static partial void LogNotReady(ILogger logger, string accountId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} failed on attempt {Attempt}; its account's later events wait for one retry")]
    private static partial void LogRetrying(ILogger logger, string eventId, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} failed on attempt {Attempt}; set aside and retried behind its account's later events")]
    private static partial void LogSetAside(ILogger logger, string eventId, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventId} failed {Attempts} times and is parked as failed")]
    private static partial void LogParked(ILogger logger, string eventId, int attempts, Exception exception);
}
