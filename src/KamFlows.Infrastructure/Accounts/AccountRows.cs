using System.Globalization;

namespace KamFlows.Infrastructure.Accounts;

/// <summary>
/// Row keys of <c>{hub}Accounts</c> (partition = account id): <c>account</c>, <c>contact|{id}</c>,
/// <c>opportunity|{id}</c>, <c>proposal|{id}</c>, <c>tender|{id}</c>, <c>contract|{id}</c>, <c>delivery|{id}</c>,
/// <c>complaint|{id}</c>, <c>meeting|{id}</c>, <c>reference|{eventId}</c>, <c>revenue|{start}|{end}</c>.
/// </summary>
public static class AccountRows
{
    public const string Account = "account";
    public const string Contact = "contact";
    public const string Opportunity = "opportunity";
    public const string Proposal = "proposal";
    public const string Tender = "tender";
    public const string Contract = "contract";
    public const string Delivery = "delivery";
    public const string Complaint = "complaint";
    public const string Meeting = "meeting";
    public const string Reference = "reference";
    public const string Revenue = "revenue";

    public static string Key(string kind, string id) => kind + "|" + id;

    public static string RevenueKey(NodaTime.LocalDate start, NodaTime.LocalDate end) =>
        Revenue + "|" + Domain.Events.JsonText.Format(start) + "|" + Domain.Events.JsonText.Format(end);

    /// <summary>The first and last+1 row keys of one kind, for a range query.</summary>
    public static (string From, string To) Range(string kind) => (kind + "|", kind + "}");

    internal static string Amount(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);

    internal static decimal? Amount(string? text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;
}
