using Azure.Data.Tables;
using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Storage;
using KamFlows.Infrastructure.Tests.Intake;
using KamFlows.Infrastructure.Timeline;

namespace KamFlows.Infrastructure.Tests.Accounts;

/// <summary>
/// The last contact kept on the account row costs intake no extra read once the process knows the row, and stays right when
/// another process writes the same row meanwhile (its ETag refuses a write made from an outdated state).
/// </summary>
public sealed class LastContactBatchTests
{
    private static int _ids;

    private static CanonicalEvent E(string type, string time, string data) =>
        CanonicalEventParser.ParseOrThrow($$"""{"specversion":"1.0","id":"lc-{{Interlocked.Increment(ref _ids)}}","source":"/t","type":"{{type}}","time":"{{time}}","data":{{data}}}""");

    private static CanonicalEvent Account() => E("kam.account.upserted", "2026-01-02T09:00:00Z", """
        {"account_id":"ACME","name":"Acme Oy","kam":{"email":"anna@kamflows.example","time_zone":"Europe/Helsinki","locale":"fi"},"head":{"email":"head@kamflows.example","time_zone":"Europe/Helsinki","locale":"en"},"currency":"EUR"}
        """);

    private static CanonicalEvent Meeting(string id, string heldAt) => E("kam.meeting.logged", "2026-03-25T09:00:00Z", $$"""{"meeting_id":"{{id}}","account_id":"ACME","held_at":"{{heldAt}}"}""");

    private static (AccountStore Store, StorageRequestCounter Counter) Store(ResolvedStorage storage)
    {
        var counter = new StorageRequestCounter();
        var clients = new StorageClients(storage, counter);
        return (new AccountStore(clients, new TimelineStore(clients)), counter);
    }

    private static async Task<DateTimeOffset?> LastContactAsync(ResolvedStorage storage)
    {
        var row = await new StorageClients(storage, new StorageRequestCounter()).Table(AccountStore.AccountsTable).GetEntityAsync<TableEntity>("ACME", AccountRows.Account);
        return row.Value.GetDateTimeOffset(AccountContact.LastContactAt);
    }

    [Fact]
    public async Task KnownAccountRow_AContactEventCostsNoAccountRead_AndABookkeepingEventDoesNotTouchIt()
    {
        var (_, storage) = await IntakeStoreTests.ClientsAsync();
        var (store, counter) = Store(storage);
        await store.ApplyManyAsync("ACME", [Account(), E("kam.proposal.sent", "2026-01-10T09:00:00Z", """{"proposal_id":"P-1","account_id":"ACME","total":{"amount":100,"currency":"EUR"},"valid_until":"2026-04-01"}""")], default);

        var before = counter.Table;
        await store.ApplyManyAsync("ACME", [E("kam.proposal.acknowledged", "2026-01-12T09:00:00Z", """{"proposal_id":"P-1","account_id":"ACME"}""")], default);
        Assert.Equal(2, counter.Table - before); // The proposal row read, one transaction (proposal and the account's last contact).
        Assert.Equal(new DateTimeOffset(2026, 1, 12, 9, 0, 0, TimeSpan.Zero), await LastContactAsync(storage));

        before = counter.Table;
        await store.ApplyManyAsync("ACME", [E("kam.contact.upserted", "2026-01-13T09:00:00Z", """{"contact_id":"C-1","account_id":"ACME","name":"Liisa","role":"finance","influence":"high","attitude":"sceptic"}""")], default);
        Assert.Equal(2, counter.Table - before); // The contact row read and written; the account row neither.
        Assert.Equal(new DateTimeOffset(2026, 1, 12, 9, 0, 0, TimeSpan.Zero), await LastContactAsync(storage)); // A contact upsert is not contact.
    }

    [Fact]
    public async Task AnotherProcessWroteTheRow_AnOutdatedStateIsRefused_AndTheLastContactIsTheLatestOfAll()
    {
        var (_, storage) = await IntakeStoreTests.ClientsAsync();
        var (mine, _) = Store(storage);
        var (theirs, _) = Store(storage);
        await mine.ApplyManyAsync("ACME", [Account(), Meeting("M-1", "2026-02-01T10:00:00Z")], default); // Mine knows the row: last contact 1 February.

        await theirs.ApplyManyAsync("ACME", [Meeting("M-2", "2026-03-01T10:00:00Z")], default); // Another process moves it to 1 March.
        await mine.ApplyManyAsync("ACME", [Meeting("M-3", "2026-02-15T10:00:00Z")], default); // Newer than mine knows, older than the row: nothing to change.
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), await LastContactAsync(storage));

        await mine.ApplyManyAsync("ACME", [Meeting("M-4", "2026-03-10T10:00:00Z")], default); // Mine read the row again after the refusal.
        await theirs.ApplyManyAsync("ACME", [Meeting("M-5", "2026-03-05T10:00:00Z")], default); // Theirs is outdated now: refused, re-read, unchanged.
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.Zero), await LastContactAsync(storage));
    }
}
