using Microsoft.DurableTask;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Common;

/// <summary>What one execution of a workflow knows besides its state: the context, the settings, the account profile and calendars.</summary>
public sealed class WorkflowRun
{
    internal WorkflowRun(TaskOrchestrationContext context, WorkflowsOptions options)
    {
        Context = context;
        Options = options;
        TimingReminderTime = TimingOptions.TryParseTime(options.Timing.ReminderTime, out var t) ? t : new TimeOnly(9, 0);
    }

    public TaskOrchestrationContext Context { get; }

    public WorkflowsOptions Options { get; }

    /// <summary>
    /// The time of the current step (orchestration time, UTC); while a late event is applied, that event's own time
    /// (<see cref="CatchUp"/>), so what it starts or closes is dated when it happened.
    /// </summary>
    public DateTimeOffset Now => AppliedAsOf ?? UtcNow(Context);

    /// <summary>Set by the engine around <c>Apply</c> of a late event.</summary>
    internal DateTimeOffset? AppliedAsOf { get; set; }

    /// <summary>Items recorded as missed in this step, reported by one activity call at its end.</summary>
    internal List<MissedAction> PendingMissed { get; } = [];

    /// <summary>The orchestration's clock as an instant (the SDK gives a UTC <see cref="DateTime"/>, whatever its Kind says).</summary>
    public static DateTimeOffset UtcNow(TaskOrchestrationContext context) =>
        new(DateTime.SpecifyKind((context ?? throw new ArgumentNullException(nameof(context))).CurrentUtcDateTime, DateTimeKind.Utc));

    public AccountProfile? Profile { get; private set; }

    /// <summary>The KAM's calendar; known whenever plans are computed.</summary>
    public RecipientCalendar Kam => KamOrNull ?? throw new InvalidOperationException("The account profile is not known yet.");

    /// <summary>The head's calendar.</summary>
    public RecipientCalendar Head => HeadOrNull ?? throw new InvalidOperationException("The account profile is not known yet.");

    /// <summary>
    /// The client's calendar (the account's country) for deadlines that concern the client; null when the account has no
    /// country. Built on first use after each profile read: only the proposal workflow plans with it.
    /// </summary>
    public RecipientCalendar? Client
    {
        get
        {
            if (!_clientBuilt && Profile is not null)
            {
                _client = RecipientCalendar.ForClient(Profile, Kam, principalZone: Options.SeedRules); // Older executions replay with the first tz zone.
                _clientBuilt = true;
            }

            return _client;
        }
    }

    private RecipientCalendar? _client;

    private bool _clientBuilt;

    internal RecipientCalendar? KamOrNull { get; private set; }

    internal RecipientCalendar? HeadOrNull { get; private set; }

    /// <summary>How late a reminder may still go out (<see cref="TimingOptions.MissedReminderGraceHours"/>).</summary>
    public TimeSpan ReminderGrace => TimeSpan.FromHours(Options.Timing.MissedReminderGraceHours);

    public TimeSpan InviteDuration => TimeSpan.FromMinutes(Options.Timing.InviteDurationMinutes);

    internal TimeOnly TimingReminderTime { get; }

    internal bool ProfileStale { get; set; } = true;

    internal bool ContinueAsNewRequested { get; private set; }

    /// <summary>The account changed (kam.account.upserted): read the profile again before planning.</summary>
    public void RefreshProfile() => ProfileStale = true;

    /// <summary>Start a fresh execution (short history) at the next wait, carrying the state.</summary>
    public void RequestContinueAsNew() => ContinueAsNewRequested = true;

    public RecipientCalendar CalendarFor(RecipientRole role) => role == RecipientRole.Head ? Head : Kam;

    public string EmailFor(RecipientRole role) => role == RecipientRole.Head ? Profile?.Head.Email ?? string.Empty : Profile?.Kam.Email ?? string.Empty;

    internal void UseProfile(AccountProfile? profile)
    {
        Profile = profile;
        KamOrNull = profile is null ? null : RecipientCalendar.For(profile.Kam, TimingReminderTime);
        HeadOrNull = profile is null ? null : RecipientCalendar.For(profile.Head, TimingReminderTime);
        _client = null;
        _clientBuilt = false;
        ProfileStale = false;
    }
}

/// <summary>What a workflow did with an event.</summary>
public enum EventDisposition
{
    Applied,

    /// <summary>The workflow has not started yet (e.g. acknowledged before sent): keep it and try it again after each applied event.</summary>
    Held,

    /// <summary>Not relevant, stale or a repeat: nothing changes.</summary>
    Ignored,
}
