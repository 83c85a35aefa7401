using Azure.Data.Tables;
using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Storage;
using KamFlows.Infrastructure.Tests.Intake;
using KamFlows.Infrastructure.Timeline;

namespace KamFlows.Infrastructure.Tests.Accounts;

/// <summary>Intake's batches: many events of one account applied with one read and one write per row, with the same result as one by one.</summary>
public sealed class AccountBatchTests
{
    private static CanonicalEvent E(string id, string type, string time, string data) =>
        CanonicalEventParser.ParseOrThrow($$"""{"specversion":"1.0","id":"{{id}}","source":"/t","type":"{{type}}","time":"{{time}}","data":{{data}}}""");

    /// <summary>Events over many rows of ACME: the account, a proposal's life, an opportunity's stages, a contact and a meeting, some repeated and out of order.</summary>
    private static List<CanonicalEvent> Events()
    {
        var list = new List<CanonicalEvent>
        {
            E("a1", "kam.account.upserted", "2026-03-01T09:00:00Z", """
                {"account_id":"ACME","name":"Acme Oy","kam":{"email":"anna@kamflows.example","time_zone":"Europe/Helsinki","locale":"fi"},"head":{"email":"head@kamflows.example","time_zone":"Europe/Helsinki","locale":"en"},"currency":"EUR"}
                """),
            E("k", "kam.proposal.acknowledged", "2026-03-03T09:00:00Z", """{"proposal_id":"P-1","account_id":"ACME"}"""),
            E("s", "kam.proposal.sent", "2026-03-02T09:00:00Z", """{"proposal_id":"P-1","account_id":"ACME","total":{"amount":100,"currency":"EUR"},"valid_until":"2026-04-01"}"""),
            E("o1", "kam.opportunity.upserted", "2026-03-01T09:00:00Z", """{"opportunity_id":"O-1","account_id":"ACME","name":"Fleet","stage":"needs_recognition"}"""),
            E("c1", "kam.contact.upserted", "2026-03-01T09:00:00Z", """{"contact_id":"C-1","account_id":"ACME","name":"Liisa","role":"finance","influence":"high","attitude":"sceptic"}"""),
            E("m1", "kam.meeting.logged", "2026-03-05T09:00:00Z", """{"meeting_id":"M-1","account_id":"ACME","held_at":"2026-03-05T09:00:00Z","opportunity_id":"O-1"}"""),
            E("a0", "kam.account.upserted", "2026-02-01T09:00:00Z", """
                {"account_id":"ACME","name":"Acme (old name)","kam":{"email":"anna@kamflows.example","time_zone":"Europe/Helsinki","locale":"fi"},"head":{"email":"head@kamflows.example","time_zone":"Europe/Helsinki","locale":"en"},"currency":"EUR"}
                """),
        };
        for (var i = 1; i <= 40; i++)
        {
            var stage = i % 2 == 0 ? "decision" : "evaluation_of_options";
            list.Add(E($"st{i}", "kam.opportunity.stage_changed", $"2026-03-{1 + (i / 10):00}T{8 + (i % 10):00}:00:00Z",
                $$"""{"opportunity_id":"O-1","account_id":"ACME","stage":"{{stage}}"}"""));
        }

        list.Add(list[2]); // The proposal's "sent" again: changes nothing.
        return list;
    }

    private static async Task<(AccountStore Store, TableClient Accounts, StorageRequestCounter Counter)> CreateAsync()
    {
        var (_, storage) = await IntakeStoreTests.ClientsAsync();
        var counter = new StorageRequestCounter();
        var clients = new StorageClients(storage, counter);
        var store = new AccountStore(clients, new TimelineStore(clients));
        await store.EnsureCreatedAsync();
        return (store, clients.Table(AccountStore.AccountsTable), counter);
    }

