using KamFlows.Domain.Accounts;

namespace KamFlows.WebConsole.Auth;

/// <summary>
/// Who may see what. A KAM sees the accounts where she is in the team (the account's KAM or head); the head sees every
/// account and the portfolio; operators see every account (without personal data) and alone act on workflows. Personal
/// data of client contacts (email, phone, birthday, hobbies) is shown to the account's own team and to heads only.
/// </summary>
public static class Access
{
    public static bool CanSeeAllAccounts(ConsoleUser user) => user?.IsHead == true || user?.IsOperator == true;

    public static bool IsInTeam(ConsoleUser user, Account account)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(account);
        return user.SameEmail(account.Kam.Email.Value) || user.SameEmail(account.Head.Email.Value);
    }

    public static bool CanSeeAccount(ConsoleUser user, Account account) => CanSeeAllAccounts(user) || (user.Roles != ConsoleRoles.None && IsInTeam(user, account));

    public static bool CanSeePersonalData(ConsoleUser user, Account account) => user.IsHead || ((user.IsKam || user.IsHead) && IsInTeam(user, account));

    public static bool CanSeePortfolio(ConsoleUser user) => user?.IsHead == true;

    public static bool CanSeeWeek(ConsoleUser user) => user?.IsKam == true || user?.IsHead == true;

    public static bool CanOperateWorkflows(ConsoleUser user) => user?.IsOperator == true;

    /// <summary>Heads and operators see every message in the outbox; others only their own.</summary>
    public static bool CanSeeWholeOutbox(ConsoleUser user) => user?.IsHead == true || user?.IsOperator == true;
}
