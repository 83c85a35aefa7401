using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Planning;

/// <summary>
/// Issue 4 item 8: an instance's rows in the upcoming-actions projection — every notification it will send (when, to
/// whom) and its open tasks until the CRM shows them done. Written through <see cref="IUpcomingActions"/> only when the
/// fingerprint changes.
/// </summary>
public static class UpcomingPlan
{
    public static List<PlannedAction> From(WorkflowState state, WorkflowRun run, IEnumerable<PlanItem> items, Func<string, FiredAction, bool> isOpen, Func<PlanItem, DateTimeOffset> dueOf)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(isOpen);
        ArgumentNullException.ThrowIfNull(dueOf);
        var actions = new List<PlannedAction>();
        foreach (var item in items)
        {
            if (item.Projected && item.Kind is { } kind && !state.Fired.ContainsKey(item.Id))
            {
                actions.Add(new PlannedAction(kind.ToString(), run.CalendarFor(item.Audience).ToLocal(dueOf(item)), run.EmailFor(item.Audience), item.Title));
            }
        }

        foreach (var (id, task) in state.Fired.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (task.IsTask && task.Kind is not null && FiredOutcomes.Delivered(task.Outcome) && isOpen(id, task))
            {
                actions.Add(new PlannedAction(task.Kind, run.CalendarFor(task.Audience).ToLocal(task.At), run.EmailFor(task.Audience), task.Title));
            }
        }

        return [.. actions.OrderBy(a => a.DueAt).ThenBy(a => a.Kind, StringComparer.Ordinal).ThenBy(a => a.Title, StringComparer.Ordinal)];
    }

    /// <summary>A short, stable digest of a plan (kept in state to skip rewriting an unchanged plan).</summary>
    public static string Fingerprint(string kamEmail, IReadOnlyList<PlannedAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var text = new StringBuilder(kamEmail);
        foreach (var a in actions)
        {
            text.Append('\n').Append(a.Kind).Append('|').Append(a.DueAt.ToString("O", CultureInfo.InvariantCulture)).Append('|').Append(a.RecipientEmail).Append('|').Append(a.Title);
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0, 16);
    }
}
