using System.Globalization;
using KamFlows.Workflows.AccountCare;
using KamFlows.Workflows.Complaints;
using KamFlows.Workflows.Escalation;
using KamFlows.Workflows.Proposals;
using KamFlows.Workflows.References;
using KamFlows.Workflows.SaleCycles;
using KamFlows.Workflows.Tenders;

namespace KamFlows.Workflows.Common;

/// <summary>
/// Every workflow setting, bound from <c>KamFlows:Workflows</c> (each workflow from <c>KamFlows:Workflows:{Name}</c>).
/// Defaults are the rules of DOMAIN.md. An instance reads them once per execution through an activity, so they are
/// recorded in its history and replay the same.
/// </summary>
public sealed class WorkflowsOptions
{
    public const string Section = "KamFlows:Workflows";

    /// <summary>
    /// The decision rules of this build: 2 = issue 14's (stall against the deal's pace, price floor before sending, complaints);
    /// 3 = the seed rules of issue 14 item 7 (handover briefing, new-account cadence, cross-sell, meetings, delivery deadlines);
    /// 4 = a moved meeting's invite updated at once (MeetingMovedNotice).
    /// </summary>
    public const int CurrentDecisionRules = 4;

    /// <summary>
    /// Which decision rules an execution follows: stamped by ReadWorkflowOptions (never configured), so it is recorded in
    /// the execution's history. Executions recorded before issue 14 have no such member and replay with 0 (the rules
    /// they ran with); their next execution (continue-as-new) reads the options again and follows the current rules.
    /// </summary>
    public int DecisionRules { get; set; }

    /// <summary>Whether this execution follows issue 14's rules.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Issue14Rules => DecisionRules >= 2;

    /// <summary>Whether this execution follows the seed rules of issue 14 item 7; older executions replay without them.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool SeedRules => DecisionRules >= 3;

    /// <summary>Whether a meeting moved after its invite went out updates the KAM's calendar at once; executions recorded before replay without it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool MeetingMovedNotices => DecisionRules >= 4;

    public TimingOptions Timing { get; set; } = new();

    public EscalationOptions Escalation { get; set; } = new();

    public ProposalFollowUpOptions ProposalFollowUp { get; set; } = new();

    public TenderPreparationOptions TenderPreparation { get; set; } = new();

    public SaleCycleOptions SaleCycle { get; set; } = new();

    public ReferenceLetterOptions ReferenceLetter { get; set; } = new();

    public AccountCareOptions AccountCare { get; set; } = new();

    public ComplaintHandlingOptions ComplaintHandling { get; set; } = new();

    public DeliveriesOptions Deliveries { get; set; } = new();
    /// <summary>Meetings with the client: preparation before, outcome recorded after (issue 14 item 7).</summary>
    public Meetings.MeetingPreparationOptions Meetings { get; set; } = new();

    /// <summary>Problems, each naming its configuration key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Timing.Validate(new OptionErrors(errors, Section + ":Timing"));
        Escalation.Validate(new OptionErrors(errors, Section + ":Escalation"));
        ProposalFollowUp.Validate(new OptionErrors(errors, Section + ":ProposalFollowUp"));
        TenderPreparation.Validate(new OptionErrors(errors, Section + ":TenderPreparation"));
        SaleCycle.Validate(new OptionErrors(errors, Section + ":SaleCycle"));
        ReferenceLetter.Validate(new OptionErrors(errors, Section + ":ReferenceLetter"));
        AccountCare.Validate(new OptionErrors(errors, Section + ":AccountCare"));
        ComplaintHandling.Validate(new OptionErrors(errors, Section + ":ComplaintHandling"));
        Deliveries.Validate(new OptionErrors(errors, Section + ":Deliveries"));
        Meetings.Validate(new OptionErrors(errors, Section + ":Meetings"));
        return errors;
    }
}

