using KamFlows.Infrastructure.Storage;
using KamFlows.Infrastructure.Planning;
using KamFlows.Testing;
using KamFlows.Workflows.Ports;

namespace KamFlows.Infrastructure.Tests.Planning;

/// <summary>The upcoming-actions projection on Azurite: what will fire, per account and per person, in a time range.</summary>
public sealed class TableUpcomingActionsTests
{
    private const string Kam = "anna.virtanen@supplier.example";
    private const string Head = "boris.petrov@supplier.example";

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<TableUpcomingActions> NewStoreAsync()
    {
        var storage = new StorageClients(new ResolvedStorage
        {
            TaskHub = Names.TaskHub("u"),
            ConnectionString = await SharedAzurite.ConnectionStringAsync(),
            Description = "test",
        }, new StorageRequestCounter());
        return new TableUpcomingActions(storage);
    }

    private static PlannedAction Call(string at) => new("ProposalCallToConfirmReceipt", At(at), Kam, "Call Acme Oy to confirm receipt of proposal P-1 v1");

    [Fact]
    public async Task UpcomingActions_ReplacedPlan_IsServedPerAccountAndPerPerson_InTimeOrder_WithLocalOffsets()
    {
        var store = await NewStoreAsync();
        await store.ReplacePlanAsync("proposal:P-1", "ACME", Kam,
        [
            new("ProposalExpired", At("2026-05-04T09:00:00+03:00"), Kam, "Proposal P-1 v1 to Acme Oy expired: re-issue or let go"),
            Call("2026-03-30T09:00:00+03:00"),
            new("TaskOverdueEscalation", At("2026-04-01T09:00:00+03:00"), Head, "Overdue: Call Acme Oy to confirm receipt of proposal P-1 v1"),
        ], default);
        await store.ReplacePlanAsync("tender:T-77", "ACME", Kam, [new("TenderMilestoneDue", At("2026-04-02T09:00:00+03:00"), Kam, "Tender: Identify key success factors")], default);
        await store.ReplacePlanAsync("proposal:Q-9", "OTHER", "someone@supplier.example", [new("ProposalExpired", At("2026-04-02T09:00:00+02:00"), "someone@supplier.example", "x")], default);

        var account = await store.ForAccountAsync("ACME", At("2026-03-01T00:00:00Z"), At("2026-06-01T00:00:00Z"), default);
        Assert.Equal(
            ["proposal:P-1 ProposalCallToConfirmReceipt 2026-03-30T09:00:00+03:00", "proposal:P-1 TaskOverdueEscalation 2026-04-01T09:00:00+03:00",
             "tender:T-77 TenderMilestoneDue 2026-04-02T09:00:00+03:00", "proposal:P-1 ProposalExpired 2026-05-04T09:00:00+03:00"],
            account.Select(a => $"{a.SourceKey} {a.Action.Kind} {a.Action.DueAt:yyyy-MM-dd'T'HH:mm:sszzz}"));
        Assert.Equal("Call Acme Oy to confirm receipt of proposal P-1 v1", account[0].Action.Title);

        var kam = await store.ForKamAsync(Kam, At("2026-03-30T06:00:00Z"), At("2026-05-04T06:00:00Z"), default);
        Assert.Equal(["ProposalCallToConfirmReceipt", "TenderMilestoneDue"], kam.Select(a => a.Action.Kind)); // From inclusive, until exclusive.
        Assert.All(kam, a => Assert.Equal("ACME", a.AccountId));

        var head = await store.ForKamAsync("Boris.Petrov@Supplier.example", At("2026-03-01T00:00:00Z"), At("2026-06-01T00:00:00Z"), default);
        Assert.Equal([("ACME", "proposal:P-1", "TaskOverdueEscalation")], head.Select(a => (a.AccountId, a.SourceKey, a.Action.Kind)));
    }

    [Fact]
    public async Task UpcomingActions_NewPlan_ReplacesTheOldRows_EvenWhenTheKamChanged()
    {
        var store = await NewStoreAsync();
        await store.ReplacePlanAsync("proposal:P-1", "ACME", Kam, [Call("2026-03-30T09:00:00+03:00"), new("ProposalExpired", At("2026-05-04T09:00:00+03:00"), Kam, "expired")], default);
        const string newKam = "mikael.nieminen@supplier.example";
        await store.ReplacePlanAsync("proposal:P-1", "ACME", newKam, [new("ProposalExpired", At("2026-05-05T09:00:00+03:00"), newKam, "expired")], default);

        var range = (At("2026-01-01T00:00:00Z"), At("2027-01-01T00:00:00Z"));
        Assert.Empty(await store.ForKamAsync(Kam, range.Item1, range.Item2, default));
        var account = await store.ForAccountAsync("ACME", range.Item1, range.Item2, default);
        Assert.Equal([At("2026-05-05T09:00:00+03:00")], account.Select(a => a.Action.DueAt));
        Assert.Single(await store.ForKamAsync(newKam, range.Item1, range.Item2, default));

        await store.ReplacePlanAsync("proposal:P-1", "ACME", newKam, [], default); // The workflow finished.
        Assert.Empty(await store.ForAccountAsync("ACME", range.Item1, range.Item2, default));
        Assert.Empty(await store.ForKamAsync(newKam, range.Item1, range.Item2, default));
    }

    [Fact]
    public async Task UpcomingActions_SamePlanTwice_IsIdempotent_AndKeysWithReservedCharactersWork()
    {
        var store = await NewStoreAsync();
        const string odd = "ops#1?/team@supplier.example";
        PlannedAction[] plan = [Call("2026-03-30T09:00:00+03:00"), new("ContactBirthday", At("2026-03-30T09:00:00+03:00"), odd, "Birthday")];
        await store.ReplacePlanAsync("account:A%1|birthdays", "A%1", Kam, plan, default);
        await store.ReplacePlanAsync("account:A%1|birthdays", "A%1", Kam, plan, default);

        var range = (At("2026-01-01T00:00:00Z"), At("2027-01-01T00:00:00Z"));
        Assert.Equal(2, (await store.ForAccountAsync("A%1", range.Item1, range.Item2, default)).Count);
        var mine = Assert.Single(await store.ForKamAsync(odd, range.Item1, range.Item2, default));
        Assert.Equal("account:A%1|birthdays", mine.SourceKey);
    }
}
