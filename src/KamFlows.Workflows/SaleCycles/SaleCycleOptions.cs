using System.Text.Json.Serialization;
using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.SaleCycles;

/// <summary>Long sale cycles (section <c>KamFlows:Workflows:SaleCycle</c>); defaults from DOMAIN.md "Long sale cycles".</summary>
public sealed class SaleCycleOptions
{
    /// <summary>The next meaningful step for a stage when the last meeting agreed none (keys: stage wire names).</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultStageNextSteps = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["needs_recognition"] = "Confirm the need with the decision maker and map the DMU",
        ["evaluation_of_options"] = "Shape the decision criteria: an expert meeting or a pilot with the technical team",
        ["resolution_of_concerns"] = "Answer the buyer's risks: references, guarantees, pilot results",
        ["decision"] = "Agree the decision date, the signatories and the contract path",
    };

    /// <summary>The next meaningful step when the stage has none configured (code <see cref="GenericNextStepCode"/>).</summary>
    public const string GenericNextStep = "Agree the next meeting with the decision maker";

    /// <summary>The code of <see cref="GenericNextStep"/> in the templates' <c>next_step</c> terms.</summary>
    public const string GenericNextStepCode = "next_meeting";

    /// <summary>
    /// The code the templates translate (term group <c>next_step</c>) when <paramref name="step"/> is one of the built-in
    /// texts (a stage's wire name, or <see cref="GenericNextStepCode"/>); null for a configured or agreed text, which is
    /// sent as written.
    /// </summary>
    public static string? BuiltInNextStepCode(string step) =>
        step == GenericNextStep ? GenericNextStepCode : DefaultStageNextSteps.FirstOrDefault(d => d.Value == step).Key;

    /// <summary>No stage change or meeting for this many days: the deal is stalled and the KAM is alerted.</summary>
    public int StallDays { get; set; } = 45;

    /// <summary>
    /// The stall threshold follows the deal's own pace: at least <see cref="StallDays"/>, and this many times its median
    /// gap between meetings (a three-year deal that meets quarterly is not stalled after 45 days).
    /// </summary>
    public decimal StallCadenceFactor { get; set; } = 1.5m;

    /// <summary>
    /// Until a deal has two meetings, its pace is estimated from its expected close date: the time to it divided by this
    /// many meetings (seed 000: a long cycle takes 10–15 meetings). 0: no estimate, <see cref="StallDays"/> alone.
    /// </summary>
    public int ExpectedMeetingsPerCycle { get; set; } = 12;

    /// <summary>Still stalled this many days after the KAM's alert: the head is told.</summary>
    public int StallEscalationDays { get; set; } = 14;

    /// <summary>Meeting cadence: without a meeting or stage change for this many days, the KAM is reminded of the next meaningful step.</summary>
    public int MeetingCadenceDays { get; set; } = 21;

    /// <summary>A next step agreed at a meeting is reminded this many business days before its due date.</summary>
    public int NextStepReminderBusinessDaysBefore { get; set; } = 1;

    /// <summary>
    /// Suggested next steps per stage (default <see cref="DefaultStageNextSteps"/>, translated in every language); configured
    /// texts are sent as written, in whatever language they are configured.
    /// </summary>
    public Dictionary<string, string>? StageNextSteps { get; set; }

    [JsonIgnore]
    public IReadOnlyDictionary<string, string> StageNextStepsOrDefault => StageNextSteps ?? DefaultStageNextSteps;

    internal void Validate(OptionErrors e)
    {
        e.AtLeast(nameof(StallDays), StallDays, 1);
        e.AtLeast(nameof(StallEscalationDays), StallEscalationDays, 1);
        e.AtLeast(nameof(ExpectedMeetingsPerCycle), ExpectedMeetingsPerCycle, 0);
        e.Between(nameof(StallCadenceFactor), StallCadenceFactor, 1m, 10m);
        e.AtLeast(nameof(MeetingCadenceDays), MeetingCadenceDays, 1);
        e.AtLeast(nameof(NextStepReminderBusinessDaysBefore), NextStepReminderBusinessDaysBefore, 0);
    }
}
