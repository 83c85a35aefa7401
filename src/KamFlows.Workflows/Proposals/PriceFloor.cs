// The price floor of seed 000, before the client sees the price (issue 14): a drafted price under the account's floor
// (or in another currency, which cannot be checked) is the head's approval task at once; a version sent under the floor
// without the head's approval is an alert and a task for the KAM first; the head hears of it through the ordinary
// escalation of overdue tasks only if the KAM's task stays open. Pure planning over ProposalState.
using System.Globalization;
using KamFlows.Domain.Accounts;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using static KamFlows.Workflows.Common.TemplateFields;

namespace KamFlows.Workflows.Proposals;

internal static class PriceFloor
{
    /// <summary>What the KAM's alert says about the head's decision: <c>declined</c>, <c>requested</c> (drafted, no answer yet) or <c>not_requested</c>.</summary>
    internal const string Declined = "declined";
    internal const string Requested = "requested";
    internal const string NotRequested = "not_requested";

    public static IEnumerable<PlanItem> Plan(ProposalState state, WorkflowRun run)
    {
        var profile = run.Profile!;
        var id = state.ObjectId;
        var floor = profile.PriceFloor;

        // The draft not sent yet: the head decides before the client sees the price.
        var draftCheck = ProposalFollowUp.PriceFloorCheck(floor, profile.Currency, state.DraftCurrency, state.DraftTotal);
        if (state.DraftedAt is { } drafted && IsPendingDraft(state) && draftCheck.RequiresApproval() && !state.PriceDecisions.ContainsKey(state.DraftVersion))
        {
            var v = V(state.DraftVersion);
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.ProposalPriceApprovalRequired, v, ProposalFollowUp.Price),
                Kind = NotificationKind.ProposalPriceApprovalRequired,
                Audience = RecipientRole.Head,
                DueAt = run.Head.NextBusinessMoment(drafted),
                Title = draftCheck == PriceFloorVerdict.CurrencyMismatch
                    ? $"Approve the price of proposal {id} {v} for {profile.Name} before it is sent: in another currency than the account's floor"
                    : $"Approve the price of proposal {id} {v} for {profile.Name} before it is sent: under the account's floor",
                IsTask = true,
                Fields = Of(
                    ("proposal_id", Text(id)),
                    ("proposal_total", Money(state.DraftTotal, state.DraftCurrency)),
                    ("price_floor", Money(floor ?? 0m, profile.Currency)),
                    ("discount_percent", Number(state.DraftDiscountPercent ?? 0m)),
                    ("floor_check", Text(FloorCheck(draftCheck)))),
            };
        }

        // The version the client has: under the floor without approval is the KAM's alert and task.
        var sentCheck = ProposalFollowUp.PriceFloorCheck(floor, profile.Currency, state.Currency, state.Total);
        if (state.SentAt is { } sent && !state.IsClosed && !state.PriceApproved(state.Version) && sentCheck.RequiresApproval())
        {
            var v = V(state.Version);
            var decision = state.PriceDecisions.GetValueOrDefault(state.Version) == ProposalStatuses.PriceDeclined ? Declined
                : state.DraftedAt is not null && state.DraftVersion == state.Version ? Requested
                : NotRequested;
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.ProposalSentUnderFloor, v, ProposalFollowUp.SentUnderFloor),
                Kind = NotificationKind.ProposalSentUnderFloor,
                DueAt = run.Kam.NextBusinessMoment(sent),
                Title = sentCheck == PriceFloorVerdict.CurrencyMismatch
                    ? $"Proposal {id} {v} went to {profile.Name} in another currency than the price floor without the head's approval: get it approved or send a new version"
                    : $"Proposal {id} {v} went to {profile.Name} under the price floor without the head's approval: get it approved or send a new version",
                IsTask = true,
                Fields = ProposalFollowUp.Fields(state, run).With(
                    ("price_floor", Money(floor ?? 0m, profile.Currency)),
                    ("approval_state", Text(decision)),
                    ("floor_check", Text(FloorCheck(sentCheck)))),
            };
        }
    }

    /// <summary>
    /// Executions recorded before issue 14: the head's approval task when the version was sent under the floor, exactly
    /// as it was planned then (same id, time and title), so those histories replay.
    /// </summary>
    public static IEnumerable<PlanItem> PlanBeforeIssue14(ProposalState state, WorkflowRun run)
    {
        var profile = run.Profile!;
        if (state.SentAt is not { } sent)
        {
            yield break;
        }

        var check = ProposalFollowUp.PriceFloorCheck(profile.PriceFloor, profile.Currency, state.Currency, state.Total);
        if (check.RequiresApproval())
        {
            var id = state.ObjectId;
            var v = V(state.Version);
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.ProposalPriceApprovalRequired, v, ProposalFollowUp.Price),
                Kind = NotificationKind.ProposalPriceApprovalRequired,
                Audience = RecipientRole.Head,
                DueAt = run.Head.NextBusinessMoment(sent),
                Title = $"Approve the price of proposal {id} {v} for {profile.Name}: under the account's floor",
                IsTask = true,
                Fields = Of(
                    ("proposal_id", Text(id)),
                    ("proposal_total", Money(state.Total, state.Currency)),
                    ("price_floor", Money(profile.PriceFloor ?? 0m, profile.Currency)),
                    ("discount_percent", Number(state.DiscountPercent ?? 0m)),
                    ("floor_check", Text(FloorCheck(check)))),
            };
        }
    }

    /// <summary>For the two price tasks: whether still open (null for other tasks).</summary>
    public static bool? IsTaskOpen(ProposalState state, string id, FiredAction task)
    {
        if (task.Kind == nameof(NotificationKind.ProposalPriceApprovalRequired))
        {
            // The head's task: open until decided, unless the proposal ended or a later version replaced the one drafted.
            var version = VersionOf(state, id);
            return !state.IsClosed && !state.PriceDecisions.ContainsKey(version) && version >= state.Version && version >= state.DraftVersion;
        }

        if (task.Kind == nameof(NotificationKind.ProposalSentUnderFloor))
        {
            var version = VersionOf(state, id);
            return !state.IsClosed && version == state.Version && !state.PriceApproved(version);
        }

        return null;
    }

    /// <summary>What the texts say: under the floor, or in another currency than the floor (cannot be compared).</summary>
    private static string FloorCheck(PriceFloorVerdict verdict) => verdict == PriceFloorVerdict.CurrencyMismatch ? "other_currency" : "below";

    /// <summary>A drafted version that has not gone to the client yet.</summary>
    private static bool IsPendingDraft(ProposalState state) =>
        state.DraftVersion > state.Version || (state.DraftVersion == state.Version && state.SentAt is null);

    private static string V(int version) => "v" + version.ToString(CultureInfo.InvariantCulture);

    private static int VersionOf(ProposalState state, string id)
    {
        // Ids are {key}|{kind}|v{n}|{occurrence}.
        var parts = id[(state.Key.Length + 1)..].Split('|');
        return parts.Length > 1 && parts[1].StartsWith('v') && int.TryParse(parts[1].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;
    }
}
