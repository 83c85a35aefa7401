namespace KamFlows.Domain.Portfolio;

/// <summary>One row of the Pareto table: an account's revenue, share, cumulative share and class.</summary>
/// <param name="Rank">1 for the largest account.</param>
/// <param name="AccountId">The account.</param>
/// <param name="Revenue">Its revenue in the period, in the reporting currency.</param>
/// <param name="Share">Its fraction of total revenue (0.25 = 25 %).</param>
/// <param name="CumulativeShare">The fraction brought by this account and every account ranked above it.</param>
/// <param name="Class">Its Pareto class.</param>
/// <param name="IsBreadwinner">Its share reaches the Breadwinner threshold (default 10 %).</param>
/// <param name="IsKeyAccount">It is one of the key accounts (others are ordinary clients).</param>
public sealed record AccountRevenueShare(
    int Rank,
    string AccountId,
    Money Revenue,
    decimal Share,
    decimal CumulativeShare,
    AbcClass Class,
    bool IsBreadwinner,
    bool IsKeyAccount);
