using KamFlows.Durable.History;
using Microsoft.Extensions.Logging;

namespace KamFlows.Durable.Replay;

/// <summary>
/// Keeps each instance's orchestration session between steps, so a step replays nothing it already ran. Only valid
/// where every planned step is committed (the in-memory engine); a session that does not match the history it is
/// given (another execution, a different event count) is dropped and rebuilt by a full replay.
/// </summary>
internal sealed class OrchestrationSessions
{
    private readonly Dictionary<string, (string ExecutionId, int HistoryLength, OrchestrationSession Session)> _sessions = new(StringComparer.Ordinal);

    public ReplayResult Replay(ITaskOrchestrator orchestrator, string instanceId, string executionId, string name, string version,
        IReadOnlyList<HistoryEvent> past, IReadOnlyList<HistoryEvent> fresh, DataConverter converter, ILoggerFactory? loggerFactory)
    {
        ReplayResult result;
        OrchestrationSession session;
        if (_sessions.TryGetValue(instanceId, out var kept) && kept.ExecutionId == executionId
            && kept.Session.CanContinue && kept.HistoryLength == past.Count)
        {
            session = kept.Session;
            result = session.Apply([], fresh);
        }
        else
        {
            session = new OrchestrationSession(orchestrator, instanceId, executionId, name, version, past.Concat(fresh), converter, loggerFactory);
            result = session.Apply(past, fresh);
        }

        if (session.CanContinue)
        {
            // The step writes the new events and the code's new actions: that is the history the next step will pass.
            _sessions[instanceId] = (executionId, past.Count + fresh.Count + result.NewActions.Count, session);
        }
        else
        {
            _sessions.Remove(instanceId);
        }

        return result;
    }

    public void Forget(string instanceId) => _sessions.Remove(instanceId);

    /// <summary>The instance's history was compacted to <paramref name="historyLength"/> events; false if it has no live session.</summary>
    public bool Rebase(string instanceId, int historyLength)
    {
        if (!_sessions.TryGetValue(instanceId, out var kept) || !kept.Session.CanContinue)
        {
            return false;
        }

        _sessions[instanceId] = kept with { HistoryLength = historyLength };
        return true;
    }

    /// <summary>Whether the instance has a live session (so its full history will not be replayed again).</summary>
    public bool HasLiveSession(string instanceId, string executionId) =>
        _sessions.TryGetValue(instanceId, out var kept) && kept.ExecutionId == executionId && kept.Session.CanContinue;
}
