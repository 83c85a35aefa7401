using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Tests.Intake;
using KamFlows.Infrastructure.Timeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace KamFlows.Infrastructure.Tests.Accounts;

public sealed class AccountPipelineFiguresTests
{
    private static CanonicalEvent E(string id, string type, string data) =>
        CanonicalEventParser.ParseOrThrow($$"""{"specversion":"1.0","id":"{{id}}","source":"/t","type":"{{type}}","time":"2026-03-02T10:00:00Z","data":{{data}}}""");

    private static CanonicalEvent Account(string id, string kam) => E("acc-" + id, "kam.account.upserted", $$"""
        {"account_id":"{{id}}","name":"{{id}} Oy","kam":{"email":"{{kam}}","time_zone":"Europe/Helsinki","locale":"fi"},
         "head":{"email":"head@kamflows.example","time_zone":"Europe/Helsinki","locale":"en"},"currency":"EUR"}
        """);

    private static CanonicalEvent Opportunity(string account, string id, string stage, decimal amount, string currency) => E($"opp-{account}-{id}", "kam.opportunity.upserted",
        $$$"""{"opportunity_id":"{{{id}}}","account_id":"{{{account}}}","name":"Deal {{{id}}}","stage":"{{{stage}}}","amount":{"amount":{{{amount}}},"currency":"{{{currency}}}"}}""");

    [Fact]
    public async Task OpenPipeline_OnlyTheKamsOpenDeals_ConvertedToTheReportingCurrency()
    {
        var (clients, _) = await IntakeStoreTests.ClientsAsync();
        var store = new AccountStore(clients, new TimelineStore(clients));
        foreach (var e in new[]
        {
            Account("ACME", "anna@kamflows.example"), Account("OTHER", "olli@kamflows.example"),
            Opportunity("ACME", "O-1", "evaluation_of_options", 100_000m, "EUR"),
            Opportunity("ACME", "O-2", "decision", 50_000m, "USD"),
            Opportunity("ACME", "O-3", "won", 70_000m, "EUR"),
            Opportunity("ACME", "O-4", "needs_recognition", 10_000m, "SEK"),
            Opportunity("OTHER", "O-9", "decision", 999m, "EUR"),
        })
        {
            await store.ApplyAsync(e, CancellationToken.None);
        }

        var settings = new PortfolioSettings { ReportingCurrency = "EUR", Rates = { ["USD"] = 0.9m } };
        var figures = new AccountPipelineFigures(new AccountReader(store), settings, NullLogger<AccountPipelineFigures>.Instance);
        var pipeline = await figures.OpenPipelineAsync("Anna@kamflows.example", CancellationToken.None);

        Assert.Equal(
            [("ACME", "O-1", "evaluation_of_options", 100_000m), ("ACME", "O-2", "decision", 45_000m)],
            pipeline.OrderBy(p => p.OpportunityId).Select(p => (p.AccountId, p.OpportunityId, p.Stage, p.Amount)));
        Assert.All(pipeline, p => Assert.Equal("EUR", p.Currency));
    }
}