/// <summary>Settings every workflow shares: when reminders go out and how out-of-order events are held.</summary>
public sealed class TimingOptions
{
    /// <summary>Local time of day (HH:mm) at which reminders and tasks reach their recipient on a business day.</summary>
    public string ReminderTime { get; set; } = "09:00";

    /// <summary>A reminder found more than this many hours past its time (late event, outage) is skipped; tasks are sent late instead.</summary>
    public int MissedReminderGraceHours { get; set; } = 24;

    /// <summary>Events that arrive before the event that starts a workflow are held this many days, then the instance ends reporting them.</summary>
    public int HoldUnmatchedEventsDays { get; set; } = 30;

    /// <summary>While the account's profile (KAM, head, calendars) is unknown, it is read again every this many minutes.</summary>
    public int ProfileRetryMinutes { get; set; } = 60;

    /// <summary>An instance continues as new (fresh, short history, same state) after this many events.</summary>
    public int ContinueAsNewAfterEvents { get; set; } = 100;

    /// <summary>Length of the calendar items sent with milestones, meetings and reviews.</summary>
    public int InviteDurationMinutes { get; set; } = 60;

    /// <summary>While catching up (late events, late timers), an item whose time passed more than this many business days of its recipient is recorded as missed, not sent (see <see cref="CatchUp"/>).</summary>
    public int MissedAfterBusinessDays { get; set; } = 1;

    /// <summary>An event whose time is more than this many minutes before it reaches its workflow (or a timer firing that late) means the workflow is catching up.</summary>
    public int LateEventMinutes { get; set; } = 15;

    /// <summary>After a late step, nothing fires until no late step came for this many seconds: the rest of the backlog is applied first.</summary>
    public int CatchUpSettleSeconds { get; set; } = 120;

    internal void Validate(OptionErrors e)
    {
        if (!TryParseTime(ReminderTime, out _))
        {
            e.Add(nameof(ReminderTime), $"must be a local time HH:mm such as 09:00 (got '{ReminderTime}')");
        }

        e.AtLeast(nameof(MissedReminderGraceHours), MissedReminderGraceHours, 1);
        e.AtLeast(nameof(HoldUnmatchedEventsDays), HoldUnmatchedEventsDays, 1);
        e.AtLeast(nameof(ProfileRetryMinutes), ProfileRetryMinutes, 1);
        e.AtLeast(nameof(ContinueAsNewAfterEvents), ContinueAsNewAfterEvents, 10);
        e.AtLeast(nameof(InviteDurationMinutes), InviteDurationMinutes, 5);
        e.AtLeast(nameof(MissedAfterBusinessDays), MissedAfterBusinessDays, 0);
        e.AtLeast(nameof(LateEventMinutes), LateEventMinutes, 1);
        e.AtLeast(nameof(CatchUpSettleSeconds), CatchUpSettleSeconds, 1);
    }

    internal static bool TryParseTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
}

/// <summary>Collects option errors with the full configuration key.</summary>
internal readonly struct OptionErrors(List<string> errors, string prefix)
{
    public void Add(string key, string message) => errors.Add($"{prefix}:{key} {message}.");

    public void AtLeast(string key, int value, int minimum)
    {
        if (value < minimum)
        {
            Add(key, $"must be at least {minimum} (got {value})");
        }
    }

    public void Between(string key, decimal value, decimal minimum, decimal maximum)
    {
        if (value < minimum || value > maximum)
        {
            Add(key, $"must be between {minimum} and {maximum} (got {value})");
        }
    }

    public void AllAtLeast(string key, IReadOnlyList<int>? values, int minimum)
    {
        if (values is null)
        {
            return;
        }

        if (values.Count == 0)
        {
            Add(key, "must list at least one value (leave it out for the default)");
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] < minimum)
            {
                Add($"{key}:{i}", $"must be at least {minimum} (got {values[i]})");
            }
        }

        if (values.Distinct().Count() != values.Count)
        {
            Add(key, "must not repeat a value");
        }
    }
}
