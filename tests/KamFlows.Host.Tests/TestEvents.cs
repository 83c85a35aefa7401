using System.Globalization;

namespace KamFlows.Host.Tests;

/// <summary>Canonical events as JSON, the way a producer would send them to /api/webhooks/events.</summary>
internal static class TestEvents
{
    public static string Envelope(string id, string type, DateTimeOffset time, string data) =>
        $$"""{"specversion":"1.0","id":"{{id}}","source":"/tests","type":"{{type}}","time":"{{time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture)}}","data":{{data}}}""";

    public static string Batch(params string[] events) => "[" + string.Join(",", events) + "]";

    public static string Account(string id, string accountId, DateTimeOffset time, string name, bool isKey = true) => Envelope(id, "kam.account.upserted", time, $$"""
        {"account_id":"{{accountId}}","name":"{{name}}","kam":{"email":"anna@kamflows.example","name":"Anna","time_zone":"Europe/Helsinki","locale":"fi"},
         "head":{"email":"head@kamflows.example","time_zone":"Europe/Helsinki","locale":"en"},"currency":"EUR","groups":["expert"],"bonds":["personal"],"is_key_account":{{(isKey ? "true" : "false")}} }
        """);

    public static string Contact(string id, string accountId, string contactId, DateTimeOffset time, string name, string hobby) => Envelope(id, "kam.contact.upserted", time, $$"""
        {"contact_id":"{{contactId}}","account_id":"{{accountId}}","name":"{{name}}","role":"finance","influence":"high","attitude":"sceptic",
         "email":"{{contactId.ToLowerInvariant()}}@client.example","phone":"+358 40 123 4567",
         "personal_data":{"birthday":"1975-04-12","hobbies":["{{hobby}}"],"values":["punctuality"] } }
        """);

    public static string ContactErased(string id, string accountId, string contactId, DateTimeOffset time) =>
        Envelope(id, "kam.contact.erased", time, $$"""{"contact_id":"{{contactId}}","account_id":"{{accountId}}","reason":"request"}""");

    public static string Revenue(string id, string accountId, DateTimeOffset time, DateOnly start, DateOnly end, decimal amount) => Envelope(id, "kam.revenue.reported", time, $$"""
        {"account_id":"{{accountId}}","period_start":"{{start:yyyy-MM-dd}}","period_end":"{{end:yyyy-MM-dd}}","revenue":{"amount":{{amount.ToString(CultureInfo.InvariantCulture)}},"currency":"EUR"} }
        """);

    public static string ProposalSent(string id, string accountId, string proposalId, DateTimeOffset time, string validUntil = "2099-12-31") => Envelope(id, "kam.proposal.sent", time, $$"""
        {"proposal_id":"{{proposalId}}","account_id":"{{accountId}}","total":{"amount":120000,"currency":"EUR"},"valid_until":"{{validUntil}}","addressed_roles":["finance"]}
        """);

    public static string ProposalAcknowledged(string id, string accountId, string proposalId, DateTimeOffset time) =>
        Envelope(id, "kam.proposal.acknowledged", time, $$"""{"proposal_id":"{{proposalId}}","account_id":"{{accountId}}"}""");

    /// <summary>The last full quarter before now, so revenue lies inside the default 12-month period.</summary>
    public static (DateOnly Start, DateOnly End) LastQuarter()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var thisQuarter = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1);
        return (thisQuarter.AddMonths(-3), thisQuarter.AddDays(-1));
    }
}
