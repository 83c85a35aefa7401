using System.Text.Json.Serialization;
using KamFlows.Workflows.Common;

namespace KamFlows.Workflows.Tenders;

/// <summary>One milestone of tender preparation, relative to the tender date T.</summary>
public sealed class TenderMilestoneOption
{
    /// <summary>Stable code (part of notification ids and templates), e.g. <c>map_dmu</c>.</summary>
    public string Code { get; set; } = string.Empty;

    public string Title { get; set; } = string.Empty;

    /// <summary>Calendar days before T (0 = the submission day itself).</summary>
    public int DaysBeforeTender { get; set; }
}

/// <summary>Tender preparation from T−9 months (section <c>KamFlows:Workflows:TenderPreparation</c>); defaults from DOMAIN.md "Tenders".</summary>
public sealed class TenderPreparationOptions
{
    public static readonly IReadOnlyList<TenderMilestoneOption> DefaultMilestones =
    [
        new() { Code = "map_dmu", Title = "Map the DMU and current needs", DaysBeforeTender = 270 },
        new() { Code = "key_success_factors", Title = "Identify key success factors and competitors", DaysBeforeTender = 240 },
        new() { Code = "shape_requirements", Title = "Shape the requirements with the client (expert meetings, pilots)", DaysBeforeTender = 180 },
        new() { Code = "references_ready", Title = "Reference cases and partners ready", DaysBeforeTender = 120 },
        new() { Code = "bid_no_bid", Title = "Bid/no-bid decision", DaysBeforeTender = 90 },
        new() { Code = "proposal_team", Title = "Proposal team assembled with specialists", DaysBeforeTender = 60 },
        new() { Code = "draft_review", Title = "Draft proposal reviewed", DaysBeforeTender = 30 },
        new() { Code = "final_approval", Title = "Final approval", DaysBeforeTender = 7 },
        new() { Code = "submission", Title = "Submission", DaysBeforeTender = 0 },
    ];

    /// <summary>The milestones (default: the nine of DOMAIN.md). A tender keeps the list it was announced with.</summary>
    public TenderMilestoneOption[]? Milestones { get; set; }

    [JsonIgnore]
    public IReadOnlyList<TenderMilestoneOption> MilestonesOrDefault => Milestones ?? DefaultMilestones;

    /// <summary>Without a result, the instance ends this many days after T (or after the expected result date).</summary>
    public int ResultWaitDays { get; set; } = 90;

    internal void Validate(OptionErrors e)
    {
        e.AtLeast(nameof(ResultWaitDays), ResultWaitDays, 1);
        if (Milestones is null)
        {
            return;
        }

        for (var i = 0; i < Milestones.Length; i++)
        {
            var m = Milestones[i];
            if (string.IsNullOrWhiteSpace(m.Code) || m.Code.Any(c => c is '|' or '/' or '\\' or '#' or '?' || char.IsWhiteSpace(c)))
            {
                e.Add($"{nameof(Milestones)}:{i}:Code", $"must be a code without spaces, '|', '/', '\\', '#' or '?' (got '{m.Code}')");
            }

            if (string.IsNullOrWhiteSpace(m.Title))
            {
                e.Add($"{nameof(Milestones)}:{i}:Title", "must not be empty");
            }

            e.AtLeast($"{nameof(Milestones)}:{i}:DaysBeforeTender", m.DaysBeforeTender, 0);
        }

        if (Milestones.Select(m => m.Code).Distinct(StringComparer.Ordinal).Count() != Milestones.Length)
        {
            e.Add(nameof(Milestones), "must not repeat a code");
        }
    }
}