    private static async Task<Dictionary<string, string>> RowsAsync(TableClient table, params string[] ignored)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            rows[row.RowKey] = string.Join(";", row.Keys.Where(k => k is not ("odata.etag" or "Timestamp" or "PartitionKey" or "RowKey") && !ignored.Contains(k)).Order(StringComparer.Ordinal)
                .Select(k => k + "=" + Convert.ToString(row[k], System.Globalization.CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    [Fact]
    public async Task ApplyMany_SameRowsAsOneByOne_WithOneReadAndWritePerRow_AndARepeatWritesNothing()
    {
        var events = Events();
        var (oneByOne, oneByOneTable, _) = await CreateAsync();
        foreach (var e in events)
        {
            await oneByOne.ApplyAsync(e, CancellationToken.None);
        }

        var (batched, batchedTable, counter) = await CreateAsync();
        var before = counter.Table;
        await batched.ApplyManyAsync("ACME", events, CancellationToken.None);
        var requests = counter.Table - before;

        var expected = await RowsAsync(oneByOneTable);
        Assert.Equal(expected, await RowsAsync(batchedTable));
        Assert.Contains("Stage=decision", expected["opportunity|O-1"], StringComparison.Ordinal); // st40, the latest, is even.
        // 48 events over 5 rows: the account, proposal and opportunity rows read once and written in one transaction
        // (contact and meeting go one by one: 2 + 4 requests); one by one, every event costs a read and a write.
        Assert.True(requests <= 12, $"{requests} table requests for {events.Count} events");

        var again = counter.Table;
        await batched.ApplyManyAsync("ACME", events, CancellationToken.None);
        Assert.Equal(expected, await RowsAsync(batchedTable));
        Assert.True(counter.Table - again <= 8, "a repeat reads the rows and writes none");
    }

    [Fact]
    public async Task ApplyMany_WhileAnotherWriterChangesTheSameRows_LosesNoUpdate()
    {
        var events = Events();
        var (store, table, _) = await CreateAsync();
        var (reference, referenceTable, _) = await CreateAsync();
        foreach (var e in events)
        {
            await reference.ApplyAsync(e, CancellationToken.None);
        }

        // Half the events in batches, the other half one by one at the same time (another host, a retry).
        var batches = Task.Run(async () =>
        {
            foreach (var chunk in events.Where((_, i) => i % 2 == 0).Chunk(5))
            {
                await store.ApplyManyAsync("ACME", chunk, CancellationToken.None);
            }
        });
        var singles = Task.Run(async () =>
        {
            foreach (var e in events.Where((_, i) => i % 2 == 1))
            {
                await store.ApplyAsync(e, CancellationToken.None);
            }
        });
        await Task.WhenAll(batches, singles);

        // When a stage was entered depends on the order the stage changes were applied in (true one by one as well).
        Assert.Equal(await RowsAsync(referenceTable, "StageEnteredAt"), await RowsAsync(table, "StageEnteredAt"));
    }

    [Fact]
    public async Task ApplyMany_EventOfAnotherAccount_IsRefusedBeforeAnythingIsWritten()
    {
        var (store, table, _) = await CreateAsync();
        var other = E("x", "kam.proposal.acknowledged", "2026-03-03T09:00:00Z", """{"proposal_id":"P-9","account_id":"GLOBEX"}""");
        await Assert.ThrowsAsync<ArgumentException>(() => store.ApplyManyAsync("ACME", [Events()[1], other], CancellationToken.None));
        Assert.Empty(await RowsAsync(table));
    }

    [Fact]
    public async Task Timeline_AppendMany_SameAsOneByOne_AndRepeatable()
    {
        var (_, storage) = await IntakeStoreTests.ClientsAsync();
        var timeline = new TimelineStore(new StorageClients(storage, new StorageRequestCounter()));
        var entries = Events().Select(EventSummaries.For).ToList();
        await timeline.AppendManyAsync("ACME", entries.Concat(entries.Take(3)), CancellationToken.None);
        await timeline.AppendManyAsync("ACME", entries, CancellationToken.None);

        var expected = entries.DistinctBy(e => (e.Time, e.ReferenceId)).OrderBy(e => e.Time.UtcTicks).ThenBy(e => e.ReferenceId, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, await timeline.ReadAsync("ACME", null, 1000, CancellationToken.None));
    }

    [Fact]
    public async Task Timeline_AppendMany_OneEntryRepeated_StoresItOnce()
    {
        var (_, storage) = await IntakeStoreTests.ClientsAsync();
        var timeline = new TimelineStore(new StorageClients(storage, new StorageRequestCounter()));
        var entry = EventSummaries.For(Events()[0]);
        await timeline.AppendManyAsync("ACME", [entry, entry], CancellationToken.None);

        Assert.Equal(entry, Assert.Single(await timeline.ReadAsync("ACME", null, 1000, CancellationToken.None)));
    }
}
