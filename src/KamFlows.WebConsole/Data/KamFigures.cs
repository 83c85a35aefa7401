using KamFlows.Domain.Accounts;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;

namespace KamFlows.WebConsole.Data;

/// <summary>One KAM's figures for the head, counted as the weekly report counts them (an action still planned with a past due time is an open task).</summary>
public sealed record KamFigures(string Email, string? Name, int Accounts, int OverdueTasks, int StalledDeals, int ProposalsWithoutFollowUp, decimal Pipeline, string Currency);

public static class KamFiguresReader
{
    private static readonly HashSet<string> NotTasks = new(StringComparer.Ordinal)
    {
        nameof(NotificationKind.ContactBirthday), nameof(NotificationKind.DailyAgenda), nameof(NotificationKind.WeeklyReport),
    };

    private static readonly HashSet<string> Expiry = new(StringComparer.Ordinal) { nameof(NotificationKind.ProposalExpiryReminder), nameof(NotificationKind.ProposalExpired) };

    private static readonly HashSet<string> Stall = new(StringComparer.Ordinal) { nameof(NotificationKind.DealStalled), nameof(NotificationKind.DealStalledEscalation) };

    private static readonly HashSet<string> FollowUp = new(StringComparer.Ordinal)
    {
        nameof(NotificationKind.ProposalCallToConfirmReceipt), nameof(NotificationKind.ProposalAskNextSteps), nameof(NotificationKind.ProposalMeetingNotAgreed),
    };

    private static readonly HashSet<string> Closed = new(["won", "lost"], StringComparer.Ordinal);

    /// <summary>Whether a planned action is a task someone must do (not a birthday note or a digest).</summary>
    public static bool IsTask(string kind) => !NotTasks.Contains(kind) && !Expiry.Contains(kind);

    public static async Task<IReadOnlyList<KamFigures>> ReadAsync(IReadOnlyList<Account> accounts, IUpcomingActions? upcoming,
        IReadOnlyList<(string AccountId, AccountObject Opportunity)> opportunities, PortfolioSettings settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(opportunities);
        ArgumentNullException.ThrowIfNull(settings);
        var kamOf = accounts.ToDictionary(a => a.Id, a => a.Kam.Email.Value.ToUpperInvariant(), StringComparer.Ordinal);
        var pipeline = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (accountId, o) in opportunities)
        {
            if (kamOf.TryGetValue(accountId, out var kam) && o.Text("Stage") is { } stage && !Closed.Contains(stage) && o.Amount("Amount") is { } amount
                && o.Text("Currency") is { } currency && Convert(amount, currency, settings) is { } converted)
            {
                pipeline[kam] = pipeline.GetValueOrDefault(kam) + converted;
            }
        }

        var kams = accounts.GroupBy(a => a.Kam.Email.Value.ToUpperInvariant(), StringComparer.Ordinal).ToList();
        var tasks = kams.Select(async g =>
        {
            var first = g.First().Kam;
            var actions = upcoming is null ? [] : await upcoming.ForKamAsync(first.Email.Value, now.AddDays(-366), now, cancellationToken);
            var open = actions.Where(a => a.Action.DueAt < now && !NotTasks.Contains(a.Action.Kind)).ToList();
            return new KamFigures(first.Email.Value, first.Name, g.Count(),
                open.Count(a => !Expiry.Contains(a.Action.Kind)),
                open.Where(a => Stall.Contains(a.Action.Kind)).Select(a => a.SourceKey).Distinct(StringComparer.Ordinal).Count(),
                open.Where(a => FollowUp.Contains(a.Action.Kind)).Select(a => a.SourceKey).Distinct(StringComparer.Ordinal).Count(),
                pipeline.GetValueOrDefault(g.Key), settings.ReportingCurrency);
        });
        return (await Task.WhenAll(tasks)).OrderBy(k => k.Name ?? k.Email, StringComparer.CurrentCulture).ToList();
    }

    private static decimal? Convert(decimal amount, string currency, PortfolioSettings settings) =>
        string.Equals(currency, settings.ReportingCurrency, StringComparison.Ordinal) ? amount
        : settings.Rates.TryGetValue(currency, out var rate) ? decimal.Round(amount * rate, 2) : null;
}
