using Azure.Data.Tables;
using Azure.Storage.Queues;
using KamFlows.Testing;

namespace KamFlows.Durable.Tests;

public sealed class PoisonTests
{
    public sealed class Waiter : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input) =>
            await context.WaitForExternalEvent<string>("go");
    }

    [Fact]
    public async Task MessageFailingEveryTime_IsParked_InstanceFailsReadably_OthersUnaffected()
    {
        await using var host = await DurableTestHost.StartAsync(r => r.AddOrchestrator<Waiter>(), o =>
        {
            o.MaxDequeueCount = 3;
            o.RetryBackoffBase = TimeSpan.FromMilliseconds(100);
        });
        var cs = await SharedAzurite.ConnectionStringAsync();
        var broken = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Waiter), "a");
        var healthy = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Waiter), "b");
        await host.WaitForStatusAsync(broken, null, OrchestrationRuntimeStatus.Running);

        // Corrupt the stored history of one instance, as a bad deploy or a manual edit might.
        var table = new TableClient(cs, host.TaskHub + "Instances");
        var row = table.Query<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {broken}")).First(e => e.RowKey.StartsWith('h'));
        row["E0"] = "{ not json";
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        await host.Client.RaiseEventAsync(broken, "go", "x");
        await host.Client.RaiseEventAsync(healthy, "go", "fine");

        var failed = await host.WaitForCompletionAsync(broken);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Equal("PoisonMessage", failed.FailureDetails!.ErrorType);
        Assert.Contains("failed 3 time(s)", failed.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("cannot be read", failed.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("fine", (await host.WaitForCompletionAsync(healthy)).ReadOutputAs<string>());

        var poison = new QueueClient(cs, host.TaskHub + "-poison");
        var parked = (await poison.PeekMessagesAsync(10)).Value;
        Assert.Contains(parked, m => m.MessageText.Contains(broken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GarbageMessage_IsParkedAtOnce_AndTheHostKeepsWorking()
    {
        await using var host = await DurableTestHost.StartAsync(r => r.AddOrchestrator<Waiter>());
        var cs = await SharedAzurite.ConnectionStringAsync();
        await new QueueClient(cs, host.TaskHub + "-work").SendMessageAsync("this is not json");
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Waiter), "a");
        await host.Client.RaiseEventAsync(id, "go", "still working");
        Assert.Equal("still working", (await host.WaitForCompletionAsync(id)).ReadOutputAs<string>());

        var poison = new QueueClient(cs, host.TaskHub + "-poison");
        await DurableTestHost.WaitUntilAsync(async () => (await poison.PeekMessagesAsync(10)).Value.Any(m => m.MessageText.Contains("this is not json", StringComparison.Ordinal)));
    }
}
