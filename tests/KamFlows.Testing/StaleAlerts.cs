namespace KamFlows.Testing;

/// <summary>
/// Which notifications sent after a history arrived at <c>arrivedAt</c> are stale: the ones the same history, delivered
/// on time, sends more than a day (a business day at most over a weekend: three days) before it arrived, and the ones it
/// never sends (e.g. follow-ups of an object the history closed). Digests are not alerts.
/// </summary>
public static class StaleAlerts
{
    public static IReadOnlyList<string> Of(IEnumerable<(string Id, string Kind)> sent, IEnumerable<(string Id, DateTimeOffset SendAt)> onTime, DateTimeOffset arrivedAt)
    {
        var due = onTime.GroupBy(n => n.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(n => n.SendAt), StringComparer.Ordinal);
        return [.. sent.Where(n => n.Kind is not ("DailyAgenda" or "WeeklyReport"))
            .Where(n => !due.TryGetValue(n.Id, out var at) || at < arrivedAt.AddDays(-3))
            .Select(n => due.TryGetValue(n.Id, out var at) ? $"{n.Id} (due {at:O})" : $"{n.Id} (never sent on time)")];
    }
}
