using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Workflows.Escalation;

/// <summary>
/// DOMAIN.md and issue 4 item 6: a KAM task still open the escalation period (KAM's business days, same wall-clock
/// time) after it was due goes to the head, once, at the head's next business moment. Pure planning: every workflow's
/// engine adds these items to its plan, so they fire, show in upcoming actions and disappear like any other.
/// </summary>
public static class TaskEscalation
{
    /// <summary>
    /// The escalations of the state's open overdue tasks. <paramref name="ownPeriod"/> gives a workflow's own period
    /// (business days) for a task kind it always escalates (a delivery overdue: <c>Deliveries:EscalateAfterBusinessDays</c>);
    /// null for a kind the Escalation options decide.
    /// </summary>
    public static IEnumerable<PlanItem> Plan(WorkflowState state, WorkflowRun run, Func<string, FiredAction, bool> isOpen, Func<string, int?>? ownPeriod = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(isOpen);
        var options = run.Options.Escalation;
        var kinds = options.EscalatedTasksOrDefault.Select(k => k.ToString()).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, task) in state.Fired.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var period = task.Kind is null ? null : ownPeriod?.Invoke(task.Kind);
            if (!task.IsTask || task.Audience != RecipientRole.Kam || task.Kind is null || (period is null && !kinds.Contains(task.Kind))
                || !FiredOutcomes.Delivered(task.Outcome) || !isOpen(id, task))
            {
                continue;
            }

            var days = period ?? options.OverdueBusinessDays;
            var overdueAt = run.Kam.SameTimeBusinessDaysLater(task.At, days);
            var occurrence = id.StartsWith(state.Key + "|", StringComparison.Ordinal) ? id[(state.Key.Length + 1)..] : id;
            yield return new PlanItem
            {
                Id = TemplateFields.Id(state.Key, NotificationKind.TaskOverdueEscalation, occurrence),
                Kind = NotificationKind.TaskOverdueEscalation,
                Audience = RecipientRole.Head,
                DueAt = run.Head.NextBusinessMoment(overdueAt),
                Title = "Overdue: " + task.Title,
                Fields = TemplateFields.Of(
                    ("task_kind", TemplateFields.Text(task.Kind)),
                    ("task_summary", TemplateFields.Text(task.Title)),
                    ("due_at", TemplateFields.Instant(run.Kam.ToLocal(task.At))),
                    ("overdue_days", TemplateFields.Number(days))),
            };
        }
    }
}
