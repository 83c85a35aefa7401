using System.Text.Json.Serialization;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Workflows.Escalation;

/// <summary>Escalation of overdue tasks to the head (section <c>KamFlows:Workflows:Escalation</c>).</summary>
public sealed class EscalationOptions
{
    public static readonly IReadOnlyList<NotificationKind> DefaultEscalatedTasks =
        [NotificationKind.ProposalCallToConfirmReceipt, NotificationKind.ProposalAskNextSteps, NotificationKind.ProposalSentUnderFloor];

    /// <summary>A task still open this many business days (KAM's calendar) after it was due goes to the head, once.</summary>
    public int OverdueBusinessDays { get; set; } = 2;

    /// <summary>Which tasks escalate (default: call to confirm receipt, ask about next steps, a proposal sent under the price floor). Empty list: none.</summary>
    public NotificationKind[]? EscalatedTasks { get; set; }

    [JsonIgnore]
    public IReadOnlyList<NotificationKind> EscalatedTasksOrDefault => EscalatedTasks ?? DefaultEscalatedTasks;

    internal void Validate(OptionErrors e) => e.AtLeast(nameof(OverdueBusinessDays), OverdueBusinessDays, 1);
}
