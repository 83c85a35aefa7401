using KamFlows.Infrastructure.Accounts;
using NodaTime;

namespace KamFlows.Infrastructure.Notifications.Digests;

/// <summary>
/// A key account whose client has had no meeting or other event for <see cref="DormantKeyAccounts.DormantAfterDays"/> days or
/// more. <see cref="LastContactOn"/> is null when no contact was ever recorded: <see cref="SinceOn"/> is then the account's first event.
/// </summary>
public sealed record DormantAccount(string AccountId, string AccountName, string KamName, DateOnly? LastContactOn, DateOnly SinceOn, int DaysSince);

/// <summary>
/// The head's list of dormant key accounts, by the AccountCare rule (<c>AccountCare:DormantAfterDays</c>, the same option, so the
/// KAM's RelationshipDormant alert and the head's list agree): days counted on the KAM's calendar dates from the last contact
/// (else the first event) to the report's day; listed from the day the KAM's alert is due.
/// </summary>
public sealed class DormantKeyAccounts(AccountReader accounts, int dormantAfterDays)
{
    public int DormantAfterDays { get; } = dormantAfterDays >= 1 ? dormantAfterDays : throw new ArgumentOutOfRangeException(nameof(dormantAfterDays), "must be at least 1");

    /// <summary>The dormant key accounts whose head is <paramref name="headEmail"/>, oldest contact first.</summary>
    public async Task<IReadOnlyList<DormantAccount>> ForHeadAsync(string headEmail, DateTimeOffset at, CancellationToken cancellationToken) =>
        Select(await accounts.ListKeyAccountContactsAsync(cancellationToken).ConfigureAwait(false), headEmail, at, DormantAfterDays);

    /// <summary>Pure: which of <paramref name="keyAccounts"/> belong to the head and are dormant at <paramref name="at"/>, oldest contact first.</summary>
    public static IReadOnlyList<DormantAccount> Select(IEnumerable<KeyAccountContact> keyAccounts, string headEmail, DateTimeOffset at, int dormantAfterDays)
    {
        ArgumentNullException.ThrowIfNull(keyAccounts);
        ArgumentNullException.ThrowIfNull(headEmail);
        var head = UnsubscribeLinks.Normalize(headEmail);
        var dormant = new List<DormantAccount>();
        foreach (var (account, lastContactAt, firstEventAt) in keyAccounts)
        {
            if (!account.IsKeyAccount || UnsubscribeLinks.Normalize(account.Head.Email.Value) != head || (lastContactAt ?? firstEventAt) is not { } since)
            {
                continue;
            }

            var calendar = account.Kam.Calendar;
            var sinceOn = calendar.DateOf(Instant.FromDateTimeOffset(since));
            var days = Period.DaysBetween(sinceOn, calendar.DateOf(Instant.FromDateTimeOffset(at)));
            if (days >= dormantAfterDays)
            {
                dormant.Add(new DormantAccount(account.Id, account.Name, account.Kam.Name ?? account.Kam.Email.Value,
                    lastContactAt is null ? null : sinceOn.ToDateOnly(), sinceOn.ToDateOnly(), days));
            }
        }

        return [.. dormant.OrderByDescending(d => d.DaysSince).ThenBy(d => d.AccountName, StringComparer.Ordinal).ThenBy(d => d.AccountId, StringComparer.Ordinal)];
    }
}
