using KamFlows.Workflows.Simulation;

namespace KamFlows.Workflows.Tests;

/// <summary>
/// Issue 14 item 7, DOMAIN.md "Key accounts" (value bonds): a margin on kam.revenue.reported reaches the quarterly review, so an
/// account held mainly by value bonds with a low margin is flagged to its KAM. End to end on virtual time: the events as the webhook
/// accepts them, parsed, applied to the simulated account store and delivered to the real workflows.
/// </summary>
public sealed class ValueBondMarginTests
{
    private const string Kam = "anna.virtanen@supplier.example";

    private static Scenario Scenario(string margin, string bonds = "\"value\"") => Simulation.Scenario.Parse($$"""
        {"name": "value bond", "events": [
          {"specversion": "1.0", "id": "acct", "source": "/crm", "type": "kam.account.upserted", "time": "2026-02-10T10:00:00+02:00",
           "data": {"account_id": "VALUE", "name": "Value Oy", "currency": "EUR", "bonds": [{{bonds}}],
                    "kam": {"email": "{{Kam}}", "name": "Anna Virtanen", "time_zone": "Europe/Helsinki", "locale": "fi"},
                    "head": {"email": "pekka.head@supplier.example", "name": "Pekka Head", "time_zone": "Europe/Helsinki", "locale": "en"} } },
          {"specversion": "1.0", "id": "rev-q1", "source": "/erp", "type": "kam.revenue.reported", "time": "2026-04-08T15:00:00+03:00",
           "data": {"account_id": "VALUE", "period_start": "2026-01-01", "period_end": "2026-03-31", "revenue": {"amount": 200000, "currency": "EUR"}{{margin}} } }
        ]}
        """);

    private static async Task<IReadOnlyList<NotificationRequest>> RunAsync(Scenario scenario) =>
        (await new ScenarioSimulator().RunAsync(scenario, At("2026-04-20T00:00:00+03:00"))).Notifications;

    [Theory]
    [InlineData(""","margin_percent":4.5""")]
    [InlineData(""","gross_margin":{"amount":9000,"currency":"EUR"}""")] // 9 000 of 200 000: the same 4.5 %.
    public async Task ValueBondAccount_MarginBelowTenPercent_FlaggedToTheKamWithTheQuarterlyReview(string margin)
    {
        var sent = await RunAsync(Scenario(margin));

        var review = Assert.Single(sent, n => n.Kind == NotificationKind.QuarterlyBusinessReview);
        Assert.Equal("2026-04-09T09:00:00+03:00", RecordingOutbox.Local(review)); // Reported Wednesday afternoon: Thursday morning.
        var risk = Assert.Single(sent, n => n.Kind == NotificationKind.ValueBondRisk);
        Assert.Equal("account:VALUE|ValueBondRisk|2026-Q1", risk.NotificationId);
        Assert.Equal("2026-04-09T09:00:00+03:00", RecordingOutbox.Local(risk));
        Assert.Equal((Kam, RecipientRole.Kam), (risk.Recipient.Email, risk.Recipient.Role));
        Assert.Equal(4.5m, risk.Fields["margin_percent"].Number);
        Assert.Equal(["value"], risk.Fields["bonds"].Items);
        Assert.Equal("Value Oy", risk.Fields["account_name"].Text);
    }

    [Theory]
    [InlineData(""","margin_percent":20""", "\"value\"")] // A healthy margin.
    [InlineData(""","margin_percent":10""", "\"value\"")] // At the threshold is not below it.
    [InlineData("", "\"value\"")] // No margin reported: unknown is not low.
    [InlineData(""","margin_percent":4.5""", "\"value\", \"personal\"")] // Not held mainly by value bonds.
    public async Task NoFlag_WhenTheMarginIsNotLow_NotKnown_OrTheAccountIsNotHeldByValueBonds(string margin, string bonds)
    {
        var sent = await RunAsync(Scenario(margin, bonds));

        Assert.Single(sent, n => n.Kind == NotificationKind.QuarterlyBusinessReview); // The review ran: the flag was considered.
        Assert.DoesNotContain(sent, n => n.Kind == NotificationKind.ValueBondRisk);
    }
}
