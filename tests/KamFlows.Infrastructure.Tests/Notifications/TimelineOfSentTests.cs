using Azure.Data.Tables;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Infrastructure.Notifications.Senders;
using KamFlows.Infrastructure.Storage;
using KamFlows.Infrastructure.Timeline;
using KamFlows.Testing;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>What KamFlows sends is on the account's timeline, once, without the recipient's address.</summary>
public sealed class TimelineOfSentTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kamflows-sink-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task SentNotification_AppearsOnceOnTheAccountTimeline_AsCaused()
    {
        var start = EmailTestKit.InHelsinki(2026, 3, 24, 10);
        var kit = await EmailTestKit.CreateAsync(start);
        var clients = new StorageClients(new ResolvedStorage { TaskHub = kit.TaskHub, ConnectionString = await SharedAzurite.ConnectionStringAsync(), Description = "test" }, new StorageRequestCounter());
        var timeline = new TimelineStore(clients);
        var sink = new LocalSinkEmailSender(_folder, kit.Options, kit.Clock);
        var sender = new OutboxSender(kit.Store, sink, kit.Renderer, kit.Recipients, kit.Budget, kit.Options, kit.Clock, kit.SenderLogs, "sender-a", timeline);
        var request = EmailTestKit.Request(NotificationKind.ProposalExpiryReminder, "proposal:P-1001|ProposalExpiryReminder|v1|7bd", start);
        await kit.Outbox.EnqueueAsync(request, default);

        await sender.SendDueAsync(default);
        await sender.SendDueAsync(default); // Nothing more is due: no second entry.

        var rows = new List<TableEntity>();
        await foreach (var row in clients.Table(TimelineStore.TableName).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"A-1"}")))
        {
            rows.Add(row);
        }

        var entry = Assert.Single(rows);
        Assert.Contains("ProposalExpiryReminder sent to the KAM", entry.GetString("Summary"), StringComparison.Ordinal);
        Assert.DoesNotContain("anna.virtanen", string.Join("|", entry.Select(kv => kv.Value?.ToString())), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(request.NotificationId, string.Join("|", entry.Select(kv => kv.Value?.ToString())), StringComparison.Ordinal);
    }
}
