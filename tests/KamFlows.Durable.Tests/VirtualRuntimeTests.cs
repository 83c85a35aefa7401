using System.Collections.Concurrent;
using System.Diagnostics;
using KamFlows.DevStorage;
using KamFlows.Durable.History;
using KamFlows.Durable.Simulation;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Durable.Tests;

/// <summary>
/// The in-memory engine used by the simulator must behave exactly like the storage-backed runtime: the same orchestrators
/// produce the same histories (as recorded from real runs in Histories/) and the same outputs.
/// </summary>
public sealed class VirtualRuntimeTests(ITestOutputHelper output)
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Find(), "tests", "KamFlows.Durable.Tests", "Histories");

    private static (VirtualRuntime Runtime, ConcurrentDictionary<string, int> Attempts) Create()
    {
        var attempts = new ConcurrentDictionary<string, int>();
        var registry = new DurableTaskRegistry()
            .AddOrchestrator<SequenceTests.Greeter>()
            .AddOrchestrator<CompositionTests.Parent>().AddOrchestrator<CompositionTests.Child>().AddOrchestrator<CompositionTests.FanOut>()
            .AddOrchestrator<EventTests.AcknowledgementWait>().AddOrchestrator<EventTests.Accumulator>()
            .AddOrchestrator<RetryTests.SendWithRetry>()
            .AddOrchestrator<TimerTests.QuarterlyLoop>()
            .AddOrchestrator<VersioningTests.ApprovalV1>("Approval", "1")
            .AddActivityFunc<string, string>("Hello", (_, s) => Task.FromResult($"hello {s}"))
            .AddActivityFunc<string, string>("Upper", (_, s) => Task.FromResult(s.ToUpperInvariant()))
            .AddActivityFunc<string, string>("Notify", (_, s) => Task.FromResult(s))
            .AddActivityFunc<int, long>("Square", (_, i) => Task.FromResult((long)i * i))
            .AddActivityFunc<int, int>("Review", (_, _) => Task.FromResult(1))
            .AddActivityFunc<string, string>("Flaky", (ctx, s) => attempts.AddOrUpdate(ctx.InstanceId, 1, (_, v) => v + 1) >= 2
                ? Task.FromResult("sent") : throw new TimeoutException("SMTP timeout"));
        var runtime = new VirtualRuntime(registry, new ServiceCollection().BuildServiceProvider(), new VirtualClock(Testing.DurableTestHost.Epoch));
        return (runtime, attempts);
    }

    /// <summary>The shape of a history: what happened, in order, without times and ids.</summary>
    private static List<string> Shape(IEnumerable<HistoryEvent> events) =>
        [.. events.Select(e => $"{e.Kind}:{e.TaskId}:{e.Name}:{(e.Kind is HistoryEventKind.ExecutionCompleted ? e.Payload : null)}")];

    [Theory]
    [InlineData("Greeter", "kam", "Greeter.json")]
    [InlineData("AcknowledgementWait", 24, "AcknowledgementWait.json")]
    [InlineData("SendWithRetry", "flaky", "SendWithRetry.json")]
    public async Task SameOrchestrator_SameHistoryAsTheStorageRuntimeRecorded(string name, object input, string file)
    {
        var (runtime, _) = Create();
        var id = runtime.Schedule(name, input, "recorded:" + Path.GetFileNameWithoutExtension(file));
        await runtime.AdvanceToAsync(runtime.Clock.GetUtcNow().AddDays(30));

        var recorded = RecordedHistory.Load(Path.Combine(Folder, file));
        Assert.Equal(Shape(recorded.Events), Shape(runtime.GetHistory(id)));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, runtime.GetInstance(id)!.RuntimeStatus);
    }

    [Fact]
    public async Task SubOrchestrations_FanOut_AndEvents_WorkAsInTheRealRuntime()
    {
        var (runtime, _) = Create();
        var parent = runtime.Schedule("Parent", "deal");
        var fan = runtime.Schedule("FanOut", 300);
        var acc = runtime.Schedule("Accumulator", 0);
        await runtime.RunUntilIdleAsync();
        for (var i = 1; i <= 10; i++)
        {
            runtime.RaiseEvent(acc, "add", i);
        }

        Assert.Equal(RaiseEventResult.Delivered, runtime.RaiseEvent(acc, "add", -1, new RaiseEventOptions { EventId = "stop" }));
        Assert.Equal(RaiseEventResult.Duplicate, runtime.RaiseEvent(acc, "add", -1, new RaiseEventOptions { EventId = "stop" }));
        await runtime.RunUntilIdleAsync();

        Assert.Equal("DEAL-A|DEAL-B|child refused", runtime.GetInstance(parent)!.ReadOutputAs<string>());
        Assert.Equal(Enumerable.Range(1, 300).Sum(i => (long)i * i), runtime.GetInstance(fan)!.ReadOutputAs<long>());
        Assert.Equal(55, runtime.GetInstance(acc)!.ReadOutputAs<int>());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, runtime.GetInstance("child:deal")!.RuntimeStatus);
    }

    [Fact]
    public async Task ThreeYearsOfQuarters_RunInVirtualTime_AndReplayCleanly()
    {
        var (runtime, _) = Create();
        var sw = Stopwatch.StartNew();
        var ids = Enumerable.Range(0, 200).Select(i => runtime.Schedule("QuarterlyLoop", new TimerTests.Quarter(0, default, 0), $"account:{i}")).ToList();
        await runtime.AdvanceToAsync(Testing.DurableTestHost.Epoch.AddYears(3).AddDays(1));
        output.WriteLine($"200 instances × 12 quarters in {sw.ElapsedMilliseconds} ms ({runtime.Steps} steps)");

        foreach (var id in ids)
        {
            var m = runtime.GetInstance(id)!;
            Assert.Equal(OrchestrationRuntimeStatus.Completed, m.RuntimeStatus);
            Assert.Equal(12, m.ReadOutputAs<TimerTests.Quarter>().Reviews);
            Assert.Equal(Testing.DurableTestHost.Epoch.AddMonths(36), m.CompletedAt);
        }

        var history = new RecordedHistory { Orchestrator = "QuarterlyLoop", Version = "1", InstanceId = ids[0], ExecutionId = runtime.GetInstance(ids[0])!.ExecutionId, Events = runtime.GetHistory(ids[0]) };
        var registry = new DurableTaskRegistry().AddOrchestrator<TimerTests.QuarterlyLoop>();
        Assert.True(HistoryReplayChecker.Check(registry, history).IsDeterministic);
    }

    [Fact]
    public async Task SignalWithStart_RestartIfCompleted_AndTerminate_HaveTheClientsSemantics()
    {
        var (runtime, _) = Create();
        var start = new RaiseEventOptions { StartOrchestratorName = "Accumulator", StartInput = 100, RestartIfCompleted = true };
        Assert.Equal(RaiseEventResult.Started, runtime.RaiseEvent("tender:1", "add", 1, start));
        Assert.Equal(RaiseEventResult.Delivered, runtime.RaiseEvent("tender:1", "add", -1, start));
        await runtime.RunUntilIdleAsync();
        Assert.Equal(101, runtime.GetInstance("tender:1")!.ReadOutputAs<int>());

        Assert.Equal(RaiseEventResult.Started, runtime.RaiseEvent("tender:1", "add", 5, start)); // Finished: a new execution.
        await runtime.RunUntilIdleAsync();
        Assert.True(runtime.Terminate("tender:1", "cancelled"));
        await runtime.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, runtime.GetInstance("tender:1")!.RuntimeStatus);
        Assert.Equal(RaiseEventResult.InstanceNotFound, runtime.RaiseEvent("nobody", "add", 1));
    }
}
