using KamFlows.Infrastructure.Notifications;
using KamFlows.Infrastructure.Notifications.Senders;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>The local loop sends at once what is queued for now and wakes by itself at the next due time, on the injected clock.</summary>
public sealed class DeliveryLoopTests : IDisposable
{
    private static readonly DateTimeOffset Start = EmailTestKit.InHelsinki(2026, 3, 24, 10);

    private readonly string _folder = Directory.CreateTempSubdirectory("kamflows-loop-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Loop_QueuedForNow_GoesWithoutWaiting_AndLaterOnesAtTheirTime()
    {
        var kit = await EmailTestKit.CreateAsync(Start, o => o.IdlePollInterval = TimeSpan.FromHours(6));
        var sink = new LocalSinkEmailSender(_folder, kit.Options, kit.Clock);
        var delivery = new EmailDelivery(kit.Sender(sink), null);
        using var service = new EmailDeliveryService(delivery, kit.Signal, kit.Options, kit.Clock, new RecordingLogger<EmailDeliveryService>());
        await service.StartAsync(default);
        try
        {
            await WaitForFilesAsync(0); // The first pass found nothing and sleeps (six hours on the fake clock).
            await Task.Delay(200);
            await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ProposalExpired, "now", Start), default);
            await WaitForFilesAsync(1);

            await kit.Outbox.EnqueueAsync(EmailTestKit.Request(NotificationKind.ProposalExpired, "in-an-hour", Start.AddHours(1)), default);
            kit.Signal.Pulse(); // Let the loop see the new row and sleep until it is due.
            await Task.Delay(300);
            Assert.Single(Directory.GetFiles(_folder));

            kit.Clock.Advance(TimeSpan.FromHours(1));
            await WaitForFilesAsync(2);
            Assert.True(File.Exists(sink.PathFor("in-an-hour")));
        }
        finally
        {
            await service.StopAsync(default);
        }
    }

    private async Task WaitForFilesAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (Directory.GetFiles(_folder).Length < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Expected {count} message(s) in the sink, found {Directory.GetFiles(_folder).Length}.");
            await Task.Delay(20);
        }
    }
}
