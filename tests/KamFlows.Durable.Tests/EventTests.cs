using KamFlows.Durable.History;
using KamFlows.Testing;

namespace KamFlows.Durable.Tests;

public sealed class EventTests
{
    public sealed class AcknowledgementWait : TaskOrchestrator<int, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, int timeoutHours)
        {
            try
            {
                return "ack:" + await context.WaitForExternalEvent<string>("acknowledged", TimeSpan.FromHours(timeoutHours));
            }
            catch (TimeoutException)
            {
                return "timeout at " + context.CurrentUtcDateTime.ToString("O");
            }
        }
    }

    public sealed class LateListener : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        {
            await context.CreateTimer(TimeSpan.FromDays(1), CancellationToken.None);
            return await context.WaitForExternalEvent<string>("approval");
        }
    }

    public sealed class Accumulator : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int sum)
        {
            var add = await context.WaitForExternalEvent<int>("add");
            if (add < 0)
            {
                return sum;
            }

            context.ContinueAsNew(sum + add);
            return sum;
        }
    }

    private static void Register(DurableTaskRegistry r) => r
        .AddOrchestrator<AcknowledgementWait>().AddOrchestrator<LateListener>().AddOrchestrator<Accumulator>();

    [Fact]
    public async Task WaitWithTimeout_EventInTime_ReturnsEvent()
    {
        await using var host = await DurableTestHost.StartAsync(Register, fakeClock: true);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(AcknowledgementWait), 24);
        await host.WaitForOpenTimerAsync(id);
        Assert.Equal(RaiseEventResult.Delivered, await host.Client.RaiseEventAsync(id, "Acknowledged", "by email"));
        var done = await host.WaitForCompletionAsync(id);
        Assert.Equal("ack:by email", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task WaitWithTimeout_NoEvent_TimesOutAtTheVirtualDeadline()
    {
        await using var host = await DurableTestHost.StartAsync(Register, fakeClock: true);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(AcknowledgementWait), 24);
        var done = await host.RunToCompletionOnFakeClockAsync(id);
        Assert.Equal("timeout at " + DurableTestHost.Epoch.AddHours(24).ToString("O"), done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Event_RaisedBeforeTheWaitStarts_IsKept()
    {
        await using var host = await DurableTestHost.StartAsync(Register, fakeClock: true);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(LateListener), "x");
        await host.WaitForOpenTimerAsync(id);
        await host.Client.RaiseEventAsync(id, "approval", "approved early");
        await DurableTestHost.WaitUntilAsync(async () => (await host.Client.GetInstanceHistoryAsync(id)).Any(e => e.Kind == HistoryEventKind.EventRaised));

        var done = await host.RunToCompletionOnFakeClockAsync(id);
        Assert.Equal("approved early", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Events_ArrivingDuringContinueAsNew_AreNotLost()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Accumulator), 0);
        await host.WaitForStatusAsync(id, null, OrchestrationRuntimeStatus.Running);
        var sends = Enumerable.Range(1, 40).Select(i => host.Client.RaiseEventAsync(id, "add", i));
        await Task.WhenAll(sends);
        await host.Client.RaiseEventAsync(id, "add", 1000); // Keeps the loop going until the stop event is in order after all adds.
        await DurableTestHost.WaitUntilAsync(async () => (await host.Client.GetInstanceAsync(id, true))!.SerializedInput == (820 + 1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await host.Client.RaiseEventAsync(id, "add", -1);
        var done = await host.WaitForCompletionAsync(id);
        Assert.Equal(820 + 1000, done.ReadOutputAs<int>());
    }

    [Fact]
    public async Task RaiseEvent_SameEventIdTwice_IsDeliveredOnce()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Accumulator), 0);
        var opts = new RaiseEventOptions { EventId = "crm-evt-7" };
        Assert.Equal(RaiseEventResult.Delivered, await host.Client.RaiseEventAsync(id, "add", 5, opts));
        Assert.Equal(RaiseEventResult.Duplicate, await host.Client.RaiseEventAsync(id, "add", 5, opts));
        await host.Client.RaiseEventAsync(id, "add", -1);
        Assert.Equal(5, (await host.WaitForCompletionAsync(id)).ReadOutputAs<int>());
    }

    [Fact]
    public async Task SignalWithStart_StartsMissingInstance_ThenDeliversToIt()
    {
        await using var host = await DurableTestHost.StartAsync(Register);
        var start = new RaiseEventOptions { StartOrchestratorName = nameof(Accumulator), StartInput = 100 };
        Assert.Equal(RaiseEventResult.Started, await host.Client.RaiseEventAsync("tender:9", "add", 1, start));
        Assert.Equal(RaiseEventResult.Delivered, await host.Client.RaiseEventAsync("tender:9", "add", 2, start));
        await host.Client.RaiseEventAsync("tender:9", "add", -1);
        Assert.Equal(103, (await host.WaitForCompletionAsync("tender:9")).ReadOutputAs<int>());

        Assert.Equal(RaiseEventResult.InstanceNotFound, await host.Client.RaiseEventAsync("tender:none", "add", 1));
        Assert.Null(await host.Client.GetInstanceAsync("tender:none"));
    }
}

public sealed class ContinueAsNewStepTests
{
    /// <summary>Continues as new once, then waits on an event and a long timer.</summary>
    public sealed class ContinueOnce : TaskOrchestrator<int, int>
    {
        public override async Task<int> RunAsync(TaskOrchestrationContext context, int generation)
        {
            if (generation == 0)
            {
                context.ContinueAsNew(1);
                return 0;
            }

            using var cts = new CancellationTokenSource();
            var timer = context.CreateTimer(context.CurrentUtcDateTime.AddDays(30), cts.Token);
            var value = await context.WaitForExternalEvent<int>("value");
            cts.Cancel();
            _ = timer;
            return value;
        }
    }

    [Fact]
    public async Task ContinueAsNew_NewExecution_CommitsNoEmptySteps_WhileItWaits()
    {
        await using var host = await DurableTestHost.StartAsync(r => r.AddOrchestrator<ContinueOnce>());
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ContinueOnce), 0);
        await DurableTestHost.WaitUntilAsync(async () => (await host.Client.GetInstanceHistoryAsync(id)).Any(e => e.Kind == HistoryEventKind.TimerCreated));
        var commits = host.Processor.Commits;
        await host.Client.RaiseEventAsync(id, "nothing-waits-for-this", 1);
        await Task.Delay(500);

        var history = await host.Client.GetInstanceHistoryAsync(id);
        var steps = history.Count(e => e.Kind == HistoryEventKind.StepStarted);
        Assert.Equal(3, steps); // Started (not run), first run with the timer, the unrelated event.
        Assert.Equal(commits + 1, host.Processor.Commits);
        await host.Client.RaiseEventAsync(id, "value", 42);
        Assert.Equal(42, (await host.WaitForCompletionAsync(id)).ReadOutputAs<int>());
    }
}
