using KamFlows.Domain.Accounts;
using KamFlows.Domain.Events;
using KamFlows.Domain.Portfolio;
using DurableTask.Core.History;
using Microsoft.DurableTask.Client;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Timeline;
using KamFlows.Workflows.Ports;

namespace KamFlows.Api.Management;

/// <summary>An account in the list: who owns it, its groups (Breadwinner computed) and its place in the portfolio.</summary>
public sealed record AccountSummary(string Id, string Name, string KamEmail, bool IsKeyAccount, IReadOnlyList<string> Groups, AccountShare? Share);

/// <summary>An account's share of revenue in the reporting period.</summary>
public sealed record AccountShare(int Rank, decimal Revenue, string Currency, decimal Share, decimal CumulativeShare, string Class, bool IsBreadwinner);

public sealed record PeriodView(string Start, string End);

public sealed record AccountList(PeriodView Period, string Currency, IReadOnlyList<string> AnalysisErrors, IReadOnlyList<AccountSummary> Accounts);

/// <summary>A DMU member as the API shows it: no personal data, only whether some is held.</summary>
public sealed record DmuMember(string ContactId, string Name, string? Email, string? JobTitle, string Role, string Influence, string Attitude, bool Erased, bool HasPersonalData);

public sealed record WorkflowView(string InstanceId, string Orchestrator, string Status, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt);

public sealed record ScheduledTimer(string InstanceId, DateTimeOffset FireAt);

/// <summary>A person's planned actions across accounts (a due time before <see cref="At"/> is an overdue task).</summary>
public sealed record UpcomingForPerson(string Email, DateTimeOffset At, IReadOnlyList<PlannedActionView> Actions, IReadOnlyList<string> Accounts);

public sealed record PlannedActionView(string SourceKey, string Kind, DateTimeOffset DueAt, string RecipientEmail, string Title);

public sealed record AccountDetail(
    AccountSummary Account,
    IReadOnlyList<string> Bonds,
    IReadOnlyList<DmuMember> Dmu,
    IReadOnlyList<string> DmuRoles,
    IReadOnlyDictionary<string, IReadOnlyList<AccountObject>> Objects,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<WorkflowView> RunningWorkflows,
    IReadOnlyList<ScheduledTimer> ScheduledTimers,
    IReadOnlyList<PlannedActionView>? PlannedActions);

public sealed record WarningView(string Kind, string Severity, decimal Share, decimal Threshold, IReadOnlyList<string> AccountIds);

public sealed record LeftOutReport(string AccountId, string PeriodStart, string PeriodEnd, decimal Revenue, string Currency);

public sealed record PortfolioView(PeriodView Period, decimal TotalRevenue, string Currency, decimal KeyAccountShare, IReadOnlyList<AccountShareRow> Accounts,
    IReadOnlyList<WarningView> Warnings, IReadOnlyList<string> Breadwinners, IReadOnlyList<LeftOutReport> LeftOut);

public sealed record AccountShareRow(string AccountId, AccountShare Share, bool IsKeyAccount);

public sealed record InstanceView(string InstanceId, string Name, string Status, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt,
    DateTimeOffset? CompletedAt, string? Input, string? Output, string? CustomStatus, string? Failure);

/// <summary>A DurableTask.Core history event: its type, time, the task or timer it concerns, and its payload.</summary>
public sealed record HistoryView(string Kind, DateTimeOffset Timestamp, int? TaskId, string? Name, DateTimeOffset? FireAt, string? Payload);

public sealed record InstanceDetail(InstanceView Instance, IReadOnlyList<HistoryView> History);

public sealed record InstancePage(IReadOnlyList<InstanceView> Instances, string? ContinuationToken);

public sealed record ControlResult(string InstanceId, string Outcome);

internal static class ManagementMapping
{
    public static PeriodView Period(ReportingPeriod p) => new(JsonText.Format(p.Start), JsonText.Format(p.End));

    public static AccountShare Share(AccountRevenueShare r) =>
        new(r.Rank, r.Revenue.Amount, r.Revenue.Currency.Code, r.Share, r.CumulativeShare, r.Class.ToString().ToLowerInvariant(), r.IsBreadwinner);

    public static AccountSummary Summary(Account a, AccountRevenueShare? share) => new(
        a.Id, a.Name, a.Kam.Email.Value, a.IsKeyAccount,
        a.GroupsWith(share?.IsBreadwinner == true).Select(g => WireName.Of(g)).ToList(),
        share is null ? null : Share(share));

    public static InstanceView Instance(OrchestrationMetadata m) => new(
        m.InstanceId, m.Name, m.RuntimeStatus.ToString(), m.CreatedAt, m.LastUpdatedAt, m.IsCompleted ? m.LastUpdatedAt : null,
        m.SerializedInput, m.SerializedOutput, m.SerializedCustomStatus, m.FailureDetails is { } f ? $"{f.ErrorType}: {f.ErrorMessage}" : null);

    public static HistoryView History(HistoryEvent e)
    {
        DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
        return e switch
        {
            ExecutionStartedEvent s => new(e.EventType.ToString(), Utc(e.Timestamp), null, s.Name, null, s.Input),
            ExecutionCompletedEvent c => new(e.EventType.ToString(), Utc(e.Timestamp), null, c.OrchestrationStatus.ToString(), null, c.Result ?? c.FailureDetails?.ErrorMessage),
            TaskScheduledEvent t => new(e.EventType.ToString(), Utc(e.Timestamp), t.EventId, t.Name, null, t.Input),
            TaskCompletedEvent t => new(e.EventType.ToString(), Utc(e.Timestamp), t.TaskScheduledId, null, null, t.Result),
            TaskFailedEvent t => new(e.EventType.ToString(), Utc(e.Timestamp), t.TaskScheduledId, null, null, t.FailureDetails?.ErrorMessage ?? t.Reason),
            TimerCreatedEvent t => new(e.EventType.ToString(), Utc(e.Timestamp), t.EventId, null, Utc(t.FireAt), null),
            TimerFiredEvent t => new(e.EventType.ToString(), Utc(e.Timestamp), t.TimerId, null, Utc(t.FireAt), null),
            EventRaisedEvent r => new(e.EventType.ToString(), Utc(e.Timestamp), null, r.Name, null, r.Input),
            ExecutionTerminatedEvent x => new(e.EventType.ToString(), Utc(e.Timestamp), null, null, null, x.Input),
            _ => new(e.EventType.ToString(), Utc(e.Timestamp), null, null, null, null),
        };
    }

    /// <summary>Durable timers an execution created and that have not fired (the SDK splits long waits in chunks: the last one shows the next wake-up).</summary>
    public static IEnumerable<DateTimeOffset> OpenTimers(IEnumerable<HistoryEvent> history)
    {
        var events = history.ToList();
        var fired = events.OfType<TimerFiredEvent>().Select(e => e.TimerId).ToHashSet();
        return events.OfType<TimerCreatedEvent>().Where(e => !fired.Contains(e.EventId)).Select(e => new DateTimeOffset(DateTime.SpecifyKind(e.FireAt, DateTimeKind.Utc)));
    }

    public static PlannedActionView Planned((string SourceKey, PlannedAction Action) p) =>
        new(p.SourceKey, p.Action.Kind, p.Action.DueAt, p.Action.RecipientEmail, p.Action.Title);
}
